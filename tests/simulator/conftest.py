"""Fixtures for the simulator's own tests: a plain httpx2 client aimed at the ``simulator``
fixture (from hotswap's pytest plugin), and readers for the stream framings that check every
frame's exact bytes rather than trusting any decoder of hotswap's."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest

from hotswap.testing import Simulator

SSE = Callable[[bytes], list[tuple[str | None, Any]]]


@pytest.fixture
def client(simulator: Simulator) -> Iterator[httpx2.Client]:
    """A bare httpx2 client whose base URL is the simulator's."""
    with httpx2.Client(base_url=simulator.url, timeout=5.0) as client:
        yield client


def _parse_sse(raw: bytes, separator: bytes = b"\n\n") -> list[tuple[str | None, Any]]:
    """Each event's name (None if it has none) and its data decoded as JSON (``[DONE]`` is
    kept as the string). Every event must end with ``separator``, and have one data line."""
    assert raw.endswith(separator), raw[-80:]
    events: list[tuple[str | None, Any]] = []
    line_end = separator[: len(separator) // 2].decode()
    for block in raw[: -len(separator)].decode().split(separator.decode()):
        lines = block.split(line_end)
        name = lines.pop(0).removeprefix("event: ") if lines[0].startswith("event: ") else None
        assert len(lines) == 1, block
        assert lines[0].startswith("data: "), block
        data = lines[0].removeprefix("data: ")
        events.append((name, data if data == "[DONE]" else json.loads(data)))
    return events


@pytest.fixture
def sse() -> SSE:
    """Parse an SSE body whose events end with a blank line (``\\n\\n``)."""
    return _parse_sse


@pytest.fixture
def sse_crlf() -> SSE:
    """Parse an SSE body whose events end with ``\\r\\n\\r\\n``, as Gemini's do."""
    return lambda raw: _parse_sse(raw, b"\r\n\r\n")


@pytest.fixture
def ndjson() -> Callable[[bytes], list[Any]]:
    """Parse an NDJSON body, requiring a newline after every line."""

    def parse(raw: bytes) -> list[Any]:
        assert raw.endswith(b"\n")
        return [json.loads(line) for line in raw.decode().split("\n")[:-1]]

    return parse


_PROMPT = "Weather in Oslo?"
_REQUESTS: dict[str, tuple[str, dict[str, Any], dict[str, str]]] = {
    "anthropic": (
        "/v1/messages",
        {
            "model": "claude-sonnet-4-5",
            "max_tokens": 100,
            "messages": [{"role": "user", "content": _PROMPT}],
        },
        {"x-api-key": "sk-ant-api03-test", "anthropic-version": "2023-06-01"},
    ),
    "openai": (
        "/v1/chat/completions",
        {"model": "gpt-4.1", "messages": [{"role": "user", "content": _PROMPT}]},
        {"authorization": "Bearer sk-test"},
    ),
    "gemini": (
        "/v1beta/models/gemini-2.5-flash:generateContent",
        {"contents": [{"role": "user", "parts": [{"text": _PROMPT}]}]},
        {"x-goog-api-key": "AIza-test"},
    ),
    "ollama": (
        "/api/chat",
        {"model": "llama3.2", "messages": [{"role": "user", "content": _PROMPT}]},
        {},
    ),
}
PROVIDERS = sorted(_REQUESTS)

Request = tuple[str, dict[str, Any], dict[str, str]]


def _request_for(provider: str, *, stream: bool = False) -> Request:
    path, body, headers = _REQUESTS[provider]
    if provider != "gemini":
        return path, {**body, "stream": stream}, headers
    if stream:
        path = path.replace(":generateContent", ":streamGenerateContent?alt=sse")
    return path, body, headers


@pytest.fixture
def request_for() -> Callable[..., Request]:
    """A valid chat request (path, JSON body, headers) asking "Weather in Oslo?" of each
    provider family, streamed or not: ``request_for("anthropic", stream=True)``."""
    return _request_for


@pytest.fixture(params=PROVIDERS)
def provider(request: pytest.FixtureRequest) -> str:
    """Each provider family in turn."""
    return str(request.param)
