"""Fixtures for the Anthropic plugin's tests: a host holding only this plugin, a clean
credential environment, and a loopback HTTP server that records what it is sent and answers
what the test scripted (the token endpoint of the pi refresh tests, and the API where a test
needs exact control of the bytes)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import hotswap_anthropic
import pytest

from hotswap import ModelConfig, PluginHost
from hotswap.testing import assemble as assemble_events
from hotswap.testing import lone_host

CREDENTIAL_VARIABLES = (
    "ANTHROPIC_API_KEY",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "ANTHROPIC_OAUTH_TOKEN",
    "HOTSWAP_ANTHROPIC_TOKEN_URL",
)


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home directory, and no Anthropic credential anywhere in the environment."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return isolated_home


@pytest.fixture
def host(home: Path) -> PluginHost:
    """A plugin host holding only this plugin, registered as its entry point would."""
    return lone_host(hotswap_anthropic.plugin)


def write_pi_auth(home: Path, entries: dict[str, Any]) -> Path:
    """pi's auth.json under ``home``, written as pi writes it (0700 directory, 0600 file)."""
    path = home / ".pi" / "agent" / "auth.json"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_text(json.dumps(entries, indent=2))
    os.chmod(path, 0o600)
    return path


def model(**fields: Any) -> ModelConfig:
    return ModelConfig(
        **{"name": "claude", "provider": "anthropic", "model": "claude-sonnet-4-5", **fields}
    )


def sse(*events: dict[str, Any]) -> bytes:
    """An Anthropic event stream: each event named by its ``type``, as the API sends it."""
    return b"".join(
        f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode() for event in events
    )


assemble = partial(assemble_events, provider="anthropic")


# -- a loopback HTTP server ---------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})

    @classmethod
    def of_json(cls, payload: Any, status: int = 200, **headers: str) -> Answer:
        return cls(
            status, json.dumps(payload).encode(), {"content-type": "application/json", **headers}
        )


class Loopback:
    """Real HTTP on 127.0.0.1: answers each path with its scripted answers, in order (the last
    one repeats), and records every request."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: dict[str, list[Answer]] = {}
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                loopback.received.append(Received("POST", self.path, headers, body))
                queue = loopback.answers.get(self.path) or [Answer(404, b"no script")]
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                self.send_response(answer.status)
                for name, value in {
                    **answer.headers,
                    "content-length": str(len(answer.body)),
                }.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, path: str, *answers: Answer) -> None:
        self.answers[path] = list(answers)

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with Loopback() as server:
        yield server
