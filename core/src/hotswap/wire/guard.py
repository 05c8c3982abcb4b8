"""Enforcing an :class:`~hotswap.wire.timeouts.AttemptTimer` on a live HTTP exchange.

A socket read limit cannot tell "no first event after five minutes" from "silent for ninety
seconds mid-stream", and cannot bound a whole attempt at all. So each attempt gets a guard: an
alarm, first set for the soonest any limit could pass (the idle limit, if the first event came
at once), so that no event can bring a deadline nearer than the alarm. When it rings and a limit
has really passed, the guard interrupts the read in progress (sync: shuts the socket down, which
wakes the blocked read; async: cancels the waiting task) and the transport reports a
``timeout``; when it rings early, it sets itself again for the deadline as it stands. Most
attempts end before the first ring, and between rings the reading loop pays only for telling
the timer what it heard.

A guard interrupts only while the transport is waiting on the network; time the caller spends
on an event it was handed is not the provider's silence. A sync guard learns its socket only
once the response headers have arrived, so until then the socket's own read limit is set to
the first-event limit exactly (:func:`socket_limits`); after that the guard bounds every read
and the socket's limit becomes a backstop that allows the longest legitimate silence
(:func:`after_headers`).

Alarms come from an :class:`AlarmClock`: one daemon thread for every sync guard, the running
event loop for async ones, or a clock a test moves by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from hotswap.types.errors import ErrorKind
from hotswap.types.http import TransportFailure
from hotswap.wire.timeouts import AttemptTimer

if TYPE_CHECKING:
    from hotswap.types.errors import ProviderError
    from hotswap.wire.exchange import Exchange

__all__ = [
    "AlarmClock",
    "AsyncGuard",
    "LoopAlarms",
    "SocketLimits",
    "SyncGuard",
    "ThreadAlarms",
    "after_headers",
    "guarded_failure",
    "socket_limits",
    "thread_alarms",
    "timed_out",
]

SocketLimits = dict[str, float | None]
"""A request's socket limits in seconds (``connect``, ``read``, ``write``, ``pool``), as
httpx2's ``timeout`` request extension holds them. A read limit of None sets none."""

_BACKSTOP_MARGIN = 1.0
"""Seconds the socket's read limit allows beyond the guard's, so the guard always speaks first."""


class Alarm(Protocol):
    def cancel(self) -> None: ...


class AlarmClock(Protocol):
    """A monotonic clock that can call back at a time on it."""

    def now(self) -> float: ...

    def at(self, when: float, callback: Callable[[], None]) -> Alarm:
        """Call ``callback`` at ``when`` (from any thread), unless cancelled first."""
        ...


class _ThreadAlarm:
    __slots__ = ("_alarms", "_entry")

    def __init__(self, alarms: ThreadAlarms, entry: list[Any]) -> None:
        self._alarms = alarms
        self._entry = entry

    def cancel(self) -> None:
        self._alarms.cancel(self._entry)


class ThreadAlarms:
    """One daemon thread that calls callbacks at ``time.monotonic`` times, for sync guards."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, list[Any]]] = []
        self._order = itertools.count()
        self._wakeup = threading.Condition()
        self._thread: threading.Thread | None = None
        self._cancelled = 0

    def now(self) -> float:
        return time.monotonic()

    def at(self, when: float, callback: Callable[[], None]) -> Alarm:
        entry: list[Any] = [callback]
        with self._wakeup:
            heapq.heappush(self._heap, (when, next(self._order), entry))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="hotswap-alarms", daemon=True
                )
                self._thread.start()
            elif self._heap[0][2] is entry:
                self._wakeup.notify()
        return _ThreadAlarm(self, entry)

    def _run(self) -> None:
        while True:
            with self._wakeup:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    wait = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._wakeup.wait(wait)
                _, _, entry = heapq.heappop(self._heap)
                callback = entry[0]
                if callback is None:
                    self._cancelled -= 1
                entry[0] = None
            if callback is not None:
                callback()

    def cancel(self, entry: list[Any]) -> None:
        with self._wakeup:
            if entry[0] is None:
                return
            entry[0] = None
            self._cancelled += 1
            # Most attempts finish long before their alarm: drop the dead entries in bulk so a
            # busy process does not keep one per request for minutes.
            if self._cancelled > 64 and self._cancelled * 2 > len(self._heap):
                self._heap = [item for item in self._heap if item[2][0] is not None]
                heapq.heapify(self._heap)
                self._cancelled = 0


_thread_alarms = ThreadAlarms()


def thread_alarms() -> ThreadAlarms:
    """The alarm thread every sync guard of the process shares."""
    return _thread_alarms


class LoopAlarms:
    """The running event loop's clock and timers, for async guards."""

    __slots__ = ("_loop",)

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def now(self) -> float:
        return self._loop.time()

    def at(self, when: float, callback: Callable[[], None]) -> Alarm:
        return self._loop.call_at(when, callback)


