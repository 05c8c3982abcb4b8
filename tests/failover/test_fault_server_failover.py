"""Failover end to end against the fault server, in each of the four wire formats, called each
way (sync over httpx2, async over httpx2, async over aiohttp: the ``driver`` fixture).

A fault before any text on the primary must hand over to the fallback unseen: the caller gets
the fallback's exact answer, and the attempts record each try once, with the kind of failure.
A fault after text is handled as ``stream_recovery`` says, and the caller is never left with a
truncated or altered answer. Limits are short, so a stall costs a fraction of a second.
"""

from __future__ import annotations

import time

import pytest

from hotswap import (
    AllModelsFailedError,
    Attempt,
    HotswapError,
    Outcome,
    StreamInterruptedError,
    StreamReset,
)

from . import faults
from .conftest import FALLBACK_ID, PRIMARY_ID, Answered, Driver
from .faultserver import FaultServer
from .wireformats import FORMATS, split_text

WIRES = tuple(FORMATS)
FIRST_EVENT, IDLE, ATTEMPT = 0.1, 0.1, 0.4
FAST = {"first_event_timeout_s": FIRST_EVENT, "idle_timeout_s": IDLE, "attempt_timeout_s": ATTEMPT}
SHORT, LONG = 0.2, 0.6
LATE = 0.25
"""How much later than its limit a timeout may end the attempt (the fallback's answer
included)."""
QUESTION = "hi"
stream_or_whole = pytest.mark.parametrize("stream", [True, False], ids=["stream", "whole"])
every_wire = pytest.mark.parametrize("wire", WIRES)


def tries(attempts: list[Attempt]) -> list[tuple[str, Outcome, str | None]]:
    """Each attempt's model, outcome and kind of failure."""
    return [(a.model, a.outcome, a.kind and str(a.kind)) for a in attempts]


def handed_over(kind: str) -> list[tuple[str, Outcome, str | None]]:
    """The attempts of a call the primary failed with ``kind`` and the fallback answered."""
    return [("primary", Outcome.FAILED, kind), ("fallback", Outcome.OK, None)]


def assert_failed_over(answered: Answered, server: FaultServer, kind: str) -> None:
    """The fallback answered exactly, unseen by the caller, after one failed try of ``kind``."""
    assert answered.text == server.reply(QUESTION)
    assert answered.model == "fallback"
    assert tries(answered.attempts) == handed_over(kind)
    assert (server.count(PRIMARY_ID), server.count(FALLBACK_ID)) == (1, 1)
    assert not any(isinstance(event, StreamReset) for event in answered.events)


def first_pieces(server: FaultServer, count: int) -> str:
    return "".join(split_text(server.reply(QUESTION), server.pieces)[:count])


def text_before_reset(answered: Answered) -> str:
    """The text shown before the one ``StreamReset`` the answer must have."""
    resets = [i for i, event in enumerate(answered.events) if isinstance(event, StreamReset)]
    assert len(resets) == 1, f"{len(resets)} resets in a stream that showed {answered.text!r}"
    return "".join(getattr(event, "text", "") for event in answered.events[: resets[0]])


# -- failures before any text --------------------------------------------------------------------


@every_wire
@stream_or_whole
@pytest.mark.parametrize(
    "fault",
    [
        faults.rst_before_headers(),
        faults.close_before_headers(),
        faults.cut_after(0),
        faults.rst_after(0),
    ],
    ids=str,
)
def test_a_connection_lost_before_any_text_fails_over_as_a_connection_failure(
    fault_server, fault_chain, driver, wire, stream, fault
):
    fault_server.script(PRIMARY_ID, [fault])

    answered = driver.ask(fault_chain(wire, **FAST), QUESTION, stream=stream)

    assert_failed_over(answered, fault_server, "connection")


@every_wire
@stream_or_whole
@pytest.mark.parametrize("how", ["json", "utf8", "shape"])
def test_a_malformed_frame_before_any_text_fails_over_as_a_server_error(
    fault_server, fault_chain, driver, wire, stream, how
):
    fault_server.script(PRIMARY_ID, [faults.malformed(0, how)])

    answered = driver.ask(fault_chain(wire, **FAST), QUESTION, stream=stream)

    assert_failed_over(answered, fault_server, "server_error")


