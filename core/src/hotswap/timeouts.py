"""How long one attempt may take, phase by phase, and the sans-I/O timer that knows when it is up.

The limits suit real providers, reasoning models included: a reasoning model can think for
minutes before it sends its first event, but once it is talking, a long silence means the
stream has stalled. The defaults, in seconds:

============== ======= =====================================================================
limit          default what it bounds
============== ======= =====================================================================
connect        10      opening the connection
first_event    300     from sending the request to the first stream event (or, for a whole
                       answer, to its response headers)
idle           90      between stream events, once the first has arrived
attempt        600     one attempt from start to finish; a model's ``timeout_s`` replaces it
write, pool    30      sending the body; waiting for a free pooled connection
============== ======= =====================================================================

The whole call, across every attempt and every backoff wait, has one more limit (the chain's
``deadline_s``, or the request's ``timeout_s``); an attempt never runs past it. A timed-out
attempt is a ``timeout`` failure, which fails over like any other condition.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

__all__ = ["AttemptTimer", "Timeouts"]


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Limits for one attempt, in seconds (see the module's table)."""

    connect: float = 10.0
    first_event: float = 300.0
    idle: float = 90.0
    attempt: float = 600.0
    write: float = 30.0
    pool: float = 30.0

    def within(self, seconds: float) -> Timeouts:
        """These limits, none longer than ``seconds`` (what is left of the call's deadline)."""
        seconds = max(seconds, 0.001)
        if seconds >= max(self.connect, self.first_event, self.idle, self.attempt):
            return self  # the usual case, far from the deadline: nothing to shorten
        return replace(
            self,
            connect=min(self.connect, seconds),
            first_event=min(self.first_event, seconds),
            idle=min(self.idle, seconds),
            attempt=min(self.attempt, seconds),
        )


class AttemptTimer:
    """When one attempt must next hear something, and which limit it broke if it did not.

    The transport tells it when events arrive (:meth:`heard`) and asks :meth:`deadline` to set
    its alarm; it does no I/O and reads no clock of its own.

    :param limits: the attempt's limits.
    :param started: when the attempt began, on the transport's monotonic clock.
    :param streaming: whether the answer is a stream; a whole answer has only its ``attempt``
        limit once the request is sent, since it arrives all at once when it is done.
    """

    __slots__ = ("_heard_at", "_started", "expired", "limits", "streaming")

    def __init__(self, limits: Timeouts, started: float, *, streaming: bool) -> None:
        self.limits = limits
        self.streaming = streaming
        self._started = started
        self._heard_at: float | None = None
        self.expired: tuple[Literal["first_event", "idle", "attempt"], str] | None = None
        """Once a limit has passed: its phase (``first_event``, ``idle``, ``attempt``) and a
        sentence for people."""

    def heard(self, now: float) -> None:
        """Events arrived (or were handed on) at ``now``: the idle limit counts from here."""
        self._heard_at = now

    def deadline(self) -> float:
        """When the current limit passes."""
        end = self._started + self.limits.attempt
        if not self.streaming:
            return end
        if self._heard_at is None:
            return min(end, self._started + self.limits.first_event)
        return min(end, self._heard_at + self.limits.idle)

    def check(self, now: float) -> bool:
        """Whether a limit has passed at ``now``; if so :attr:`expired` says which."""
        if self.expired is not None:
            return True
        if now < self.deadline():
            return False
        limits = self.limits
        if now >= self._started + limits.attempt:
            self.expired = ("attempt", f"the attempt took longer than {limits.attempt:g} s")
        elif self._heard_at is None:
            self.expired = ("first_event", f"no answer within {limits.first_event:g} s")
        else:
            self.expired = ("idle", f"the stream stalled: nothing for {limits.idle:g} s")
        return True