class _Guard:
    """What sync and async guards share: when the alarm is set, and what a ring decides.
    Set :attr:`waiting` (or call :meth:`listen`) around each network read, call :meth:`heard`
    when events have been handed on, and :meth:`cancel` at the end."""

    __slots__ = ("_alarm", "_clock", "_done", "_rang_unheard", "heard", "timer", "waiting")

    def __init__(self, timer: AttemptTimer, clock: AlarmClock) -> None:
        self.timer = timer
        self.heard = timer.heard
        """Events were handed on at a time: the idle limit counts from there."""
        self.waiting = True
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

    def cancel(self) -> None:
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
    """Watches one sync attempt; call :meth:`attach` once the response (and so its socket)
    exists: before that the socket's own read limit bounds the wait."""

    __slots__ = ("_socket",)

    def __init__(self, timer: AttemptTimer, clock: AlarmClock) -> None:
        self._socket: socket.socket | None = None
        super().__init__(timer, clock)

    def attach(self, extensions: Any) -> None:
        """Read the socket from an httpx2 response's ``extensions`` (absent for a mock
        transport, where only the reading loop's own checks apply)."""
        stream = extensions.get("network_stream")
        found = stream.get_extra_info("socket") if stream is not None else None
        self._socket = found if isinstance(found, socket.socket) else None

    def _interrupt(self) -> None:
        if self.waiting and self._socket is not None:
            # The base-class call shuts the TCP connection down even under TLS, which wakes a
            # read blocked in another thread (closing the socket would not); an OSError means
            # it is closed already, and the read has ended anyway.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self._socket, socket.SHUT_RDWR)


class AsyncGuard(_Guard):
    """Watches one async attempt on the running loop: when a limit passes while
    :attr:`waiting`, the task reading the response is cancelled, and :meth:`tripped` turns
    that cancellation into the timeout it stands for."""

    __slots__ = ("_task", "cancelled_task")

    def __init__(self, timer: AttemptTimer, clock: AlarmClock) -> None:
        self.cancelled_task = False
        self._task = asyncio.current_task()
        super().__init__(timer, clock)

    def tripped(self) -> bool:
        """Whether a ``CancelledError`` just caught came from this guard (and if so, withdraw
        the cancellation so the task carries on to report the timeout)."""
        if not self.cancelled_task:
            return False
        self.cancelled_task = False
        uncancel = getattr(self._task, "uncancel", None)  # Python 3.11+
        if uncancel is not None:
            uncancel()
        return True

    def _interrupt(self) -> None:
        if self.waiting and self._task is not None and not self.cancelled_task:
            self.cancelled_task = True
            self._task.cancel()


def socket_limits(timer: AttemptTimer, connect: float, write: float, pool: float) -> SocketLimits:
    """The socket limits to send an attempt's request with: none past the attempt's end, and
    a read limit that is exactly the wait for the first event (or a whole answer's headers),
    since until the headers arrive a sync guard has no socket to interrupt."""
    left = timer.ends - timer.started
    return {
        "connect": min(connect, left),
        "read": min(timer.limits.first_event, left),
        "write": min(write, left),
        "pool": min(pool, left),
    }


def after_headers(limits: SocketLimits, timer: AttemptTimer, now: float) -> None:
    """Once the headers are in, the guard bounds every read: widen the socket's read limit to
    a backstop past the longest silence the guard allows from ``now``. httpx2 reads the
    request's ``timeout`` extension when it starts reading the body, which is after this."""
    if limits["read"] is None:
        return
    silence = max(timer.limits.first_event, timer.limits.idle)
    limits["read"] = max(min(silence, timer.ends - now), 0.0) + _BACKSTOP_MARGIN


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
