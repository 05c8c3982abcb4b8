"""Models that failed in a "not now" way are skipped by later requests until their cooldown
ends; then one probe decides."""

from __future__ import annotations

import asyncio
import json

import httpx2
import pytest

from hotswap import Outcome, StreamInterruptedError
from hotswap.engine import MemoryBreakerStore
from hotswap.engine.breaker import BreakerVerdict
from hotswap.plugin import hookimpl
from hotswap.wire.transport import Transport


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


class SkipsHeard:
    def __init__(self) -> None:
        self.skipped: list[str] = []

    @hookimpl
    def hotswap_attempt_failed(self, model, attempt):
        if attempt.outcome is Outcome.SKIPPED:
            self.skipped.append(model.name)


def test_every_call_records_its_skips_and_tells_an_observer_that_joined_since(
    make_chain, provider, acme_host, clock
):
    chain = make_chain()
    provider.script("acme-1", rate_limited())
    chain.complete("hi")
    unheard = chain.complete("no one listens")
    heard = SkipsHeard()
    acme_host.add_observer(heard)
    clock.now += 0.5

    told = chain.complete("someone listens")

    assert [(a.model, a.outcome) for a in unheard.attempts] == [
        ("first", Outcome.SKIPPED),
        ("second", Outcome.OK),
    ]
    assert [(a.model, a.message) for a in told.attempts] == [
        ("first", "cooling down for 59.5 s more after rate_limited"),
        ("second", None),
    ]
    assert heard.skipped == ["first"]


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
    store.open("m", until=200.0, kind="rate_limited", strikes=1, probe=False)

    store.open("m", until=100.0, kind="overloaded", strikes=1, probe=False)

    assert (store.state("m").until, store.state("m").kind) == (200.0, "rate_limited")
    assert store.check("m", 150.0, hold_until=999.0) is BreakerVerdict.OPEN
    assert store.check("m", 200.0, hold_until=999.0) is BreakerVerdict.PROBE
    assert store.check("m", 201.0, hold_until=999.0) is BreakerVerdict.OPEN  # one probe at once


def test_a_failure_reported_by_another_caller_leaves_the_probe_where_it_is():
    store = MemoryBreakerStore()
    store.open("m", until=100.0, kind="rate_limited", strikes=1, probe=False)
    assert store.check("m", 100.0, hold_until=500.0) is BreakerVerdict.PROBE

    # A request sent before the breaker opened fails now: it must not free a second probe.
    store.open("m", until=90.0, kind="rate_limited", strikes=1, probe=False)

    assert store.check("m", 101.0, hold_until=500.0) is BreakerVerdict.OPEN
    assert store.state("m").probing


def test_a_released_probe_lets_the_next_caller_probe_at_once():
    store = MemoryBreakerStore()
    store.open("m", until=100.0, kind="rate_limited", strikes=2, probe=False)
    store.check("m", 100.0, hold_until=500.0)

    store.release("m")

    assert store.check("m", 100.5, hold_until=500.0) is BreakerVerdict.PROBE
    assert store.state("m").strikes == 2


def test_a_probe_claim_lapses_at_its_holders_deadline():
    store = MemoryBreakerStore()
    store.open("m", until=100.0, kind="rate_limited", strikes=1, probe=False)
    store.check("m", 100.0, hold_until=160.0)

    assert store.check("m", 159.0, hold_until=300.0) is BreakerVerdict.OPEN
    assert store.check("m", 160.0, hold_until=300.0) is BreakerVerdict.PROBE


def test_each_failed_probe_doubles_the_cooldown_up_to_the_cap(make_chain, provider, clock):
    chain = make_chain(failover={"cooldown_s": 60, "max_cooldown_s": 300})
    provider.script("acme-1", *[rate_limited(retry_after="0")] * 6)
    chain.complete("opens for 60 s")
    cooldowns = []
    for _ in range(5):
        clock.now = chain.breakers.state("first").until
        opened_at = clock.now
        chain.complete("probe fails")
        cooldowns.append(chain.breakers.state("first").until - opened_at)

    assert cooldowns == [120.0, 240.0, 300.0, 300.0, 300.0]
    assert chain.breakers.state("first").strikes == 6


def test_a_successful_probe_forgets_the_strikes(make_chain, provider, clock):
    chain = make_chain()
    provider.script("acme-1", rate_limited(), rate_limited())
    chain.complete("opens")
    clock.now += 61
    chain.complete("probe fails: 120 s")
    clock.now += 121
    chain.complete("probe answers: closed")
    provider.script("acme-1", rate_limited())

    chain.complete("opens again")

    assert chain.breakers.state("first").until - clock.now == 60.0


