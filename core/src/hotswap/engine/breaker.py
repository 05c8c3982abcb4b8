"""Circuit breakers: which models are cooling down after a failure, shared by every request.

A model that failed in a way that says "not now" (rate limited, overloaded, out of quota) is
*opened*: later requests skip it without sending anything until its cooldown ends. Then one
request is let through as a probe (*half-open*): success closes the breaker, failure opens it
again. A model cooled again while open keeps whichever deadline is later.

State lives behind :class:`BreakerStore`, so a store shared between processes can replace the
in-memory one. Every operation is short and non-blocking, so one lock makes the memory store
safe under threads and under concurrent asyncio tasks alike.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from typing import Protocol

from hotswap.errors import ErrorKind

__all__ = ["BreakerStore", "BreakerVerdict", "MemoryBreakerStore", "OpenBreaker"]


class BreakerVerdict(enum.Enum):
    CLOSED = "closed"
    """Send normally."""
    PROBE = "probe"
    """The cooldown is over and this caller holds the one probe: send, then report back."""
    OPEN = "open"
    """Skip: cooling down, or another caller is probing."""


@dataclass(frozen=True, slots=True)
class OpenBreaker:
    """Why and until when a model is skipped (``until`` on the store's clock)."""

    until: float
    kind: ErrorKind
    probing: bool = False


class BreakerStore(Protocol):
    """Where breaker state lives. Keys are model names; times are on the caller's clock."""

    def check(self, key: str, now: float) -> BreakerVerdict:
        """May ``key`` be tried now? Claims the probe when the cooldown is over."""
        ...

    def open(self, key: str, until: float, kind: ErrorKind) -> None:
        """Skip ``key`` until ``until``, or until its current deadline if that is later."""
        ...

    def close(self, key: str) -> None:
        """``key`` answered: try it normally from now on."""
        ...

    def state(self, key: str) -> OpenBreaker | None:
        """The open breaker for ``key``, or None when closed (for display)."""
        ...


class MemoryBreakerStore:
    """Breaker state in this process's memory (the default)."""

    def __init__(self) -> None:
        self._open: dict[str, OpenBreaker] = {}
        self._lock = threading.Lock()

    def check(self, key: str, now: float) -> BreakerVerdict:
        with self._lock:
            breaker = self._open.get(key)
            if breaker is None:
                return BreakerVerdict.CLOSED
            if breaker.probing or now < breaker.until:
                return BreakerVerdict.OPEN
            self._open[key] = OpenBreaker(breaker.until, breaker.kind, probing=True)
            return BreakerVerdict.PROBE

    def open(self, key: str, until: float, kind: ErrorKind) -> None:
        with self._lock:
            current = self._open.get(key)
            if current is not None and not current.probing and current.until >= until:
                return
            self._open[key] = OpenBreaker(until, kind)

    def close(self, key: str) -> None:
        with self._lock:
            self._open.pop(key, None)

    def state(self, key: str) -> OpenBreaker | None:
        with self._lock:
            return self._open.get(key)
