"""Fixtures: a clean credential environment, and chains of this provider's models pointed at
hotswap's provider simulator, which answers over real HTTP on 127.0.0.1 (the ``simulator`` and
``isolated_home`` fixtures come from hotswap's pytest plugin)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hotswap import (
    FailoverChain,
    FailoverSettings,
    MemoryBreakerStore,
    ModelConfig,
    PluginHost,
    Transport,
)
from hotswap.testing import Simulator, lone_host

from {{ cookiecutter.__package }} import plugin
from {{ cookiecutter.__package }}.provider import PROVIDER

API_KEY = "{{ cookiecutter.name }}-test-key-0001"

ChainFactory = Callable[..., FailoverChain]


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home and config directory, and no key for this provider anywhere."""
    monkeypatch.delenv("{{ cookiecutter.env_var }}", raising=False)
    return isolated_home


@pytest.fixture
def host(home: Path) -> PluginHost:
    """A plugin host holding only this plugin, registered as its entry point would be."""
    return lone_host(plugin)


@pytest.fixture
def transport() -> Iterator[Transport]:
    with Transport() as transport:
        yield transport


def model(simulator: Simulator, name: str = "main", **fields: Any) -> ModelConfig:
    """A model of this provider whose requests go to the simulator."""
    fields = {"model": f"{PROVIDER}-large", **fields}
{%- if cookiecutter.wire_format == "openai-compatible" %}
    base_url = f"{simulator.url}/v1"
{%- else %}
    base_url = simulator.url
{%- endif %}
    return ModelConfig(name=name, provider=PROVIDER, base_url=base_url, **fields)


@pytest.fixture
def chain(
    host: PluginHost, transport: Transport, simulator: Simulator, monkeypatch: pytest.MonkeyPatch
) -> ChainFactory:
    """Build a chain of models (``ModelConfig`` field dicts) over the simulator, with the key
    set. With the default, a chain of one model that raises every error as it is, so a test
    sees the error kind; pass ``settings`` to fail over."""
    monkeypatch.setenv("{{ cookiecutter.env_var }}", API_KEY)

    def build(*models: dict[str, Any], settings: FailoverSettings | None = None) -> FailoverChain:
        configs = [model(simulator, **fields) for fields in models or ({},)]
        return FailoverChain(
            configs,
            settings=settings or FailoverSettings(conditions=(), max_retries=0),
            host=host,
            transport=transport,
            breakers=MemoryBreakerStore(),
        )

    return build