@pytest.mark.parametrize(
    ("wire", "kind"), [(w, k) for w in WIRES for k in FORMATS[w].stream_errors]
)
def test_an_error_event_before_any_text_fails_over_with_its_kind(
    fault_server, fault_chain, driver, wire, kind
):
    fault_server.script(PRIMARY_ID, [faults.stream_error(kind, after=0)])

    answered = driver.ask(fault_chain(wire, **FAST), QUESTION, stream=True)

    assert_failed_over(answered, fault_server, kind)


@stream_or_whole
@pytest.mark.parametrize(
    ("wire", "kind", "variant"), [(w, k, v) for w in WIRES for k, v in FORMATS[w].errors]
)
def test_an_error_response_fails_over_with_its_kind(
    fault_server, fault_chain, driver, wire, stream, kind, variant
):
    # Among them: quota, auth and permission, which a chain fails over on by default; every
    # provider's overloaded shape, which is "overloaded" whatever its body's type says; and a
    # rate limit asking to retry after 0 s, which moves on rather than asking the same model.
    fault_server.script(PRIMARY_ID, [faults.error(kind, variant)])

    answered = driver.ask(fault_chain(wire, **FAST), QUESTION, stream=stream)

    assert_failed_over(answered, fault_server, kind)


# -- limits ---------------------------------------------------------------------------------------


@every_wire
@stream_or_whole
def test_no_headers_within_the_first_event_limit_fails_over_at_that_limit(
    fault_server, fault_chain, driver, wire, stream
):
    # For a whole answer, the response's headers are its first event.
    fault_server.script(PRIMARY_ID, [faults.stall_before_headers()])
    started = time.monotonic()

    answered = driver.ask(fault_chain(wire, **FAST), QUESTION, stream=stream)

    assert FIRST_EVENT <= time.monotonic() - started < FIRST_EVENT + LATE
    assert_failed_over(answered, fault_server, "timeout")


@every_wire
def test_a_stream_whose_headers_come_without_events_fails_over_at_the_first_event_limit(
    fault_server, fault_chain, driver, wire
):
    fault_server.script(PRIMARY_ID, [faults.stall_after_headers()])
    started = time.monotonic()

    answered = driver.ask(fault_chain(wire, **FAST), QUESTION, stream=True)

    assert FIRST_EVENT <= time.monotonic() - started < FIRST_EVENT + LATE
    assert_failed_over(answered, fault_server, "timeout")


def test_a_whole_answer_whose_body_never_follows_its_headers_fails_over_as_a_timeout(
    fault_server, fault_chain, driver
):
    fault_server.script(PRIMARY_ID, [faults.stall_after_headers()])
    started = time.monotonic()

    answered = driver.ask(fault_chain("anthropic", **FAST), QUESTION, stream=False)

    assert time.monotonic() - started < ATTEMPT + LATE
    assert_failed_over(answered, fault_server, "timeout")


@every_wire
def test_silence_after_text_ends_at_the_idle_limit_however_long_the_others_are(
    fault_server, fault_chain, driver, wire
):
    fault_server.script(PRIMARY_ID, [faults.stall_after(2)])
    limits = {"first_event_timeout_s": LONG, "idle_timeout_s": IDLE, "attempt_timeout_s": LONG}
    started = time.monotonic()

    with pytest.raises(StreamInterruptedError) as interrupted:
        driver.ask(fault_chain(wire, **limits), QUESTION, stream=True)

    assert IDLE <= time.monotonic() - started < IDLE + LATE
    assert interrupted.value.kind == "timeout"
    assert interrupted.value.partial_text == first_pieces(fault_server, 2)


