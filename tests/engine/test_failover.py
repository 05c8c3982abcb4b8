"""Instant failover on conditions, errors outside them raised at once, backoff only when the
whole chain is exhausted."""

from __future__ import annotations

import asyncio

import httpx2
import pytest

from hotswap import AllModelsFailedError, Outcome
from hotswap.types.errors import AuthError, CredentialError, InvalidRequestError, NoCredentialError


def rate_limited(retry_after: str = "1") -> httpx2.Response:
    return httpx2.Response(429, headers={"retry-after": retry_after}, json={"error": "slow down"})


def test_a_rate_limited_model_hands_over_to_the_next_at_once(make_chain, provider, clock):
    provider.script("acme-1", rate_limited())

    reply = make_chain().complete("hi")

    assert (reply.text, reply.model, reply.provider) == ("answer from acme-2", "second", "acme")
    assert provider.requests == ["acme-1", "acme-2"]
    assert clock.slept == []
    first, second = reply.attempts
    assert (first.model, first.outcome, first.kind, first.status, first.message) == (
        "first",
        Outcome.FAILED,
        "rate_limited",
        429,
        "slow down",
    )
    assert (second.model, second.outcome) == ("second", Outcome.OK)


@pytest.mark.parametrize(
    "failure",
    [
        httpx2.Response(529, json={"error": "overloaded"}),
        httpx2.Response(500, json={"error": "boom"}),
        httpx2.Response(502, content=b"<html><title>502 Bad Gateway</title></html>"),
        httpx2.ReadTimeout("slow"),
        httpx2.ConnectError("refused"),
    ],
    ids=["overloaded", "server_error", "bad_gateway_html", "timeout", "connection"],
)
def test_every_default_condition_fails_over(make_chain, provider, failure):
    provider.script("acme-1", failure)

    assert make_chain().complete("hi").model == "second"


def test_a_failure_outside_the_conditions_is_raised_at_once(make_chain, provider):
    provider.script("acme-1", httpx2.Response(400, json={"error": "bad field"}))

    with pytest.raises(InvalidRequestError, match="bad field"):
        make_chain().complete("hi")

    assert provider.requests == ["acme-1"]


@pytest.mark.parametrize(
    ("status", "kind"), [(401, "auth"), (403, "permission"), (402, "quota_exhausted")]
)
def test_an_account_that_cannot_serve_fails_over_by_default(make_chain, provider, status, kind):
    provider.script("acme-1", httpx2.Response(status, json={"error": "no"}))

    reply = make_chain().complete("hi")

    assert reply.model == "second"
    assert (reply.attempts[0].kind, reply.attempts[0].status) == (kind, status)


@pytest.mark.parametrize("kind", ["auth", "permission", "quota_exhausted"])
def test_an_account_that_cannot_serve_opens_the_breaker_for_an_hour(
    make_chain, provider, clock, kind
):
    status = {"auth": 401, "permission": 403, "quota_exhausted": 402}[kind]
    provider.script("acme-1", httpx2.Response(status, json={"error": "no"}))
    chain = make_chain()
    chain.complete("hi")

    clock.now += 3599
    still = chain.complete("an hour less a second later")
    clock.now += 2
    again = chain.complete("an hour later")

    assert still.attempts[0].message == f"cooling down for 1.0 s more after {kind}"
    assert again.model == "first"


def test_auth_is_raised_once_taken_out_of_the_conditions(make_chain, provider):
    provider.script("acme-1", httpx2.Response(401, json={"error": "bad key"}))

    with pytest.raises(AuthError):
        make_chain(failover={"conditions": ["server_error"]}).complete("hi")


def test_a_condition_names_its_family(make_chain, provider):
    provider.script("acme-1", httpx2.Response(503, json={"error": "overloaded"}))

    reply = make_chain(failover={"conditions": ["server_error"]}).complete("hi")

    assert reply.model == "second"


@pytest.fixture
def no_key(monkeypatch, tmp_path):
    monkeypatch.delenv("ACME_API_KEY")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "none"))


def test_a_missing_credential_ends_the_call_at_once_when_no_model_has_one(
    make_chain, provider, clock, no_key
):
    with pytest.raises(AllModelsFailedError, match="set ACME_API_KEY") as failed:
        make_chain().complete("hi")

    assert provider.requests == []
    assert clock.slept == []  # no round of backoff: none would bring a key
    assert failed.value.reason == "no model of the chain can serve this request"
    assert isinstance(failed.value.last_error, NoCredentialError)
    assert [(a.model, a.kind, a.status) for a in failed.value.attempts] == [
        ("first", "auth", None),
        ("second", "auth", None),
    ]