def test_failures_of_other_callers_while_open_add_no_strike(make_chain, provider):
    chain = make_chain()
    provider.script("acme-1", rate_limited(), rate_limited())
    chain.complete("opens")
    # A second request already on its way when the breaker opened fails the same way.
    chain.breakers.open("first", 0.0, "rate_limited", strikes=1, probe=False)

    assert chain.breakers.state("first").strikes == 1


def test_a_model_that_probed_while_another_call_probes_is_skipped_with_the_reason(
    make_chain, provider, clock
):
    chain = make_chain()
    provider.script("acme-1", rate_limited())
    chain.complete("opens")
    clock.now += 61
    chain.breakers.check("first", clock.now, hold_until=clock.now + 100)

    reply = chain.complete("while another call probes")

    assert reply.attempts[0].message == "another request is probing it, after rate_limited"


# -- a probe is settled or released on every path: the breaker never stays shut -------------


def probe_ready(chain, provider, clock) -> None:
    """Open first's breaker with a 429, and move past its cooldown: the next call probes."""
    provider.script("acme-1", rate_limited())
    chain.complete("opens")
    clock.now += 61


def assert_not_stuck(chain, provider, clock) -> None:
    """Whatever the probe did, first is asked again: now, or once its new cooldown is over."""
    state = chain.breakers.state("first")
    assert state is None or not state.probing
    if state is not None:
        clock.now = max(clock.now, state.until)
    provider.requests.clear()
    reply = chain.complete("is it used again?")
    assert reply.model == "first"
    assert provider.requests == ["acme-1"]


def test_a_probe_resent_in_place_after_a_server_error_keeps_its_claim(make_chain, provider, clock):
    chain = make_chain(failover={"same_model_retries": 1})
    probe_ready(chain, provider, clock)
    provider.script("acme-1", httpx2.Response(500, json={"error": "hiccup"}))

    reply = chain.complete("probe: 500, then resent")

    assert [a.model for a in reply.attempts] == ["first", "first"]
    assert reply.model == "first"
    assert chain.breakers.state("first") is None


def test_a_probe_that_waits_out_a_zero_retry_after_keeps_its_claim(make_chain, provider, clock):
    chain = make_chain(failover={"wait_retry_after_s": 1})
    probe_ready(chain, provider, clock)
    provider.script("acme-1", rate_limited(retry_after="0"))

    reply = chain.complete("probe: 429 retry-after 0, waited, resent")

    assert [(a.model, a.outcome) for a in reply.attempts] == [
        ("first", Outcome.FAILED),
        ("first", Outcome.OK),
    ]
    assert chain.breakers.state("first") is None


def test_a_probe_that_fails_with_an_unexpected_exception_is_released(make_chain, provider, clock):
    chain = make_chain()
    probe_ready(chain, provider, clock)
    provider.script("acme-1", RuntimeError("a bug outside the provider"))

    with pytest.raises(RuntimeError):
        chain.complete("probe raises")

    assert_not_stuck(chain, provider, clock)


def test_a_probe_cancelled_by_the_caller_is_released(make_chain, provider, clock):
    chain = make_chain()
    probe_ready(chain, provider, clock)

    async def slow(request: httpx2.Request) -> httpx2.Response:
        await asyncio.sleep(10)
        return httpx2.Response(200, json={"text": "late"})

    answering = chain.transport
    chain.transport = Transport(
        async_client=httpx2.AsyncClient(transport=httpx2.MockTransport(slow))
    )

    async def cancel() -> None:
        task = asyncio.create_task(chain.acomplete("probe, cancelled"))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel())
    chain.transport = answering

    assert_not_stuck(chain, provider, clock)


def test_a_probe_cut_after_content_with_raise_recovery_is_settled(make_chain, provider, clock):
    chain = make_chain()
    probe_ready(chain, provider, clock)
    cut = b'data: {"text": "answer"}\n\n'  # no done frame: a connection failure after content
    provider.script("acme-1", httpx2.Response(200, content=cut))

    with pytest.raises(StreamInterruptedError):
        list(chain.stream("probe: cut after its first words"))

    assert_not_stuck(chain, provider, clock)


def test_a_probe_that_times_out_is_settled(make_chain, provider, clock):
    chain = make_chain()
    probe_ready(chain, provider, clock)
    provider.script("acme-1", httpx2.ReadTimeout("slow"))

    assert chain.complete("probe times out").model == "second"

    assert_not_stuck(chain, provider, clock)


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

    probing = httpx2.AsyncClient(transport=httpx2.MockTransport(slow_probe))
    chain.transport = Transport(async_client=probing)

    async def many() -> list[str]:
        replies = await asyncio.gather(*(chain.acomplete(f"q{i}") for i in range(20)))
        return [r.model for r in replies]

    models = asyncio.run(many())

    assert probes == ["acme-1"]
    assert models.count("first") == 1
    assert models.count("second") == 19
