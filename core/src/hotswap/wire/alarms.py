"""Clocks that call back at a time: what an attempt's guard sets its alarms on.

A guard needs the time now and a callback at a later time. Sync guards share one daemon thread
(:func:`thread_alarms`), async guards use the running event loop's timers (:class:`LoopAlarms`),
and a test of limits that last minutes passes an :class:`AlarmClock` it moves by hand.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Alarm", "AlarmClock", "LoopAlarms", "ThreadAlarms", "thread_alarms"]


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
