"""Fixtures for the Ollama plugin's tests: a host holding only this plugin, an environment with
no Ollama settings in it, and the core's NDJSON decoder and assembler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hotswap_ollama
import pytest

from hotswap import PluginHost
from hotswap.config import ModelConfig
from hotswap.framing import NDJSONDecoder
from hotswap.streaming import StreamAssembler

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


def translate(translator: Any, body: bytes, chunk: int = 5) -> list[Any]:
    """Every event ``translator`` makes of ``body``, fed through the core's NDJSON decoder in
    ``chunk``-byte reads (so lines arrive split as they do off a socket)."""
    decoder = NDJSONDecoder()
    frames = [f for i in range(0, len(body), chunk) for f in decoder.feed(body[i : i + chunk])]
    frames += decoder.flush()
    return [event for frame in frames for event in translator.translate(frame)]


def assemble(events: list[Any]) -> Any:
    assembler = StreamAssembler()
    for event in events:
        assembler.add(event)
    return assembler.completion(provider="ollama")
