"""Every timeout, streaming failover before and after content in each recovery mode, and
cancellation, over real HTTP."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from hotswap import AllModelsFailedError, Outcome, StreamInterruptedError, StreamReset, TextDelta
from hotswap.testing import Cut, Hang, RawResponse, Reply, Slow, Stall, StreamError

from .conftest import FALLBACK, PRIMARY, open_connections

LONG = Reply(text="one two three four five six")
FAST = {"first_event_timeout_s": 0.3, "idle_timeout_s": 0.3, "attempt_timeout_s": 5.0}


def texts(events) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


# -- timeouts ---------------------------------------------------------------------------------


def test_a_connection_that_never_opens_is_a_connect_timeout(make_chain, unanswered_port):
    url = f"http://127.0.0.1:{unanswered_port}/v1"
    started = time.monotonic()

    reply = make_chain(primary_url=url, connect_timeout_s=0.3).complete("hi")

    assert time.monotonic() - started < 3
    assert (reply.model, reply.attempts[0].kind) == ("fallback", "timeout")
    assert "ConnectTimeout" in reply.attempts[0].message


def test_no_first_event_in_time_fails_over_as_a_timeout(make_chain, simulator):
    simulator.script(PRIMARY, [Hang()])
    started = time.monotonic()

    stream = make_chain(**FAST).stream("hi")
    text = texts(stream)

    assert 0.3 <= time.monotonic() - started < 2
    assert text == "echo: hi"
    failed = stream.attempts[0]
    assert (failed.kind, failed.message) == ("timeout", "no answer within 0.3 s")


def test_a_whole_answer_that_never_comes_times_out_at_the_attempt_limit(make_chain, simulator):
    simulator.script(PRIMARY, [Hang()])

    reply = make_chain(attempt_timeout_s=0.3).complete("hi")

    assert reply.model == "fallback"
    assert reply.attempts[0].message == "the attempt took longer than 0.3 s"


def test_a_stream_that_stalls_after_content_is_an_idle_timeout(make_chain, simulator):
    simulator.script(PRIMARY, [Stall(after=5, reply=LONG)])

    with pytest.raises(StreamInterruptedError) as interrupted:
        texts(make_chain(**FAST).stream("hi"))

    assert interrupted.value.kind == "timeout"
    assert interrupted.value.partial_text
    assert "the stream stalled: nothing for 0.3 s" in str(interrupted.value)


def test_a_slow_but_steady_stream_is_cut_at_the_attempt_limit(make_chain, simulator):
    # Every frame comes within the idle limit, but the whole answer would take ~1.2 s.
    simulator.script(PRIMARY, [Slow(delay=0.1, reply=LONG)])
    limits = {**FAST, "idle_timeout_s": 1.0, "attempt_timeout_s": 0.6, "stream_recovery": "restart"}

    stream = make_chain(**limits).stream("hi")
    events = list(stream)

    cut = stream.attempts[0]
    assert (cut.model, cut.kind, cut.message) == (
        "primary",
        "timeout",
        "the attempt took longer than 0.6 s",
    )
    # Whether or not the cut came after the first words (a loaded machine may delay them),
    # the caller is left with the fallback's answer alone.
    resets = [e for e in events if isinstance(e, StreamReset)]
    after = events[events.index(resets[-1]) :] if resets else events
    assert texts(after) == "echo: hi"


def test_the_calls_deadline_ends_it_however_many_models_are_left(make_chain, simulator):
    simulator.script(PRIMARY, [Hang()])
    simulator.script(FALLBACK, [Hang()])
    started = time.monotonic()

    with pytest.raises(AllModelsFailedError) as failed:
        make_chain(deadline_s=0.4, first_event_timeout_s=10).complete("hi")

    assert time.monotonic() - started < 1.5
    assert "deadline" in str(failed.value)


def test_a_requests_own_timeout_is_the_calls_deadline(make_chain, simulator):
    simulator.script(PRIMARY, [Hang()])
    simulator.script(FALLBACK, [Hang()])
    started = time.monotonic()

    with pytest.raises(AllModelsFailedError):
        make_chain().complete("hi", timeout_s=0.3)

    assert time.monotonic() - started < 1.5


def test_async_timeouts_fail_over_alike(make_chain, simulator):
    simulator.script(PRIMARY, [Hang()])
    chain = make_chain(**FAST)

    async def ask() -> str:
        try:
            return texts([e async for e in chain.astream("hi")])
        finally:
            await chain.transport.aclose()

    assert asyncio.run(ask()) == "echo: hi"


def test_a_stream_cut_before_its_end_is_a_connection_failure_not_an_answer(make_chain, simulator):
    simulator.script(PRIMARY, [Cut(after=0)])

    stream = make_chain().stream("hi")

    assert texts(stream) == "echo: hi"
    assert (stream.attempts[0].kind, stream.model.name) == ("connection", "fallback")


# -- streaming failover -----------------------------------------------------------------------


def test_a_failure_before_content_is_invisible_to_the_caller(make_chain, simulator):
    simulator.script(PRIMARY, [StreamError(after=0)])

    events = list(make_chain().stream("hi"))

    assert texts(events) == "echo: hi"
    assert not any(isinstance(e, StreamReset) for e in events)


def test_raise_recovery_carries_the_partial_text(make_chain, simulator):
    simulator.script(PRIMARY, [StreamError(after=5, reply=LONG)])

    with pytest.raises(StreamInterruptedError) as interrupted:
        list(make_chain().stream("hi"))

    assert LONG.text.startswith(interrupted.value.partial_text)
    assert interrupted.value.partial_text
    assert simulator.count(FALLBACK) == 0


def test_restart_recovery_resets_then_answers_from_the_original_request(make_chain, simulator):
    simulator.script(PRIMARY, [StreamError(after=5, reply=LONG)])

    stream = make_chain(stream_recovery="restart").stream("hi")
    events = list(stream)

    [reset] = [e for e in events if isinstance(e, StreamReset)]
    assert reset.reason.startswith("overloaded")
    assert texts(events[events.index(reset) :]) == "echo: hi"
    assert stream.completion().text == "echo: hi"
    assert simulator.requests[-1].json()["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]}
    ]


def test_continue_recovery_prefills_the_partial_answer_and_emits_only_new_text(
    make_chain, simulator
):
    simulator.script(PRIMARY, [StreamError(after=5, reply=LONG)])
    simulator.script(FALLBACK, [LONG])

    stream = make_chain(stream_recovery="continue").stream("hi")
    events = list(stream)

    assert texts(events) == LONG.text  # exactly the answer: nothing repeated, nothing lost
    assert stream.completion().text == LONG.text
    assert not any(isinstance(e, StreamReset) for e in events)
    partial = simulator.requests[-1].json()["messages"][-1]
    assert partial["role"] == "assistant"
    [kept] = partial["content"]
    assert LONG.text.startswith(kept["text"])
    assert kept["text"] == kept["text"].rstrip()


@pytest.mark.parametrize(
    "text", ["one\n\ntwo three four", "one  two three", "one two\tthree", "one two three"]
)
def test_a_continued_answer_is_exactly_the_answer_whatever_whitespace_it_was_cut_at(
    make_chain, simulator, text
):
    reply = Reply(text=text)
    simulator.script(PRIMARY, [StreamError(after=4, reply=reply)])
    simulator.script(FALLBACK, [reply])

    stream = make_chain(stream_recovery="continue").stream("hi")

    assert texts(stream) == text
    assert stream.completion().text == text
    assert [a.model for a in stream.attempts] == ["primary", "fallback"]


def test_continue_recovery_restarts_on_a_model_that_takes_no_prefill(make_chain, simulator):
    # Claude from 4.6 on refuses a trailing assistant turn, so it answers afresh after a reset:
    # asked in words to continue, it would start over and repeat what the caller already has.
    simulator.script(PRIMARY, [StreamError(after=5, reply=LONG)])

    stream = make_chain(("primary", "newer"), stream_recovery="continue").stream("hi")
    events = list(stream)

    [reset] = [e for e in events if isinstance(e, StreamReset)]
    assert (reset.model, reset.reason.split(":")[0]) == ("primary", "overloaded")
    assert texts(events[events.index(reset) :]) == "echo: hi"
    assert stream.completion().text == "echo: hi"
    assert simulator.requests[-1].json()["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]}
    ]
    assert [(a.model, a.outcome) for a in stream.attempts] == [
        ("primary", Outcome.FAILED),
        ("newer", Outcome.OK),
    ]


def test_a_model_configured_without_prefill_restarts_instead_of_continuing(make_chain, simulator):
    simulator.script(PRIMARY, [StreamError(after=5, reply=LONG)])

    stream = make_chain(("primary", "no_prefill"), stream_recovery="continue").stream("hi")
    events = list(stream)

    assert any(isinstance(e, StreamReset) for e in events)
    assert stream.completion().text == "echo: hi"


def test_a_model_that_refuses_prefill_answers_afresh_after_a_reset(make_chain, simulator):
    simulator.script(PRIMARY, [StreamError(after=5, reply=LONG)])
    refusal = json.dumps(
        {"type": "error", "error": {"type": "invalid_request_error", "message": "no prefill"}}
    )
    simulator.script(FALLBACK, [RawResponse(400, refusal)])

    stream = make_chain(stream_recovery="continue").stream("hi")
    events = list(stream)

    [reset] = [e for e in events if isinstance(e, StreamReset)]
    assert texts(events[events.index(reset) :]) == "echo: hi"
    kinds = [(a.model, a.outcome, a.kind) for a in stream.attempts]
    assert kinds == [
        ("primary", Outcome.FAILED, "overloaded"),
        ("fallback", Outcome.FAILED, "invalid_request"),
        ("fallback", Outcome.OK, None),
    ]


# -- cancellation -----------------------------------------------------------------------------


def test_closing_a_stream_closes_its_connection_and_records_the_cancel(
    make_chain, simulator, transport
):
    simulator.script(PRIMARY, [Slow(delay=0.05, reply=LONG)])
    stream = make_chain().stream("hi")
    next(iter(stream))
    assert open_connections(transport) == 1

    stream.close()

    assert open_connections(transport) == 0
    assert stream.attempts[-1].outcome is Outcome.CANCELLED


def test_cancelling_a_task_mid_request_closes_its_connection(make_chain, simulator, transport):
    simulator.script(PRIMARY, [Hang()])
    chain = make_chain()

    async def cancel_midway() -> int:
        task = asyncio.create_task(chain.acomplete("hi"))
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        left = open_connections(transport)
        await transport.aclose()
        return left

    assert asyncio.run(cancel_midway()) == 0
    assert simulator.count(FALLBACK) == 0
