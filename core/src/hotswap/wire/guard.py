"""Enforcing an :class:`~hotswap.wire.timeouts.AttemptTimer` on a live HTTP exchange.

A socket read limit cannot tell "no first event after five minutes" from "silent for ninety
seconds mid-stream", and cannot bound a whole attempt at all. So each attempt gets a guard: an
alarm, first set for the soonest any limit could pass (the idle limit, if the first event came
at once), so that no event can bring a deadline nearer than the alarm. When it rings and a limit
has really passed, the guard interrupts the read in progress and the transport reports a
``timeout``; when it rings early, it sets itself again for the deadline as it stands. A guard
interrupts only while the transport is waiting on the network: time the caller spends on an
event it was handed is not the provider's silence.

How a read is interrupted is the one thing sync and async do differently, so it lives here,
behind one interface that the single-source transport uses as a context manager:

- :class:`AsyncGuard` cancels the waiting task and, on leaving its ``async with`` block, turns
  that cancellation into the timeout it stands for. It can interrupt at any point, so the
  socket's read limit is only a backstop past the longest silence the guard allows.
- :class:`SyncGuard` shuts the socket down, which wakes a read blocked in another thread. It
  learns the socket only once the response headers have arrived, so until then the socket's
  read limit is the first-event limit exactly, and it is widened to the backstop once the
  headers are in (:meth:`SyncGuard.answered`).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from hotswap.types.errors import ErrorKind
from hotswap.types.http import TransportFailure
from hotswap.wire.alarms import Alarm, AlarmClock, LoopAlarms, thread_alarms
from hotswap.wire.timeouts import AttemptTimer

if TYPE_CHECKING:
    from hotswap.types.errors import ProviderError
    from hotswap.wire.exchange import Exchange

__all__ = ["AsyncGuard", "SocketLimits", "SyncGuard", "guarded_failure", "timed_out"]

SocketLimits = dict[str, float | None]
"""A request's socket limits in seconds (``connect``, ``read``, ``write``, ``pool``), as
httpx2's ``timeout`` request extension holds them. A read limit of None sets none."""

_BACKSTOP_MARGIN = 1.0
"""Seconds the socket's read limit allows beyond the guard's, so the guard always speaks first."""


class _Guard:
    """What sync and async guards share: when the alarm is set, and what a ring decides.
    Set :attr:`waiting` (or call :meth:`listen`) around each network read, call :meth:`heard`
    when events have been handed on; leaving the guard's ``with`` block cancels its alarm."""

    __slots__ = (
        "_alarm",
        "_clock",
        "_done",
        "_exchange",
        "_rang_unheard",
        "heard",
        "timer",
        "waiting",
    )

    def __init__(self, exchange: Exchange, timer: AttemptTimer, clock: AlarmClock) -> None:
        self.timer = timer
        self.heard = timer.heard
        """Events were handed on at a time: the idle limit counts from there."""
        self.waiting = True
        self._exchange = exchange
        self._clock = clock
        self._done = False
        self._rang_unheard = False
        self._alarm: Alarm | None = None
        self._arm(timer.soonest())

    def listen(self) -> None:
        """About to wait on the network again."""
        self.waiting = True
        if self._rang_unheard:
            # The alarm rang while the caller had an event: set it for the deadline as it
            # stands now that the transport has said what it heard.
            self._rang_unheard = False
            self._arm(self.timer.deadline())

    def _cancel(self) -> None:
        self._done = True
        self.waiting = False
        if self._alarm is not None:
            self._alarm.cancel()

    def _arm(self, when: float) -> None:
        self._alarm = self._clock.at(when, self._ring)

    def _ring(self) -> None:
        if self._done:
            return
        if not self.waiting:
            # The caller holds an event: its time is not the provider's silence, so the limit
            # is judged when the transport waits again (:meth:`listen`). Checked twice, as a
            # sync transport may start waiting between the two, and then this ring decides.
            self._rang_unheard = True
            if not self.waiting:
                return
        if not self.timer.check(self._clock.now()):
            self._arm(self.timer.deadline())
            return
        self._interrupt()

    def _interrupt(self) -> None:
        raise NotImplementedError


