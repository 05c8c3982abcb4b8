"""Fixtures for the Google plugin's tests: a host holding only this plugin, an environment with
no Gemini key in it, and the core's decoder and assembler."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import hotswap_google
import pytest

from hotswap import ModelConfig, PluginHost
from hotswap.testing import assemble as assemble_events
from hotswap.testing import lone_host

VARIABLES = ("GEMINI_API_KEY", "GOOGLE_API_KEY")


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home directory, and no Gemini key anywhere in the environment."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return isolated_home


@pytest.fixture
def host(home: Path) -> PluginHost:
    """A plugin host holding only this plugin, registered as its entry point would."""
    return lone_host(hotswap_google.plugin)


def model(**fields: Any) -> ModelConfig:
    return ModelConfig(
        **{"name": "gemini", "provider": "google", "model": "gemini-2.5-flash", **fields}
    )


def sse(*events: dict[str, Any]) -> bytes:
    """A Gemini event stream: data-only events ending with a blank line, as the API sends."""
    return b"".join(f"data: {json.dumps(event)}\r\n\r\n".encode() for event in events)


assemble = partial(assemble_events, provider="google")