@stream_or_whole
def test_the_attempt_limit_ends_a_stall_however_long_the_others_are(
    fault_server, fault_chain, driver, stream
):
    # Nothing of any format is on the wire before the headers: one format stands for all.
    fault_server.script(PRIMARY_ID, [faults.stall_before_headers()])
    limits = {"first_event_timeout_s": LONG, "idle_timeout_s": LONG, "attempt_timeout_s": SHORT}
    started = time.monotonic()

    answered = driver.ask(fault_chain("ollama", **limits), QUESTION, stream=stream)

    assert SHORT <= time.monotonic() - started < SHORT + LATE
    assert_failed_over(answered, fault_server, "timeout")


@stream_or_whole
def test_the_calls_deadline_ends_it_however_long_the_attempt_limits_are(
    fault_server, fault_chain, driver, stream
):
    fault_server.script("*", [faults.stall_before_headers(), faults.stall_before_headers()])
    limits = {"first_event_timeout_s": LONG, "idle_timeout_s": LONG, "attempt_timeout_s": LONG}
    started = time.monotonic()

    with pytest.raises(AllModelsFailedError) as failed:
        driver.ask(fault_chain("openai", deadline_s=SHORT, **limits), QUESTION, stream=stream)

    assert SHORT <= time.monotonic() - started < SHORT + LATE
    assert [a.kind for a in failed.value.attempts] == ["timeout"]


@every_wire
def test_a_slow_stream_within_every_limit_is_an_answer(fault_server, fault_chain, driver, wire):
    fault_server.script(PRIMARY_ID, [faults.slow(0.005)])

    answered = driver.ask(fault_chain(wire, **FAST), QUESTION, stream=True)

    assert (answered.text, answered.model) == (fault_server.reply(QUESTION), "primary")
    assert tries(answered.attempts) == [("primary", Outcome.OK, None)]


def test_time_the_caller_spends_on_an_event_is_not_the_providers_silence(
    fault_server, fault_chain, driver
):
    # The provider sends the whole answer at once; the caller takes longer over the first
    # piece of text than the stream may be silent.
    answered = driver.ask(fault_chain("anthropic", **FAST), QUESTION, stream=True, pause=2 * IDLE)

    assert answered.text == fault_server.reply(QUESTION)
    assert tries(answered.attempts) == [("primary", Outcome.OK, None)]


# -- failures after text: stream_recovery ----------------------------------------------------------


@every_wire
def test_raise_recovery_ends_the_call_with_the_text_already_shown(
    fault_server, fault_chain, driver, wire
):
    fault_server.script(PRIMARY_ID, [faults.cut_after(2)])

    with pytest.raises(StreamInterruptedError) as interrupted:
        driver.ask(fault_chain(wire, stream_recovery="raise", **FAST), QUESTION, stream=True)

    assert interrupted.value.partial_text == first_pieces(fault_server, 2)
    assert tries(interrupted.value.attempts) == [("primary", Outcome.FAILED, "connection")]
    assert fault_server.count(FALLBACK_ID) == 0


@every_wire
def test_restart_recovery_resets_then_gives_the_fallbacks_whole_answer(
    fault_server, fault_chain, driver, wire
):
    fault_server.script(PRIMARY_ID, [faults.cut_after(2)])

    answered = driver.ask(
        fault_chain(wire, stream_recovery="restart", **FAST), QUESTION, stream=True
    )

    assert text_before_reset(answered) == first_pieces(fault_server, 2)
    assert answered.text == fault_server.reply(QUESTION)
    assert tries(answered.attempts) == [
        ("primary", Outcome.FAILED, "connection"),
        ("fallback", Outcome.OK, None),
    ]
    assert fault_server.requests[-1].asked.turns == 1  # the original request, nothing added


@every_wire
@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (faults.cut_after(2), "connection"),
        (faults.rst_after(2), "connection"),
        (faults.stall_after(2), "timeout"),
        (faults.malformed(2, "json"), "server_error"),
        (faults.malformed(2, "utf8"), "server_error"),
        (faults.malformed(2, "shape"), "server_error"),
        (faults.stream_error("server_error", after=2), "server_error"),
    ],
    ids=lambda value: str(value) if isinstance(value, faults.Fault) else "",
)
def test_every_failure_after_text_restarts_behind_one_reset(
    fault_server, fault_chain, driver, wire, fault, kind
):
    fault_server.script(PRIMARY_ID, [fault])

    answered = driver.ask(
        fault_chain(wire, stream_recovery="restart", **FAST), QUESTION, stream=True
    )

    assert text_before_reset(answered) == first_pieces(fault_server, 2)
    assert answered.text == fault_server.reply(QUESTION)
    assert tries(answered.attempts) == handed_over(kind)


