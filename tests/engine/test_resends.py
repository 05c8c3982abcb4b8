"""Sending to the same model again: only when configured, after a short jittered wait, and never
for a retry-after when waiting is off; and the profiles that set these keys."""

from __future__ import annotations

import httpx2
import pytest

from hotswap import AllModelsFailedError, Config, ConfigError, FailoverSettings, Outcome


def rate_limited(retry_after: str) -> httpx2.Response:
    return httpx2.Response(429, headers={"retry-after": retry_after}, json={"error": "slow down"})


def server_error() -> httpx2.Response:
    return httpx2.Response(500, json={"error": "hiccup"})


def test_a_retry_after_of_0_moves_on_when_waiting_is_off(make_chain, provider, clock):
    provider.script("acme-1", rate_limited("0"))
    chain = make_chain()

    reply = chain.complete("hi")

    assert reply.model == "second"
    assert provider.requests == ["acme-1", "acme-2"]
    assert clock.slept == []
    assert chain.breakers.state("first").until == clock.now + 60


def test_a_resend_to_the_same_model_waits_a_short_jittered_delay(make_chain, provider, clock):
    provider.script("acme-1", server_error(), server_error())

    reply = make_chain(failover={"same_model_retries": 2}).complete("hi")

    assert reply.model == "first"
    assert provider.requests == ["acme-1"] * 3
    first, second = clock.slept
    assert 0.375 <= first <= 0.5
    assert 0.75 <= second <= 1.0


def test_resend_delays_double_up_to_8_s(make_chain, provider, clock):
    provider.script("acme-1", *[server_error()] * 6)

    make_chain(failover={"same_model_retries": 6}).complete("hi")

    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(clock.slept) == 6
    for waited, ceiling in zip(clock.slept, ceilings, strict=True):
        assert 0.75 * ceiling <= waited <= ceiling


def test_a_short_retry_after_is_waited_out_when_asked(make_chain, provider, clock):
    provider.script("acme-1", rate_limited("3"))

    reply = make_chain(failover={"wait_retry_after_s": 5}).complete("hi")

    assert (reply.model, clock.slept) == ("first", [3.0])


def test_a_zero_retry_after_waited_out_still_waits_the_short_delay(make_chain, provider, clock):
    provider.script("acme-1", rate_limited("0"))

    reply = make_chain(failover={"wait_retry_after_s": 5}).complete("hi")

    assert reply.model == "first"
    [waited] = clock.slept
    assert 0.375 <= waited <= 0.5


def test_a_resend_that_would_pass_the_calls_deadline_ends_the_call(make_chain, provider, clock):
    provider.script("acme-1", rate_limited("8"))

    with pytest.raises(AllModelsFailedError) as failed:
        make_chain("first", failover={"wait_retry_after_s": 10, "deadline_s": 5}).complete("hi")

    assert "would pass the call's deadline" in str(failed.value)
    assert clock.slept == []


# -- profiles --------------------------------------------------------------------------------


def test_the_patient_profile_stays_with_a_model_through_a_hiccup(make_chain, provider, clock):
    provider.script("acme-1", server_error(), rate_limited("10"), server_error())

    reply = make_chain(failover={"profile": "patient"}).complete("hi")

    assert reply.model == "first"
    assert [a.outcome for a in reply.attempts] == [Outcome.FAILED] * 3 + [Outcome.OK]


def test_the_instant_profile_moves_on_at_the_first_failure(make_chain, provider):
    provider.script("acme-1", server_error())

    assert make_chain(failover={"profile": "instant"}).complete("hi").model == "second"


def test_a_profile_sets_its_keys_and_a_key_beside_it_wins():
    settings = FailoverSettings(profile="patient", idle_timeout_s=60.0)

    assert (
        settings.same_model_retries,
        settings.wait_retry_after_s,
        settings.stream_recovery,
        settings.first_event_timeout_s,
        settings.idle_timeout_s,
    ) == (2, 20.0, "continue", 120.0, 60.0)


def test_a_chains_profile_overrides_the_global_keys_it_sets():
    config = Config.from_dict(
        {
            "models": {"m": {"provider": "acme", "model": "acme-1"}},
            "chains": {
                "chat": {"models": ["m"], "failover": {"profile": "patient"}},
                "batch": {"models": ["m"], "failover": {"profile": "instant"}},
            },
            "failover": {"idle_timeout_s": 10, "profile": "patient", "cooldown_s": 5},
        }
    )

    chat = config.failover_for(config.chains["chat"])
    batch = config.failover_for(config.chains["batch"])

    assert (chat.idle_timeout_s, chat.same_model_retries, chat.cooldown_s) == (30.0, 2, 5.0)
    assert (batch.idle_timeout_s, batch.same_model_retries, batch.cooldown_s) == (90.0, 0, 5.0)
    assert config.failover.idle_timeout_s == 10.0


def test_an_unknown_profile_is_a_config_error_naming_the_ones_there_are():
    with pytest.raises(ConfigError) as raised:
        Config.from_dict({"failover": {"profile": "lazy"}})

    assert str(raised.value) == "failover.profile: Input should be 'instant' or 'patient'"