def test_a_missing_credential_is_looked_for_again_by_the_next_call(
    make_chain, provider, monkeypatch, no_key
):
    # Nothing was sent, so no breaker opens: the model is used once its key is set.
    chain = make_chain(failover={"max_retries": 0})
    with pytest.raises(AllModelsFailedError):
        chain.complete("hi")

    monkeypatch.setenv("ACME_API_KEY", "sk-acme-test-key-0001")
    reply = chain.complete("again")

    assert reply.model == "first"
    assert chain.breakers.state("first") is None


def test_a_missing_credential_is_raised_once_auth_is_taken_out_of_the_conditions(
    make_chain, provider, no_key
):
    with pytest.raises(NoCredentialError, match="set ACME_API_KEY") as raised:
        make_chain(failover={"conditions": ["server_error"]}).complete("hi")

    assert isinstance(raised.value, AuthError)
    assert isinstance(raised.value, CredentialError)


def test_when_every_model_fails_backoff_rounds_run_then_one_error_lists_every_attempt(
    make_chain, provider, clock
):
    for model_id in ("acme-1", "acme-2"):
        provider.script(model_id, *[httpx2.Response(500, json={"error": "down"})] * 4)

    with pytest.raises(AllModelsFailedError) as raised:
        make_chain(failover={"max_retries": 3, "retry_delay_ms": 1000}).complete("hi")

    assert provider.requests == ["acme-1", "acme-2"] * 4
    assert len(clock.slept) == 3
    for wait, base in zip(clock.slept, (1.0, 2.0, 4.0), strict=True):
        assert 0.75 * base <= wait <= base
    error = raised.value
    assert [(a.model, a.round, a.kind) for a in error.attempts] == [
        (name, r, "server_error") for r in range(4) for name in ("first", "second")
    ]
    assert "first (acme): server_error 500" in str(error)


def test_a_single_model_is_a_chain_of_one(make_chain, provider):
    provider.script("acme-3", httpx2.Response(500))

    reply = make_chain("third", failover={"max_retries": 1}).complete("hi")

    assert (reply.model, provider.requests) == ("third", ["acme-3", "acme-3"])


def test_an_inline_list_builds_a_chain_without_naming_one(make_chain, provider):
    provider.script("acme-3", rate_limited())

    reply = make_chain(["third", "acme/acme-9"]).complete("hi")

    assert (reply.model, reply.text) == ("acme/acme-9", "answer from acme-9")


def test_async_complete_fails_over_the_same_way(make_chain, provider, clock):
    provider.script("acme-1", rate_limited())

    reply = asyncio.run(make_chain().acomplete("hi"))

    assert (reply.model, [a.outcome for a in reply.attempts]) == ("second", ["failed", "ok"])
    assert clock.slept == []


def test_an_error_raised_at_once_carries_every_attempt_of_the_call(make_chain, provider):
    provider.script("acme-1", httpx2.Response(503, json={"error": "busy"}))
    provider.script("acme-2", httpx2.Response(400, json={"error": "bad field"}))

    with pytest.raises(InvalidRequestError) as raised:
        make_chain().complete("hi")

    assert [(a.model, a.kind) for a in raised.value.attempts] == [
        ("first", "overloaded"),
        ("second", "invalid_request"),
    ]


def test_a_chain_closes_the_transport_it_made_but_not_one_it_was_given(acme_host):
    from hotswap import FailoverChain, ModelConfig
    from hotswap.wire.transport import Transport

    model = ModelConfig(name="first", provider="acme", model="acme-1")
    given = Transport()
    with FailoverChain([model], host=acme_host, transport=given) as borrowed:
        given.client  # noqa: B018 (opens the pool)
    with FailoverChain([model], host=acme_host) as owned:
        owned.transport.client  # noqa: B018

    assert not given.client.is_closed
    assert owned.transport.client.is_closed
    assert borrowed.transport is given
    given.close()


def test_an_account_that_cannot_serve_is_logged_as_a_warning(make_chain, provider, caplog):
    provider.script("acme-1", httpx2.Response(401, json={"error": "bad key"}))

    with caplog.at_level("INFO", logger="hotswap.engine"):
        make_chain().complete("hi")

    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == ["first cannot be used (auth): bad key; failing over"]
