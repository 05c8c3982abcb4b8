"""The limits users actually run with, the defaults (first event 300 s, idle 90 s), over real
HTTP, on a clock the test moves: a stream that stops after a few words is cut 90 s after its
last event, not at 300 s, and an answer that never begins is cut at 300 s."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from hotswap import Outcome, StreamInterruptedError, TextDelta
from hotswap.testing import Hang, Reply, Stall
from hotswap.wire.guard import AsyncGuard, SyncGuard
from hotswap.wire.timeouts import AttemptTimer, Timeouts
from hotswap.wire.transport import Transport

from .conftest import PRIMARY, ManualAlarms

LONG = Reply(text="one two three four five six")
START = 1000.0


@pytest.fixture
def alarms() -> ManualAlarms:
    return ManualAlarms(START)


@pytest.fixture(params=["httpx2", "aiohttp"])
def transport(request, alarms):
    """The async tests run through both transports; aiohttp serves async calls only, so the
    sync tests ask for httpx2 alone."""
    kind = request.param
    with Transport.aiohttp(alarms=alarms) if kind == "aiohttp" else Transport(alarms=alarms) as t:
        yield t


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait, in real time, until ``condition`` holds."""
    ends = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < ends, "timed out waiting"
        time.sleep(0.01)


SETTLE = 0.3
"""Real seconds for a call that has had all a stalled server will send to take it in and wait on
the network again: only then may the clock move, or the events would be heard late."""
SHOWN = "one two "
"""The text of the first five frames of LONG, all a ``Stall(after=5)`` sends."""


def still_running_after(alarms: ManualAlarms, worker: threading.Thread, seconds: float) -> bool:
    """Move the clock ``seconds`` on and say whether the call is still waiting a moment later."""
    alarms.advance(seconds)
    worker.join(0.3)
    return worker.is_alive()


def finish(alarms: ManualAlarms, worker: threading.Thread) -> None:
    """Ring whatever is due until the call ends (an alarm set while the clock was being moved
    rings at the next move)."""
    ends = time.monotonic() + 5
    while worker.is_alive():
        assert time.monotonic() < ends, "the call did not end"
        alarms.advance(0.0)
        worker.join(0.05)


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except Exception as error:
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    return worker, outcome


@pytest.mark.parametrize("transport", ["httpx2"], indirect=True)
def test_a_stream_that_stops_after_a_few_words_is_cut_90_s_after_them_sync(
    make_chain, simulator, alarms
):
    simulator.script(PRIMARY, [Stall(after=5, reply=LONG)])
    shown: list[str] = []

    def read() -> None:
        for event in make_chain().stream("hi"):
            if isinstance(event, TextDelta):
                shown.append(event.text)

    worker, outcome = in_thread(read)
    wait_for(lambda: "".join(shown) == SHOWN)
    time.sleep(SETTLE)

    assert still_running_after(alarms, worker, 89.5)
    alarms.advance(1.0)
    finish(alarms, worker)

    error = outcome["error"]
    assert isinstance(error, StreamInterruptedError)
    assert shown
    assert error.partial_text == "".join(shown)
    assert error.attempts[0].message == "the stream stalled: nothing for 90 s"


def test_a_stream_that_stops_after_a_few_words_is_cut_90_s_after_them_async(
    make_chain, simulator, alarms
):
    simulator.script(PRIMARY, [Stall(after=5, reply=LONG)])
    chain = make_chain()

    async def scenario() -> StreamInterruptedError:
        shown: list[str] = []

        async def read() -> None:
            async for event in chain.astream("hi"):
                if isinstance(event, TextDelta):
                    shown.append(event.text)

        task = asyncio.create_task(read())
        while "".join(shown) != SHOWN:
            await asyncio.sleep(0.01)
        await asyncio.sleep(SETTLE)
        alarms.advance(89.5)
        await asyncio.sleep(0.2)
        assert not task.done()
        alarms.advance(1.0)
        with pytest.raises(StreamInterruptedError) as interrupted:
            await task
        await chain.transport.aclose()
        assert interrupted.value.partial_text == "".join(shown)
        return interrupted.value

    error = asyncio.run(scenario())

    assert error.attempts[0].message == "the stream stalled: nothing for 90 s"


def test_a_whole_answer_that_never_begins_fails_over_at_300_s_async(make_chain, simulator, alarms):
    simulator.script(PRIMARY, [Hang()])
    chain = make_chain()

    async def scenario() -> Any:
        task = asyncio.create_task(chain.acomplete("hi"))
        while simulator.count(PRIMARY) == 0:
            await asyncio.sleep(0.01)
        await asyncio.sleep(SETTLE)
        alarms.advance(299.5)
        await asyncio.sleep(0.2)
        assert not task.done()
        alarms.advance(1.0)
        reply = await task
        await chain.transport.aclose()
        return reply

    reply = asyncio.run(scenario())

    assert reply.model == "fallback"
    cut = reply.attempts[0]
    assert (cut.outcome, cut.kind, cut.message) == (
        Outcome.FAILED,
        "timeout",
        "no answer within 300 s",
    )


@pytest.mark.parametrize("transport", ["httpx2"], indirect=True)
def test_a_whole_answer_that_stalls_after_its_headers_fails_over_at_90_s_sync(
    make_chain, simulator, alarms
):
    simulator.script(PRIMARY, [Stall(after=1)])

    worker, outcome = in_thread(lambda: make_chain().complete("hi"))
    wait_for(lambda: simulator.count(PRIMARY) == 1)
    time.sleep(SETTLE)

    assert still_running_after(alarms, worker, 89.5)
    alarms.advance(1.0)
    finish(alarms, worker)

    reply = outcome["value"]
    assert reply.model == "fallback"
    assert reply.attempts[0].message == "the answer stalled: nothing for 90 s"


def test_before_the_headers_a_sync_request_waits_exactly_the_first_event_limit():
    # Until the headers arrive a sync guard has no socket to interrupt: the socket's own read
    # limit is the first-event limit, and only once they are in does it widen to a backstop.
    timer = AttemptTimer(Timeouts(), START, streaming=False, time_left=1200.0)
    exchange: Any = object()

    limits = SyncGuard.socket_limits(timer)
    assert limits == {"connect": 10.0, "read": 300.0, "write": 30.0, "pool": 30.0}

    with SyncGuard(exchange, timer, ManualAlarms(START)) as guard:
        guard.answered({}, limits, START + 5)
    assert limits["read"] == 301.0


def test_an_async_requests_socket_read_limit_is_only_a_backstop():
    # An async guard can cancel any read, so the socket's read limit never speaks first.
    timer = AttemptTimer(Timeouts(), START, streaming=False, time_left=1200.0)

    limits = AsyncGuard.socket_limits(timer)

    assert limits == {"connect": 10.0, "read": 301.0, "write": 30.0, "pool": 30.0}
