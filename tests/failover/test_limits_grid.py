"""Every limit fires at its own time, whatever the others are: a grid of limit combinations
(idle shorter than the first-event limit, idle longer, the attempt shortest, the call's
deadline shortest), for streams and whole answers, sync and async, through httpx2 and aiohttp,
over real HTTP. Each failure is timed and must come at its limit, never before it.

The limits are a few tenths of a second, the tolerance a quarter of one: enough to tell a
limit from the next one in its row, which is what a wrong limit firing would look like."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest

from hotswap import AllModelsFailedError, Attempt, Outcome, StreamReset, TextDelta
from hotswap.testing import Hang, Reply, Slow, Stall
from hotswap.wire.transport import Transport

from .conftest import PRIMARY

U = 0.3
"""The grid's unit of time, in seconds."""
LATE = 0.25
"""How long after its limit a failure may be reported, on a loaded machine."""
LONG = Reply(text="one two three four five six seven eight")


@dataclass(frozen=True)
class Limits:
    first_event: float
    idle: float
    attempt: float
    deadline: float

    def settings(self) -> dict[str, Any]:
        return {
            "first_event_timeout_s": self.first_event,
            "idle_timeout_s": self.idle,
            "attempt_timeout_s": self.attempt,
            "deadline_s": self.deadline,
            "stream_recovery": "restart",
            "max_retries": 0,
        }


GRID = {
    "idle shorter than first event": Limits(first_event=2 * U, idle=U, attempt=20, deadline=30),
    "idle longer than first event": Limits(first_event=U, idle=2 * U, attempt=20, deadline=30),
    "attempt shortest": Limits(first_event=10, idle=10, attempt=1.5 * U, deadline=30),
    "deadline shortest": Limits(first_event=10, idle=10, attempt=20, deadline=1.5 * U),
}


def expected(limits: Limits, silent_from_start: bool) -> tuple[str, float]:
    """The message and elapsed seconds of the limit that must cut an attempt that goes silent
    from the start (no first event) or after its first events."""
    if limits.deadline < min(limits.first_event, limits.idle, limits.attempt):
        return "the call's deadline passed during the attempt", limits.deadline
    if limits.attempt < min(limits.first_event, limits.idle):
        return f"the attempt took longer than {limits.attempt:g} s", limits.attempt
    if silent_from_start:
        return f"no answer within {limits.first_event:g} s", limits.first_event
    return f"nothing for {limits.idle:g} s", limits.idle


@pytest.fixture(params=["sync", "async httpx2", "async aiohttp"])
def driver(request) -> str:
    """How the chain is called: sync (through httpx2), or async through either transport."""
    return request.param


@pytest.fixture
def transport(driver):
    with Transport.aiohttp() if driver.endswith("aiohttp") else Transport() as made:
        yield made


def answered(events: list[Any]) -> str:
    """The text a consumer is left showing: what came after the last reset."""
    resets = [i for i, e in enumerate(events) if isinstance(e, StreamReset)]
    shown = events[resets[-1] + 1 :] if resets else events
    return "".join(e.text for e in shown if isinstance(e, TextDelta))


def call(driver: str, chain: Any, stream: bool) -> tuple[list[Attempt], str]:
    """Ask ``chain`` once as ``driver`` says: its attempts, and the text it answered."""
    if driver == "sync":
        if stream:
            run = chain.stream("hi")
            return run.attempts, answered(list(run))
        reply = chain.complete("hi")
        return list(reply.attempts), reply.text

    async def ask() -> tuple[list[Attempt], str]:
        try:
            if stream:
                run = chain.astream("hi")
                return run.attempts, answered([e async for e in run])
            reply = await chain.acomplete("hi")
            return list(reply.attempts), reply.text
        finally:
            await chain.transport.aclose()

    return asyncio.run(ask())


def cut_attempt(driver, make_chain, simulator, fault, limits: Limits, stream: bool) -> Attempt:
    """The primary's timed-out attempt, once the call is over (answered by the fallback, or
    failed at the call's deadline)."""
    simulator.script(PRIMARY, [fault])
    chain = make_chain(**limits.settings())
    if limits.deadline < 10:
        with pytest.raises(AllModelsFailedError) as failed:
            call(driver, chain, stream)
        assert failed.value.reason == "the call's deadline passed"
        attempts = failed.value.attempts
    else:
        attempts, text = call(driver, chain, stream)
        assert text == "echo: hi"
        assert attempts[-1].outcome is Outcome.OK
    first = attempts[0]
    assert (first.model, first.outcome, first.kind) == ("primary", Outcome.FAILED, "timeout")
    return first


def assert_cut_at(attempt: Attempt, message: str, seconds: float) -> None:
    assert attempt.message is not None
    assert attempt.message.endswith(message)
    elapsed = attempt.elapsed_ms / 1000
    assert seconds - 0.02 <= elapsed <= seconds + LATE, (message, elapsed)


@pytest.mark.parametrize("grid", GRID, ids=str)
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
def test_an_answer_that_never_begins_is_cut_at_its_limit(
    driver, grid, stream, make_chain, simulator
):
    limits = GRID[grid]

    attempt = cut_attempt(driver, make_chain, simulator, Hang(), limits, stream)

    assert_cut_at(attempt, *expected(limits, silent_from_start=True))


@pytest.mark.parametrize("grid", GRID, ids=str)
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
def test_an_answer_that_stalls_after_it_began_is_cut_at_its_limit(
    driver, grid, stream, make_chain, simulator
):
    limits = GRID[grid]
    # A stream stalls after its first words; a whole answer after its headers and half its body.
    fault = Stall(after=5, reply=LONG) if stream else Stall(after=1, reply=LONG)

    attempt = cut_attempt(driver, make_chain, simulator, fault, limits, stream)

    assert_cut_at(attempt, *expected(limits, silent_from_start=False))


def test_pauses_longer_than_the_first_event_limit_but_within_idle_are_not_cut(
    driver, make_chain, simulator
):
    # Every frame after the first words comes 1.5 U after the one before; two of them (the
    # block's end, then the finish) carry no event of their own, so the idle limit is 4 U.
    limits = Limits(first_event=U, idle=4 * U, attempt=20, deadline=30)
    simulator.script(PRIMARY, [Slow(delay=1.5 * U, after=4, reply=Reply(text="one two three"))])

    attempts, text = call(driver, make_chain(**limits.settings()), stream=True)

    assert text == "one two three"
    assert [(a.model, a.outcome) for a in attempts] == [("primary", Outcome.OK)]
