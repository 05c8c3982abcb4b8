"""How long one attempt may take, phase by phase, and the sans-I/O timer that knows when it is up.

The limits suit real providers, reasoning models included: a reasoning model can think for
minutes before it sends its first event, but once it is talking, a long silence means the
answer has stalled. The defaults, in seconds:

============== ======= =====================================================================
limit          default what it bounds
============== ======= =====================================================================
connect        10      opening the connection
first_event    300     from sending the request to the first stream event; for a whole
                       answer, to its response headers
idle           90      once the first event has arrived, any silence: between two stream
                       events, or between two pieces of a whole answer's body
attempt        600     one attempt from start to finish; a model's ``timeout_s`` replaces it
write, pool    30      sending the body; waiting for a free pooled connection
============== ======= =====================================================================

What resets the idle clock is an *event*: a stream frame the provider's plugin turns into at
least one event (text, thinking, a tool call, usage, the finish), or, for a whole answer, any
piece of its body. Keep-alives do not: an SSE comment, Anthropic's ``ping``, a blank NDJSON
line, or any frame that yields no event leaves the clock running, so a provider that only
pings is cut at the idle limit instead of holding the call until the attempt limit. Time the
caller spends on an event it was handed is not the provider's silence and is not counted.

The whole call, across every attempt and every backoff wait, has one more limit (the chain's
``deadline_s``, or the request's ``timeout_s``); an attempt never runs past it. Each limit
fires at its own time, whichever is nearest, whatever the others are. A limit that passes is
a ``timeout`` failure, which fails over like any other condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["AttemptTimer", "Phase", "Timeouts"]

Phase = Literal["first_event", "idle", "attempt", "deadline"]
"""Which limit cut an attempt: the four the attempt's guard enforces."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Limits for one attempt, in seconds (see the module's table)."""

    connect: float = 10.0
    first_event: float = 300.0
    idle: float = 90.0
    attempt: float = 600.0
    write: float = 30.0
    pool: float = 30.0


class AttemptTimer:
    """When one attempt must next hear something, and which limit it broke if it did not.

    The transport tells it when events arrive (:meth:`heard`) and asks :meth:`deadline` to set
    its alarm; it does no I/O and reads no clock of its own.

    :param limits: the attempt's limits.
    :param started: when the attempt began, on the transport's monotonic clock.
    :param streaming: whether the answer is a stream (only the words of :attr:`expired`
        differ: a whole answer's first event is its response headers).
    :param time_left: seconds left of the call's deadline when the attempt began, if it has one.
    """

    __slots__ = ("_by", "_heard_at", "ends", "expired", "limits", "started", "streaming")

    def __init__(
        self,
        limits: Timeouts,
        started: float,
        *,
        streaming: bool,
        time_left: float | None = None,
    ) -> None:
        self.limits = limits
        self.streaming = streaming
        self.started = started
        self._heard_at: float | None = None
        by: Phase = "attempt"
        ends = started + limits.attempt
        if time_left is not None and started + time_left < ends:
            by, ends = "deadline", started + max(time_left, 0.0)
        self._by = by
        self.ends = ends
        """When the attempt must be over, whatever it hears: its own limit or the call's."""
        self.expired: tuple[Phase, str] | None = None
        """Once a limit has passed: its phase and a sentence for people."""

    def heard(self, now: float) -> None:
        """Events arrived (or were handed on) at ``now``: the idle limit counts from here."""
        self._heard_at = now

    def soonest(self) -> float:
        """The earliest any limit can pass, whatever is heard later: an alarm set for it never
        rings after a limit has passed, so it need never be moved earlier."""
        limits = self.limits
        return min(self.ends, self.started + min(limits.first_event, limits.idle))

    def deadline(self) -> float:
        """When the nearest limit passes."""
        if self._heard_at is None:
            return min(self.ends, self.started + self.limits.first_event)
        return min(self.ends, self._heard_at + self.limits.idle)

    def check(self, now: float) -> bool:
        """Whether a limit has passed at ``now``; if so :attr:`expired` says which."""
        if self.expired is not None:
            return True
        if now < self.deadline():
            return False
        limits = self.limits
        if now >= self.ends:
            if self._by == "deadline":
                self.expired = ("deadline", "the call's deadline passed during the attempt")
            else:
                self.expired = ("attempt", f"the attempt took longer than {limits.attempt:g} s")
        elif self._heard_at is None:
            self.expired = ("first_event", f"no answer within {limits.first_event:g} s")
        else:
            what = "stream" if self.streaming else "answer"
            self.expired = ("idle", f"the {what} stalled: nothing for {limits.idle:g} s")
        return True
