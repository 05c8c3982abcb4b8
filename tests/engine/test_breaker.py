"""Models that failed in a "not now" way are skipped by later requests until their cooldown
ends; then one probe decides."""

from __future__ import annotations

import asyncio
import json

import httpx2

from hotswap.attempts import Outcome
from hotswap.engine import MemoryBreakerStore
from hotswap.engine.breaker import BreakerVerdict


def rate_limited(retry_after: str = "1") -> httpx2.Response:
    return httpx2.Response(429, headers={"retry-after": retry_after}, json={"error": "slow down"})


def test_a_rate_limited_model_is_skipped_by_the_next_request_without_sending(make_chain, provider):
    chain = make_chain()
    provider.script("acme-1", rate_limited())
    chain.complete("hi")

    reply = chain.complete("again")

    assert provider.requests == ["acme-1", "acme-2", "acme-2"]
    skipped, answered = reply.attempts
    assert (skipped.model, skipped.outcome, skipped.kind) == (
        "first",
        Outcome.SKIPPED,
        "rate_limited",
    )
    assert skipped.message == "cooling down for 60.0 s more after rate_limited"
    assert answered.model == "second"


def test_after_the_cooldown_one_probe_is_let_through_and_success_closes_it(
    make_chain, provider, clock
):
    chain = make_chain()
    provider.script("acme-1", rate_limited())
    chain.complete("hi")

    clock.now += 61
    probed = chain.complete("probe")
    again = chain.complete("closed")

    assert (probed.model, again.model) == ("first", "first")
    assert chain.breakers.state("first") is None


def test_a_failed_probe_opens_the_breaker_again(make_chain, provider, clock):
    chain = make_chain()
    provider.script("acme-1", rate_limited(), rate_limited())
    chain.complete("hi")
    clock.now += 61

    chain.complete("probe fails")
    reply = chain.complete("skips again")

    assert provider.requests == ["acme-1", "acme-2", "acme-1", "acme-2", "acme-2"]
    assert reply.attempts[0].outcome is Outcome.SKIPPED


def test_a_retry_after_longer_than_the_cooldown_wins(make_chain, provider, clock):
    chain = make_chain()
    provider.script("acme-1", rate_limited(retry_after="120"))
    chain.complete("hi")

    clock.now += 61
    still_cooling = chain.complete("at 61 s")
    clock.now += 60
    probed = chain.complete("at 121 s")

    assert (still_cooling.model, probed.model) == ("second", "first")


def test_cooldowns_can_be_set_per_kind(make_chain, provider, clock):
    chain = make_chain(
        failover={"conditions": ["quota_exhausted"], "cooldowns": {"rate_limited": 5}}
    )
    provider.script("acme-1", httpx2.Response(402, json={"error": "no credit"}))
    chain.complete("hi")

    clock.now += 3599
    assert chain.complete("quota stays empty for an hour").model == "second"
    assert chain.settings.cooldown_after("rate_limited") == 5


def test_a_server_error_fails_over_without_opening_the_breaker(make_chain, provider):
    chain = make_chain()
    provider.script("acme-1", httpx2.Response(500))
    chain.complete("hi")

    assert chain.complete("again").model == "first"


def test_a_model_cooled_again_keeps_the_later_deadline():
    store = MemoryBreakerStore()
    store.open("m", until=200.0, kind="rate_limited")

    store.open("m", until=100.0, kind="rate_limited")

    assert store.state("m").until == 200.0
    assert store.check("m", now=150.0) is BreakerVerdict.OPEN
    assert store.check("m", now=200.0) is BreakerVerdict.PROBE
    assert store.check("m", now=201.0) is BreakerVerdict.OPEN  # one probe at a time


def test_when_every_model_is_cooling_the_wait_lasts_until_the_first_cooldown_ends(
    make_chain, provider, clock
):
    chain = make_chain(failover={"max_retries": 1, "retry_delay_ms": 100})
    provider.script("acme-1", rate_limited(retry_after="30"))
    provider.script("acme-2", rate_limited(retry_after="90"))

    reply = chain.complete("hi")

    assert clock.slept == [60.0]  # the cooldown of acme-1, not a 0.1 s backoff
    assert reply.model == "first"


def test_concurrent_requests_share_breaker_state_and_send_one_probe(make_chain, provider, clock):
    chain = make_chain()
    provider.script("acme-1", rate_limited())
    chain.complete("open the breaker")
    clock.now += 61
    probes: list[str] = []

    async def slow_probe(request: httpx2.Request) -> httpx2.Response:
        model_id = json.loads(request.content)["model"]
        if model_id == "acme-1":
            probes.append(model_id)
            await asyncio.sleep(0.05)
        return httpx2.Response(200, json={"text": f"answer from {model_id}"})

    chain.transport._async_client = httpx2.AsyncClient(transport=httpx2.MockTransport(slow_probe))

    async def many() -> list[str]:
        replies = await asyncio.gather(*(chain.acomplete(f"q{i}") for i in range(20)))
        return [r.model for r in replies]

    models = asyncio.run(many())

    assert probes == ["acme-1"]
    assert models.count("first") == 1
    assert models.count("second") == 19
