"""An expired Claude login in pi's auth.json is refreshed at the token endpoint (a loopback
server here) before the request, written back with the file's other entries intact, and a
failed refresh says what happened."""

from __future__ import annotations

import json
import socket
import time

import pytest
from hotswap_anthropic.auth import CLIENT_ID

from hotswap import AuthError, CredentialError
from hotswap.plugin import CompletionRequest, Message, TextDelta
from hotswap.testing import Harness

from .conftest import Answer, model, write_pi_auth

HI = CompletionRequest(messages=(Message.user("hi there"),))
TOKEN_PATH = "/v1/oauth/token"
OTHERS = {
    "openai": {"type": "api_key", "key": "sk-openai-stays-0001"},
    "openai-codex": {
        "type": "oauth",
        "access": "codex-access",
        "refresh": "codex-refresh",
        "expires": 1767225600000,
        "accountId": "acct-1",
    },
    "groq": {"type": "api_key", "key": "!op read 'op://vault/groq/credential'"},
}
EXPIRED = {
    "type": "oauth",
    "access": "sk-ant-oat01-expired-access",
    "refresh": "sk-ant-ort01-old-refresh",
    "expires": 1700000000000,
}
GRANT = {
    "access_token": "sk-ant-oat01-fresh-access",
    "refresh_token": "sk-ant-ort01-new-refresh",
    "expires_in": 28800,
    "token_type": "Bearer",
}


@pytest.fixture
def expired_login(home):
    return write_pi_auth(home, {**OTHERS, "anthropic": EXPIRED})


@pytest.fixture
def token_endpoint(loopback, monkeypatch):
    monkeypatch.setenv("HOTSWAP_ANTHROPIC_TOKEN_URL", loopback.url + TOKEN_PATH)
    return loopback


@pytest.fixture
def pi_model(simulator):
    return model(base_url=f"{simulator.url}/v1", auth_type="pi_auth")


def test_an_expired_login_is_refreshed_and_the_request_sent_with_the_new_token(
    host, expired_login, token_endpoint, simulator, pi_model
):
    token_endpoint.answer(TOKEN_PATH, Answer.of_json(GRANT))
    before = int(time.time() * 1000)

    completion = Harness.on(host, pi_model).complete(HI)

    after = int(time.time() * 1000)
    [refresh] = token_endpoint.received
    assert (refresh.method, refresh.path) == ("POST", TOKEN_PATH)
    assert refresh.headers["content-type"] == "application/json"
    assert refresh.json() == {
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "refresh_token": "sk-ant-ort01-old-refresh",
    }
    [sent] = simulator.requests
    assert sent.headers["authorization"] == "Bearer sk-ant-oat01-fresh-access"
    assert sent.headers["anthropic-beta"] == "oauth-2025-04-20"
    assert completion.text == "echo: hi there"
    saved = json.loads(expired_login.read_text())
    expires = saved["anthropic"].pop("expires")
    assert saved == {
        **OTHERS,
        "anthropic": {
            "type": "oauth",
            "access": "sk-ant-oat01-fresh-access",
            "refresh": "sk-ant-ort01-new-refresh",
        },
    }
    five_minutes = 5 * 60 * 1000
    assert before + 28800_000 - five_minutes <= expires <= after + 28800_000 - five_minutes
    assert expired_login.stat().st_mode & 0o777 == 0o600


def test_the_refreshed_login_is_used_as_it_is_by_the_next_request(
    host, expired_login, token_endpoint, simulator, pi_model
):
    token_endpoint.answer(TOKEN_PATH, Answer.of_json(GRANT))

    Harness.on(host, pi_model).complete(HI)
    Harness.on(host, pi_model).complete(HI)

    assert len(token_endpoint.received) == 1
    assert [r.headers["authorization"] for r in simulator.requests] == [
        "Bearer sk-ant-oat01-fresh-access"
    ] * 2


def test_a_stream_refreshes_first_too(host, expired_login, token_endpoint, simulator, pi_model):
    token_endpoint.answer(TOKEN_PATH, Answer.of_json(GRANT))

    events = list(Harness.on(host, pi_model).events(HI))

    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "echo: hi there"
    assert simulator.requests[0].headers["authorization"] == "Bearer sk-ant-oat01-fresh-access"


