"""Circuit breakers: which models are cooling down after a failure, shared by every request.

A model that failed in a way that says "not now" (rate limited, overloaded, out of quota, its
credential refused) is *opened*: later requests skip it without sending anything until its
cooldown ends. Then one request is let through as a probe (*half-open*): success closes the
breaker, a failure of a breaker kind opens it again for longer (the strikes count how many times
in a row it has opened), and any other outcome closes or releases it. While one caller holds the
probe, every other caller skips the model; a probe claim lapses by itself at the prober's call
deadline, so a caller that vanished without a word cannot keep the model closed off for ever.

Every operation keeps the later deadline when two disagree: a breaker opened again while open
never ends sooner, whichever caller's report arrives last.

State lives behind :class:`BreakerStore`, so a store shared between processes can replace the
in-memory one. Every operation is short and non-blocking, so one lock around each change makes
the memory store safe under threads and under concurrent asyncio tasks alike.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, replace
from typing import Protocol

from hotswap.types.errors import ErrorKind

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
    """Why and until when a model is skipped (times on the store's clock).

    :param until: when the cooldown ends.
    :param kind: the failure that opened it (the latest that set ``until``).
    :param strikes: how many times in a row the model failed this way with no success between:
        1 when it first opens, one more each time a probe fails.
    :param probe_until: while a caller holds the probe, when that claim lapses; None otherwise.
    """

    until: float
    kind: ErrorKind
    strikes: int = 1
    probe_until: float | None = None

    @property
    def probing(self) -> bool:
        """Whether a caller held the probe when this state was read."""
        return self.probe_until is not None


class BreakerStore(Protocol):
    """Where breaker state lives. Keys are model names; times are on the caller's clock."""

    def check(self, key: str, now: float, *, hold_until: float) -> BreakerVerdict:
        """May ``key`` be tried now? When its cooldown is over and no one else holds the probe,
        claims the probe until ``hold_until`` (the caller's deadline) and says PROBE."""
        ...

    def open(
        self, key: str, until: float, kind: ErrorKind, *, strikes: int = 1, probe: bool = False
    ) -> None:
        """Skip ``key`` until ``until`` (or its current deadline, if later). ``probe``: the
        caller held the probe, which this ends; otherwise a probe held by someone else stands.

        :param strikes: the breaker's strikes as the caller counted them; the store keeps the
            larger of its own and these.
        """
        ...

    def close(self, key: str) -> None:
        """``key`` answered: try it normally from now on (strikes forgotten)."""
        ...

    def release(self, key: str) -> None:
        """Give back a probe of ``key`` that ended with no verdict (the caller stopped, or
        something outside the provider failed): the next caller may probe at once."""
        ...

    def state(self, key: str) -> OpenBreaker | None:
        """The open breaker for ``key``, or None when closed (for decisions and display)."""
        ...


class MemoryBreakerStore:
    """Breaker state in this process's memory (the default)."""

    def __init__(self) -> None:
        self._open: dict[str, OpenBreaker] = {}
        self._lock = threading.Lock()

    def check(self, key: str, now: float, *, hold_until: float) -> BreakerVerdict:
        with self._lock:
            breaker = self._open.get(key)
            if breaker is None:
                return BreakerVerdict.CLOSED
            if now < breaker.until:
                return BreakerVerdict.OPEN
            if breaker.probe_until is not None and now < breaker.probe_until:
                return BreakerVerdict.OPEN
            self._open[key] = replace(breaker, probe_until=max(hold_until, now))
            return BreakerVerdict.PROBE

    def open(
        self, key: str, until: float, kind: ErrorKind, *, strikes: int = 1, probe: bool = False
    ) -> None:
        with self._lock:
            current = self._open.get(key)
            if current is None:
                self._open[key] = OpenBreaker(until, kind, strikes)
                return
            held = None if probe else current.probe_until
            if current.until > until:
                until, kind = current.until, current.kind
            self._open[key] = OpenBreaker(until, kind, max(strikes, current.strikes), held)

    def close(self, key: str) -> None:
        with self._lock:
            self._open.pop(key, None)

    def release(self, key: str) -> None:
        with self._lock:
            breaker = self._open.get(key)
            if breaker is not None and breaker.probe_until is not None:
                self._open[key] = replace(breaker, probe_until=None)

    def state(self, key: str) -> OpenBreaker | None:
        # One read of an entry that is only ever replaced whole: no lock needed.
        return self._open.get(key)
