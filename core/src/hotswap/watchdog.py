"""Enforcing an :class:`~hotswap.timeouts.AttemptTimer` on a live HTTP exchange.

A socket read timeout cannot tell "no first event after five minutes" from "silent for ninety
seconds mid-stream", and cannot bound a whole attempt at all. So each attempt gets a guard: an
alarm set for the timer's deadline. When it rings and the limit has really passed, the guard
interrupts the read in progress (sync: shuts the socket down, which wakes the blocked read;
async: cancels the waiting task) and the transport reports a ``timeout``. When it rings early,
because events arrived and moved the deadline, it sets itself again. Between rings the reading
loop pays only for telling the timer that it heard something.

A guard interrupts only while the transport is waiting on the network; time the caller spends
on an event it was handed is not the provider's silence.
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
from typing import TYPE_CHECKING, Any

from hotswap.errors import ErrorKind
from hotswap.http import TransportFailure
from hotswap.timeouts import AttemptTimer

if TYPE_CHECKING:
    from hotswap.errors import ProviderError
    from hotswap.exchange import Exchange

__all__ = ["AsyncGuard", "SyncGuard", "guarded_failure", "timed_out"]


class _Alarms:
    """One daemon thread that calls callbacks at monotonic times, for every sync guard."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, list[Any]]] = []
        self._order = itertools.count()
        self._wakeup = threading.Condition()
        self._thread: threading.Thread | None = None
        self._cancelled = 0

    def at(self, when: float, callback: Callable[[], None]) -> list[Any]:
        """Call ``callback`` at ``when``; pass the returned entry to :meth:`cancel` to cancel."""
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
        return entry

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


_alarms = _Alarms()


class SyncGuard:
    """Watches one sync attempt. Set :attr:`waiting` around each network read; call
    :meth:`attach` once the response (and so its socket) exists; :meth:`cancel` at the end."""

    __slots__ = ("_done", "_entry", "_socket", "timer", "waiting")

    def __init__(self, timer: AttemptTimer) -> None:
        self.timer = timer
        self.waiting = False
        self._done = False
        self._socket: socket.socket | None = None
        self._entry = _alarms.at(timer.deadline(), self._ring)

    def attach(self, extensions: Any) -> None:
        """Read the socket from an httpx2 response's ``extensions`` (absent for a mock
        transport, where only the reading loop's own checks apply)."""
        stream = extensions.get("network_stream")
        found = stream.get_extra_info("socket") if stream is not None else None
        self._socket = found if isinstance(found, socket.socket) else None

    def cancel(self) -> None:
        self._done = True
        self.waiting = False
        _alarms.cancel(self._entry)

    def _ring(self) -> None:
        if self._done:
            return
        if not self.timer.check(time.monotonic()):
            self._entry = _alarms.at(self.timer.deadline(), self._ring)
            return
        if self.waiting and self._socket is not None:
            # The base-class call shuts the TCP connection down even under TLS, which wakes a
            # read blocked in another thread (closing the socket would not); an OSError means
            # it is closed already, and the read has ended anyway.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self._socket, socket.SHUT_RDWR)


class AsyncGuard:
    """Watches one async attempt on the running loop: when a limit passes while
    :attr:`waiting`, the task reading the response is cancelled, and :meth:`tripped` turns
    that cancellation into the timeout it stands for."""

    __slots__ = ("_handle", "_loop", "_task", "cancelled_task", "timer", "waiting")

    def __init__(self, timer: AttemptTimer) -> None:
        self.timer = timer
        self.waiting = False
        self.cancelled_task = False
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._handle: asyncio.TimerHandle | None = self._loop.call_at(timer.deadline(), self._ring)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

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

    def _ring(self) -> None:
        self._handle = None
        if not self.timer.check(self._loop.time()):
            self._handle = self._loop.call_at(self.timer.deadline(), self._ring)
            return
        if self.waiting and self._task is not None:
            self.cancelled_task = True
            self._task.cancel()


def timed_out(exchange: Exchange, timer: AttemptTimer) -> ProviderError:
    """The ``timeout`` error for the limit ``timer`` says has passed."""
    phase, detail = timer.expired or ("attempt", "the attempt timed out")
    return exchange.error(TransportFailure(ErrorKind.TIMEOUT, phase, detail))


def guarded_failure(
    exchange: Exchange, timer: AttemptTimer, failure: TransportFailure
) -> ProviderError:
    """The error for a transport failure: the attempt's timeout when its guard cut the
    connection (or the socket's backstop read limit fired), else the failure itself."""
    if timer.expired is None and failure.kind is ErrorKind.TIMEOUT and failure.phase == "read":
        timer.check(time.monotonic())
    if timer.expired is not None:
        return timed_out(exchange, timer)
    return exchange.error(failure)
