"""Fixtures for the Ollama plugin's tests: a host holding only this plugin, an environment with
no Ollama settings in it, and the core's decoder and assembler."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import hotswap_ollama
import pytest

from hotswap import ModelConfig, PluginHost
from hotswap.testing.translation import assemble as assemble_events

VARIABLES = ("OLLAMA_HOST", "OLLAMA_API_KEY", "AL_CREDENTIALS_PATH", "PI_CODING_AGENT_DIR")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home directory, and no Ollama setting anywhere in the environment."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HOME", str(path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(path / ".config"))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(path / "credentials"))
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture
def host(home: Path) -> PluginHost:
    """A plugin host holding only this plugin, registered as its entry point would."""
    host = PluginHost(entry_points=[])
    host.register(hotswap_ollama.plugin, name="ollama")
    return host


def model(**fields: Any) -> ModelConfig:
    return ModelConfig(**{"name": "local", "provider": "ollama", "model": "llama3.2", **fields})


assemble = partial(assemble_events, provider="ollama")
