"""Fixtures for the Ollama plugin's tests: a host holding only this plugin, an environment with
no Ollama settings in it, and the core's decoder and assembler."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import hotswap_ollama
import pytest

from hotswap import ModelConfig, PluginHost
from hotswap.testing import assemble as assemble_events
from hotswap.testing import lone_host

VARIABLES = ("OLLAMA_HOST", "OLLAMA_API_KEY")


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home directory, and no Ollama setting anywhere in the environment."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return isolated_home


@pytest.fixture
def host(home: Path) -> PluginHost:
    """A plugin host holding only this plugin, registered as its entry point would."""
    return lone_host(hotswap_ollama.plugin)


def model(**fields: Any) -> ModelConfig:
    return ModelConfig(**{"name": "local", "provider": "ollama", "model": "llama3.2", **fields})


assemble = partial(assemble_events, provider="ollama")