def test_a_refused_refresh_says_what_happened_and_leaves_the_file_alone(
    host, expired_login, token_endpoint, simulator, pi_model
):
    refusal = {"error": "invalid_grant", "error_description": "Refresh token not found or invalid"}
    token_endpoint.answer(TOKEN_PATH, Answer.of_json(refusal, status=400))
    written = expired_login.read_text()

    with pytest.raises(CredentialError) as raised:
        Harness.on(host, pi_model).complete(HI)

    assert raised.value.kind == "auth"  # the chain moves on to its next model
    assert raised.value.provider_message == (
        "the OAuth login in pi auth.json entry anthropic has expired and could not be "
        f"refreshed at {token_endpoint.url}{TOKEN_PATH}: it answered HTTP 400: invalid_grant.\n"
        "  Log in with pi: run `pi`, then `/login`."
    )
    assert "sk-ant-ort01-old-refresh" not in str(raised.value)
    assert expired_login.read_text() == written
    assert simulator.requests == []


def test_an_unreachable_token_endpoint_is_a_credential_error(
    host, expired_login, simulator, pi_model, monkeypatch
):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("HOTSWAP_ANTHROPIC_TOKEN_URL", f"http://127.0.0.1:{port}/token")

    with pytest.raises(CredentialError, match="could not be refreshed"):
        Harness.on(host, pi_model).complete(HI)

    assert simulator.requests == []


def test_an_expired_login_without_a_refresh_token_asks_for_a_new_login(host, home, pi_model):
    write_pi_auth(home, {"anthropic": {**EXPIRED, "refresh": ""}})

    with pytest.raises(CredentialError, match="has expired and holds no refresh token"):
        Harness.on(host, pi_model).exchange(HI, stream=False)


REVOKED = {**EXPIRED, "access": "sk-ant-oat01-revoked-access", "expires": 4102444800000}


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_token_refused_before_its_expiry_is_refreshed_once_and_the_request_sent_again(
    host, home, token_endpoint, simulator, pi_model, stream
):
    write_pi_auth(home, {**OTHERS, "anthropic": REVOKED})
    simulator.accept_keys("anthropic", "sk-ant-oat01-fresh-access")
    token_endpoint.answer(TOKEN_PATH, Answer.of_json(GRANT))

    harness = Harness.on(host, pi_model)
    exchange = harness.exchange(HI, stream=stream)
    if stream:
        events = list(harness.send_stream(exchange))
        text = "".join(e.text for e in events if isinstance(e, TextDelta))
    else:
        text = harness.send(exchange).text

    assert text == "echo: hi there"
    assert [r.headers["authorization"] for r in simulator.requests] == [
        "Bearer sk-ant-oat01-revoked-access",
        "Bearer sk-ant-oat01-fresh-access",
    ]
    assert len(token_endpoint.received) == 1


def test_a_token_refused_again_after_the_refresh_is_an_auth_error(
    host, home, token_endpoint, simulator, pi_model
):
    write_pi_auth(home, {"anthropic": REVOKED})
    simulator.accept_keys("anthropic", "sk-ant-api03-some-other-key")
    token_endpoint.answer(TOKEN_PATH, Answer.of_json(GRANT))

    with pytest.raises(AuthError):
        Harness.on(host, pi_model).complete(HI)

    assert len(simulator.requests) == 2
    assert len(token_endpoint.received) == 1


def test_a_login_another_process_refreshed_meanwhile_is_used_without_refreshing_again(
    host, home, expired_login, token_endpoint, simulator, pi_model
):
    harness = Harness.on(host, pi_model)
    exchange = harness.exchange(HI, stream=False)  # read the expired login
    fresh = {**EXPIRED, "access": "sk-ant-oat01-refreshed-by-pi", "expires": 4102444800000}
    write_pi_auth(home, {**OTHERS, "anthropic": fresh})

    harness.send(exchange)

    assert token_endpoint.received == []
    assert simulator.requests[0].headers["authorization"] == "Bearer sk-ant-oat01-refreshed-by-pi"
