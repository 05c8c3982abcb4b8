"""Every request the simulator received, kept so a test can assert exactly what was sent."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RecordedRequest", "Recorder"]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request, as it arrived.

    :param provider: the wire format its path belongs to (``anthropic``, ``openai``,
        ``gemini``, ``ollama``), or None for a path the simulator does not serve.
    :param model: the model id it named, or None if it named none (or its body was not JSON).
    :param headers: names lower-cased; a repeated header's values joined with ``", "``.
    :param query: the decoded query string.
    :param received_at: when its body had arrived, on ``time.monotonic`` (the simulator runs
        in the test's process, so this compares with the client's own clock).
    """

    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes
    provider: str | None
    model: str | None
    received_at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        """The body decoded as JSON (raises ``ValueError`` if it is not JSON)."""
        return json.loads(self.body)


class Recorder:
    """The requests received so far, in order of arrival. Thread-safe."""

    __slots__ = ("_lock", "_requests")

    def __init__(self) -> None:
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def add(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def all(self) -> list[RecordedRequest]:
        """A copy of the requests so far."""
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()
