"""Credentials as headers, told apart by their prefix; and the token refresh a pi login needs."""

from __future__ import annotations

import logging

import pytest
from hotswap_anthropic.auth import CLIENT_ID, TOKEN_URL

from hotswap.plugin import AuthType, CompletionRequest, Credential, HttpRequest, Message, Secret

from .conftest import model

API_KEY = "sk-ant-api03-abcdefghijklmnop"
OAUTH_TOKEN = "sk-ant-oat01-abcdefghijklmnop"


def credential(secret: str, auth_type: str, **fields: object) -> Credential:
    return Credential(secret=Secret(secret), auth_type=auth_type, source="a test", **fields)


@pytest.mark.parametrize("auth_type", ["api_key", "pi_auth"])
def test_an_api_key_is_sent_as_x_api_key(host, auth_type):
    assert host.auth_headers(model(), credential(API_KEY, auth_type)) == {"x-api-key": API_KEY}


@pytest.mark.parametrize("auth_type", ["oauth_token", "pi_auth"])
def test_an_oauth_token_is_a_bearer_token_with_the_oauth_beta(host, auth_type):
    assert host.auth_headers(model(), credential(OAUTH_TOKEN, auth_type)) == {
        "authorization": f"Bearer {OAUTH_TOKEN}",
        "anthropic-beta": "oauth-2025-04-20",
    }


def test_an_oauth_token_given_as_an_api_key_is_still_sent_as_a_bearer_token(host, caplog):
    caplog.set_level(logging.DEBUG, logger="hotswap_anthropic")

    headers = host.auth_headers(model(), credential(OAUTH_TOKEN, "api_key"))

    assert "x-api-key" not in headers
    assert headers["authorization"] == f"Bearer {OAUTH_TOKEN}"
    assert "a test holds an OAuth token: sent as a bearer token" in caplog.text
    assert OAUTH_TOKEN not in caplog.text


def test_an_api_key_given_as_an_oauth_token_is_sent_as_an_api_key(host, caplog):
    caplog.set_level(logging.DEBUG, logger="hotswap_anthropic")

    assert host.auth_headers(model(), credential(API_KEY, "oauth_token")) == {"x-api-key": API_KEY}
    assert "a test holds an API key: sent as x-api-key" in caplog.text


def test_the_oauth_beta_joins_the_betas_the_model_configures(host):
    configured = model(headers={"anthropic-beta": "context-1m-2025-08-07, oauth-2025-04-20"})

    headers = host.auth_headers(configured, credential(OAUTH_TOKEN, "oauth_token"))

    assert headers["anthropic-beta"] == "context-1m-2025-08-07,oauth-2025-04-20"


def test_the_oauth_beta_is_added_after_the_configured_ones(host):
    configured = model(headers={"anthropic-beta": "context-1m-2025-08-07"})

    headers = host.auth_headers(configured, credential(OAUTH_TOKEN, "oauth_token"))

    assert headers["anthropic-beta"] == "context-1m-2025-08-07,oauth-2025-04-20"


def test_no_other_clients_identity_is_claimed(host):
    headers = host.auth_headers(model(), credential(OAUTH_TOKEN, "oauth_token"))
    request = CompletionRequest(messages=(Message.user("hi"),))
    built = host.build_request(model(), request, stream=False)

    sent = {**built.headers, **headers}
    assert not {"user-agent", "x-app", "anthropic-dangerous-direct-browser-access"} & set(sent)
    assert "claude-code" not in sent["anthropic-beta"]
    assert "system" not in built.json


def test_the_provider_declares_all_three_auth_types(host):
    info = host.provider("anthropic")

    assert list(info.auth) == [AuthType.API_KEY, AuthType.OAUTH_TOKEN, AuthType.PI_AUTH]
    assert info.auth[AuthType.API_KEY].env_vars == ("ANTHROPIC_API_KEY",)
    assert info.auth[AuthType.OAUTH_TOKEN].env_vars == (
        "CLAUDE_CODE_OAUTH_TOKEN",
        "ANTHROPIC_OAUTH_TOKEN",
    )
    assert info.auth[AuthType.PI_AUTH].pi_provider == "anthropic"
    assert info.known_model("opus").id == "claude-opus-4-7"
    assert info.known_model("haiku").context_window == 200_000


# -- refreshing a pi login ----------------------------------------------------------------------


def test_the_refresh_request_posts_the_refresh_token_as_json(host):
    expired = credential(OAUTH_TOKEN, "pi_auth", refresh_token=Secret("sk-ant-ort01-refresh"))

    assert host.refresh_request(model(), expired) == HttpRequest(
        "POST",
        TOKEN_URL,
        json={
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "refresh_token": "sk-ant-ort01-refresh",
        },
    )


def test_the_token_endpoint_can_be_moved_by_an_environment_variable(host, monkeypatch):
    monkeypatch.setenv("HOTSWAP_ANTHROPIC_TOKEN_URL", "http://127.0.0.1:9/token")
    expired = credential(OAUTH_TOKEN, "pi_auth", refresh_token=Secret("r-123456"))

    assert host.refresh_request(model(), expired).path == "http://127.0.0.1:9/token"
