"""Fixtures for the Google plugin's tests: a host holding only this plugin, an environment with
no Gemini key in it, and the core's SSE decoder and assembler."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hotswap_google
import pytest

from hotswap import PluginHost
from hotswap.config import ModelConfig
from hotswap.framing import SSEDecoder
from hotswap.streaming import StreamAssembler

VARIABLES = ("GEMINI_API_KEY", "GOOGLE_API_KEY", "AL_CREDENTIALS_PATH", "PI_CODING_AGENT_DIR")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home directory, and no Gemini key anywhere in the environment."""
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
    host.register(hotswap_google.plugin, name="google")
    return host


def model(**fields: Any) -> ModelConfig:
    return ModelConfig(
        **{"name": "gemini", "provider": "google", "model": "gemini-2.5-flash", **fields}
    )


def sse(*events: dict[str, Any]) -> bytes:
    """A Gemini event stream: data-only events ending with a blank line, as the API sends."""
    return b"".join(f"data: {json.dumps(event)}\r\n\r\n".encode() for event in events)


def translate(translator: Any, body: bytes, chunk: int = 7) -> list[Any]:
    """Every event ``translator`` makes of ``body``, fed through the core's SSE decoder in
    ``chunk``-byte reads (so frames arrive split as they do off a socket)."""
    decoder = SSEDecoder()
    frames = [f for i in range(0, len(body), chunk) for f in decoder.feed(body[i : i + chunk])]
    frames += decoder.flush()
    return [event for frame in frames for event in translator.translate(frame)]


def assemble(events: list[Any]) -> Any:
    assembler = StreamAssembler()
    for event in events:
        assembler.add(event)
    return assembler.completion(provider="google")
