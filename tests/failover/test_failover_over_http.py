"""Failover over real HTTP: instant hand-over, breakers, retry-after, backoff and give-up,
same-model retries, and many concurrent callers sharing breaker state."""

from __future__ import annotations

import asyncio
import statistics
import threading
import time

import pytest

from hotswap import AllModelsFailedError, Outcome, RateLimitedError
from hotswap.testing import Overloaded, RateLimit, ServerFault

from .conftest import FALLBACK, PRIMARY


def test_the_fallback_request_leaves_within_5_ms_of_the_failure(make_chain, simulator, timeline):
    chain = make_chain()
    gaps = []
    for _ in range(7):
        simulator.reset()
        simulator.script(PRIMARY, [RateLimit(retry_after=1)])
        timeline.failed_at.clear()

        reply = chain.complete("hi")

        assert reply.model == "fallback"
        fallback_arrived = simulator.requests[-1].received_at
        gaps.append(fallback_arrived - timeline.failed_at[0])
        chain.breakers.close("primary")

    print(f"failover gaps (ms): {[round(g * 1000, 2) for g in gaps]}")
    assert statistics.median(gaps) < 0.005, gaps


def test_a_cooling_model_is_skipped_without_a_request(make_chain, simulator):
    chain = make_chain()
    simulator.script(PRIMARY, [RateLimit(retry_after=1)])
    chain.complete("first")

    reply = chain.complete("second")

    assert simulator.count(PRIMARY) == 1
    assert simulator.count(FALLBACK) == 2
    assert [a.outcome for a in reply.attempts] == [Outcome.SKIPPED, Outcome.OK]


def test_a_retry_after_longer_than_the_cooldown_keeps_the_model_out_longer(make_chain, simulator):
    chain = make_chain(cooldown_s=60)
    simulator.script(PRIMARY, [RateLimit(retry_after=300)])

    chain.complete("hi")

    state = chain.breakers.state("primary")
    assert state is not None
    assert 290 < state.until - time.monotonic() <= 300


def test_backoff_rounds_then_one_error_listing_every_attempt(make_chain, simulator):
    simulator.script(PRIMARY, [ServerFault()] * 3)
    simulator.script(FALLBACK, [ServerFault()] * 3)
    chain = make_chain(max_retries=2, retry_delay_ms=10)

    started = time.monotonic()
    with pytest.raises(AllModelsFailedError) as failed:
        chain.complete("hi")

    assert time.monotonic() - started >= 0.010 * 0.75 + 0.020 * 0.75
    attempts = failed.value.attempts
    assert [(a.model, a.round) for a in attempts] == [
        ("primary", 0),
        ("fallback", 0),
        ("primary", 1),
        ("fallback", 1),
        ("primary", 2),
        ("fallback", 2),
    ]
    assert {(a.kind, a.status) for a in attempts} == {("server_error", 500)}
    assert "fallback (anthropic): server_error 500" in str(failed.value)


def test_same_model_retries_resend_a_server_error_before_moving_on(make_chain, simulator):
    simulator.script(PRIMARY, [ServerFault()])

    reply = make_chain(same_model_retries=1).complete("hi")

    assert reply.model == "primary"
    assert simulator.count(PRIMARY) == 2
    assert simulator.count(FALLBACK) == 0


def test_a_short_retry_after_is_waited_out_on_the_same_model_when_asked(make_chain, simulator):
    simulator.script(PRIMARY, [RateLimit(retry_after=0.05)])

    started = time.monotonic()
    reply = make_chain(wait_retry_after_s=1).complete("hi")

    assert reply.model == "primary"
    assert time.monotonic() - started >= 0.05
    assert simulator.count(FALLBACK) == 0


def test_a_long_retry_after_is_not_waited_out(make_chain, simulator):
    simulator.script(PRIMARY, [RateLimit(retry_after=30)])

    assert make_chain(wait_retry_after_s=1).complete("hi").model == "fallback"


def test_a_chain_of_one_has_a_breaker_too(make_chain, simulator):
    chain = make_chain(("primary",), max_retries=0)
    simulator.script(PRIMARY, [Overloaded()])
    with pytest.raises(AllModelsFailedError):
        chain.complete("hi")

    with pytest.raises(AllModelsFailedError) as skipped:
        chain.complete("again")

    assert [a.outcome for a in skipped.value.attempts] == [Outcome.SKIPPED]
    assert simulator.count(PRIMARY) == 1


def test_errors_outside_the_conditions_are_raised_at_once(make_chain, simulator):
    simulator.script(PRIMARY, [RateLimit()])

    with pytest.raises(RateLimitedError):
        make_chain(conditions=["server_error"]).complete("hi")

    assert simulator.count(FALLBACK) == 0


def test_many_concurrent_tasks_share_one_breaker(make_chain, simulator):
    chain = make_chain()
    simulator.script(PRIMARY, [RateLimit(retry_after=5)])

    async def ask_many() -> list:
        first = await chain.acomplete("open the breaker")
        rest = await asyncio.gather(*(chain.acomplete(f"q{i}") for i in range(50)))
        await chain.transport.aclose()
        return [first, *rest]

    replies = asyncio.run(ask_many())

    assert {r.model for r in replies} == {"fallback"}
    assert simulator.count(PRIMARY) == 1
    assert simulator.count(FALLBACK) == 51


def test_many_threads_share_one_breaker(make_chain, simulator):
    chain = make_chain()
    simulator.script(PRIMARY, [RateLimit(retry_after=5)])
    chain.complete("open the breaker")
    models: list[str] = []

    def ask() -> None:
        models.append(chain.complete("hi").model)

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert models == ["fallback"] * 20
    assert simulator.count(PRIMARY) == 1


def test_a_login_that_cannot_be_renewed_fails_over_without_opening_a_breaker(
    make_chain, simulator, expired_pi_login
):
    chain = make_chain(("pi", "fallback"))

    reply = chain.complete("hi")

    assert reply.model == "fallback"
    failed = reply.attempts[0]
    assert (failed.model, failed.kind, failed.status) == ("pi", "auth", None)
    assert "could not be refreshed" in (failed.message or "")
    assert chain.breakers.state("pi") is None  # a renewed login is used at once
    assert simulator.count(PRIMARY) == 0