@every_wire
def test_continue_recovery_onto_a_model_that_takes_a_prefill_continues_exactly(
    fault_server, fault_chain, driver, wire
):
    fault_server.script(PRIMARY_ID, [faults.cut_after(3)])

    answered = driver.ask(
        fault_chain(wire, "anthropic", stream_recovery="continue", **FAST), QUESTION, stream=True
    )

    assert answered.text == fault_server.reply(QUESTION)
    assert not any(isinstance(event, StreamReset) for event in answered.events)
    assert fault_server.requests[-1].asked.prefill == first_pieces(fault_server, 3).rstrip()
    assert tries(answered.attempts) == [
        ("primary", Outcome.FAILED, "connection"),
        ("fallback", Outcome.OK, None),
    ]


@pytest.mark.parametrize("fallback", [w for w in WIRES if w != "anthropic"])
def test_continue_recovery_onto_a_model_without_prefill_restarts_it_cleanly(
    fault_server, fault_chain, driver, fallback
):
    # Such a model, shown the partial answer and asked to go on, answers from the start: the
    # only answer that is not altered is a reset and its whole answer to the original request.
    fault_server.script(PRIMARY_ID, [faults.cut_after(3)])

    answered = driver.ask(
        fault_chain("anthropic", fallback, stream_recovery="continue", **FAST),
        QUESTION,
        stream=True,
    )

    assert text_before_reset(answered) == first_pieces(fault_server, 3)
    assert answered.text == fault_server.reply(QUESTION)
    assert fault_server.requests[-1].asked.turns == 1


@pytest.mark.parametrize("fault_server", ["trailing"], indirect=True)
def test_continue_recovery_repeats_no_whitespace_the_prefill_left_out(
    fault_server, fault_chain, driver
):
    # The text shown ends "w1 "; the prefill cannot end in whitespace, so the model is sent
    # "...w1" and goes on with " w2": the caller must not be shown that space twice.
    fault_server.script(PRIMARY_ID, [faults.cut_after(4)])

    answered = driver.ask(
        fault_chain("anthropic", stream_recovery="continue", **FAST), QUESTION, stream=True
    )

    assert first_pieces(fault_server, 4).endswith(" ")
    assert answered.text == fault_server.reply(QUESTION)


# -- after the answer, and the connections ---------------------------------------------------------


@every_wire
@stream_or_whole
def test_bytes_after_the_completion_signal_leave_the_answer_or_a_typed_error(
    fault_server, fault_chain, driver, wire, stream
):
    # Whether such bytes should fail the answer is not settled; they must never alter it.
    fault_server.script(PRIMARY_ID, [faults.trailing_garbage()])
    chain = fault_chain(wire, stream_recovery="restart", **FAST)

    try:
        answered = driver.ask(chain, QUESTION, stream=stream)
    except HotswapError:
        return
    assert answered.text == fault_server.reply(QUESTION)


def test_the_client_closes_every_connection_it_opened(fault_server, fault_chain, driver):
    every_fault = [
        faults.rst_before_headers(),
        faults.close_before_headers(),
        faults.stall_before_headers(),
        faults.cut_after(2),
        faults.rst_after(2),
        faults.stall_after(2),
        faults.malformed(2),
        faults.error("overloaded"),
    ]
    fault_server.script(PRIMARY_ID, every_fault)
    own = Driver(driver.name)

    for stream in (True, False) * (len(every_fault) // 2):
        # A chain each, with breakers of its own, so that every call asks the primary.
        chain = fault_chain("anthropic", transport=own.transport, stream_recovery="restart", **FAST)
        own.ask(chain, QUESTION, stream=stream)
    own.close()

    assert fault_server.count(PRIMARY_ID) == len(every_fault)
    assert fault_server.wait_until_closed(timeout=5), f"{fault_server.open_connections} open"