class SyncGuard(_Guard):
    """Watches one sync attempt by shutting its socket down when a limit passes."""

    __slots__ = ("_socket",)

    def __init__(self, exchange: Exchange, timer: AttemptTimer, clock: AlarmClock) -> None:
        self._socket: socket.socket | None = None
        super().__init__(exchange, timer, clock)

    @staticmethod
    def default_clock() -> AlarmClock:
        """The alarm thread every sync guard of the process shares."""
        return thread_alarms()

    @staticmethod
    def socket_limits(timer: AttemptTimer) -> SocketLimits:
        """The socket limits to send an attempt's request with: none past the attempt's end,
        and a read limit that is exactly the wait for the first event (or a whole answer's
        headers), since until the headers arrive the guard has no socket to interrupt."""
        left = timer.ends - timer.started
        limits = timer.limits
        return {
            "connect": min(limits.connect, left),
            "read": min(limits.first_event, left),
            "write": min(limits.write, left),
            "pool": min(limits.pool, left),
        }

    def answered(self, extensions: Mapping[str, Any], limits: SocketLimits, now: float) -> None:
        """The response headers arrived at ``now``: take the socket from httpx2's documented
        ``network_stream`` response extension (absent for a mock transport, where only the
        reading loop's own checks apply), and from now on bound every read here, widening the
        request's read limit to a backstop past the longest silence allowed. httpx2 reads the
        ``timeout`` request extension again when it starts reading the body, which is after
        this."""
        stream = extensions.get("network_stream")
        found = stream.get_extra_info("socket") if stream is not None else None
        self._socket = found if isinstance(found, socket.socket) else None
        if limits["read"] is not None:
            silence = max(self.timer.limits.first_event, self.timer.limits.idle)
            limits["read"] = max(min(silence, self.timer.ends - now), 0.0) + _BACKSTOP_MARGIN

    def __enter__(self) -> SyncGuard:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._cancel()

    def _interrupt(self) -> None:
        if self.waiting and self._socket is not None:
            # The base-class call shuts the TCP connection down even under TLS, which wakes a
            # read blocked in another thread (closing the socket would not); an OSError means
            # it is closed already, and the read has ended anyway.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self._socket, socket.SHUT_RDWR)


class AsyncGuard(_Guard):
    """Watches one async attempt on the running loop: when a limit passes while
    :attr:`waiting`, the task reading the response is cancelled, and leaving the guard's
    ``async with`` block turns that cancellation into the timeout it stands for."""

    __slots__ = ("_cancelled_task", "_task")

    def __init__(self, exchange: Exchange, timer: AttemptTimer, clock: AlarmClock) -> None:
        self._cancelled_task = False
        self._task = asyncio.current_task()
        super().__init__(exchange, timer, clock)

    @staticmethod
    def default_clock() -> AlarmClock:
        """The running event loop's clock and timers."""
        return LoopAlarms(asyncio.get_running_loop())

    @staticmethod
    def socket_limits(timer: AttemptTimer) -> SocketLimits:
        """The socket limits to send an attempt's request with: none past the attempt's end,
        and a read limit that is only a backstop, as the guard can interrupt any read."""
        left = timer.ends - timer.started
        limits = timer.limits
        silence = max(limits.first_event, limits.idle)
        return {
            "connect": min(limits.connect, left),
            "read": min(silence, left) + _BACKSTOP_MARGIN,
            "write": min(limits.write, left),
            "pool": min(limits.pool, left),
        }

    def answered(self, extensions: Mapping[str, Any], limits: SocketLimits, now: float) -> None:
        """The response headers arrived: nothing to learn, as the task can be cancelled at
        any point and the socket's limit is a backstop already."""

    async def __aenter__(self) -> AsyncGuard:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._cancel()
        if isinstance(exc, asyncio.CancelledError) and self._cancelled_task:
            # This guard cancelled the task: withdraw the cancellation so the task carries on
            # to report the timeout.
            uncancel = getattr(self._task, "uncancel", None)  # Python 3.11+
            if uncancel is not None:
                uncancel()
            raise timed_out(self._exchange, self.timer) from None

    def _interrupt(self) -> None:
        if self.waiting and self._task is not None and not self._cancelled_task:
            self._cancelled_task = True
            self._task.cancel()


def timed_out(exchange: Exchange, timer: AttemptTimer) -> ProviderError:
    """The ``timeout`` error for the limit ``timer`` says has passed."""
    phase, detail = timer.expired or ("attempt", "the attempt timed out")
    return exchange.error(TransportFailure(ErrorKind.TIMEOUT, phase, detail))


def guarded_failure(
    exchange: Exchange, timer: AttemptTimer, failure: TransportFailure, now: float
) -> ProviderError:
    """The error for a transport failure: the attempt's timeout when its guard cut the
    connection (or the socket's read limit fired at a limit of the attempt's), else the
    failure itself."""
    if timer.expired is None and failure.kind is ErrorKind.TIMEOUT and failure.phase == "read":
        timer.check(now)
    if timer.expired is not None:
        return timed_out(exchange, timer)
    return exchange.error(failure)
