"""An expired pi OAuth login is refreshed through the provider's plugin before the request goes
out, written back into pi's auth.json with every other entry kept, or refused with a message
that says to log in again."""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING

import httpx2
import pytest

import hotswap
from hotswap import Message, ModelConfig, PluginHost
from hotswap.credentials import update_pi_entry
from hotswap.plugin import hookimpl
from hotswap.plugin.defaults import standard_grant
from hotswap.types.auth import TokenGrant
from hotswap.types.errors import CredentialError, NoCredentialError
from hotswap.types.http import HttpRequest, HttpResponse
from hotswap.types.providers import ProviderInfo
from hotswap.types.redaction import Secret
from hotswap.types.request import CompletionRequest
from hotswap.wire.exchange import Exchange
from hotswap.wire.refresh import EXPIRY_MARGIN_MS
from hotswap.wire.transport import Transport

from ..conftest import Acme

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import WritePiAuth

TOKEN_URL = "https://auth.acme.test/token"
MODEL = ModelConfig(name="fast", provider="acme", model="acme-1", auth_type="pi_auth")
REQUEST = CompletionRequest(messages=(Message.user("hi"),))
LOGIN_HINT = "Log in with pi: run `pi`, then `/login`."
OTHERS = {
    "openai": {"type": "api_key", "key": "sk-openai-untouched"},
    "google-gemini-cli": {"type": "oauth", "access": "g", "refresh": "r", "expires": 1},
}


class RefreshingAcme(Acme):
    """The toy provider, logging in through pi, with a token endpoint of its own that answers
    as OAuth 2 says (so the core reads the answer)."""

    @hookimpl
    def hotswap_register_providers(self, register):
        register(
            ProviderInfo(
                name="acme",
                base_url="https://api.acme.test/v1",
                auth={"pi_auth": {"pi_provider": "acme"}},
            )
        )

    @hookimpl
    def hotswap_refresh_request(self, model, credential):
        if model.provider != "acme":
            return None
        body = {"grant_type": "refresh_token", "refresh_token": credential.refresh_token.reveal()}
        return HttpRequest("POST", TOKEN_URL, json=body)


@pytest.fixture
def host(home: Path, monkeypatch: pytest.MonkeyPatch) -> PluginHost:
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("PI_CODING_AGENT_DIR", raising=False)
    host = PluginHost(entry_points=[])
    host.register(RefreshingAcme(), name="acme")
    return host


def expired_login(write_pi_auth: WritePiAuth, **fields: object) -> Path:
    entry = {"type": "oauth", "access": "acme-old-access", "refresh": "acme-old-refresh"}
    return write_pi_auth({**OTHERS, "acme": {**entry, "expires": 1000, **fields}})


class Endpoints:
    """The token endpoint and the API, in memory; records every request."""

    def __init__(self, token_status: int = 200, token_body: object = None) -> None:
        self.seen: list[httpx2.Request] = []
        self.token_status = token_status
        self.token_body = token_body or {
            "access_token": "acme-new-access",
            "refresh_token": "acme-new-refresh",
            "expires_in": 3600,
        }

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.seen.append(request)
        if str(request.url) == TOKEN_URL:
            return httpx2.Response(self.token_status, json=self.token_body)
        return httpx2.Response(200, json={"text": "hello"})

    def transport(self) -> Transport:
        mock = httpx2.MockTransport(self)
        return Transport(
            client=httpx2.Client(transport=mock), async_client=httpx2.AsyncClient(transport=mock)
        )


def test_an_expired_login_is_refreshed_and_the_request_sent_with_the_new_token(
    host: PluginHost, write_pi_auth: WritePiAuth
) -> None:
    path = expired_login(write_pi_auth)
    endpoints = Endpoints()
    before = int(time.time() * 1000)

    completion = endpoints.transport().complete(Exchange(host, MODEL, REQUEST, stream=False))

    after = time.time() * 1000
    token_request, api_request = endpoints.seen
    assert (token_request.method, str(token_request.url)) == ("POST", TOKEN_URL)
    assert token_request.headers["content-type"] == "application/json"
    assert json.loads(token_request.content) == {
        "grant_type": "refresh_token",
        "refresh_token": "acme-old-refresh",
    }
    assert api_request.headers["authorization"] == "Bearer acme-new-access"
    assert completion.text == "hello"
    saved = json.loads(path.read_text())
    expires = saved["acme"].pop("expires")
    assert saved == {
        **OTHERS,
        "acme": {"type": "oauth", "access": "acme-new-access", "refresh": "acme-new-refresh"},
    }
    assert before + 3600_000 - EXPIRY_MARGIN_MS <= expires <= after + 3600_000 - EXPIRY_MARGIN_MS
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_login_that_has_not_expired_is_used_as_it_is(
    host: PluginHost, write_pi_auth: WritePiAuth
) -> None:
    path = expired_login(write_pi_auth, expires=(time.time() + 3600) * 1000)
    written = path.read_text()
    endpoints = Endpoints()

    endpoints.transport().complete(Exchange(host, MODEL, REQUEST, stream=False))

    [api_request] = endpoints.seen
    assert api_request.headers["authorization"] == "Bearer acme-old-access"
    assert path.read_text() == written


def test_a_refresh_token_the_endpoint_does_not_rotate_is_kept(
    host: PluginHost, write_pi_auth: WritePiAuth
) -> None:
    path = expired_login(write_pi_auth, accountId="acct-7")
    endpoints = Endpoints(token_body={"access_token": "acme-new-access", "expires_in": 60})

    endpoints.transport().complete(Exchange(host, MODEL, REQUEST, stream=False))

    entry = json.loads(path.read_text())["acme"]
    assert (entry["access"], entry["refresh"], entry["accountId"]) == (
        "acme-new-access",
        "acme-old-refresh",
        "acct-7",
    )


def test_the_async_transport_refreshes_too(host: PluginHost, write_pi_auth: WritePiAuth) -> None:
    expired_login(write_pi_auth)
    endpoints = Endpoints()

    async def run() -> list[object]:
        exchange = Exchange(host, MODEL, REQUEST, stream=True)
        return [event async for event in endpoints.transport().astream(exchange)]

    with pytest.raises(hotswap.ProviderError):
        # The toy API answers JSON, not a stream: what matters is the token it was sent.
        asyncio.run(run())

    token_request, api_request = endpoints.seen
    assert str(token_request.url) == TOKEN_URL
    assert api_request.headers["authorization"] == "Bearer acme-new-access"


def test_a_refusing_token_endpoint_says_what_happened_and_leaves_the_file_alone(
    host: PluginHost, write_pi_auth: WritePiAuth
) -> None:
    path = expired_login(write_pi_auth)
    written = path.read_text()
    endpoints = Endpoints(
        token_status=400,
        token_body={"error": "invalid_grant", "error_description": "Refresh token revoked"},
    )

    with pytest.raises(NoCredentialError) as raised:
        endpoints.transport().complete(Exchange(host, MODEL, REQUEST, stream=False))

    # An ``auth`` failure of the model, so a chain moves on, and a credential error all the same.
    assert isinstance(raised.value, CredentialError)
    assert raised.value.provider_message == (
        "the OAuth login in pi auth.json entry acme has expired and could not be refreshed at "
        f"{TOKEN_URL}: it answered HTTP 400: invalid_grant.\n  {LOGIN_HINT}"
    )
    assert len(endpoints.seen) == 1
    assert path.read_text() == written


def test_an_answer_without_a_token_is_refused(host: PluginHost, write_pi_auth: WritePiAuth) -> None:
    expired_login(write_pi_auth)

    with pytest.raises(CredentialError, match="its answer holds no access token"):
        Endpoints(token_body={"nothing": 1}).transport().complete(
            Exchange(host, MODEL, REQUEST, stream=False)
        )


def test_an_unreachable_token_endpoint_is_a_credential_error(
    host: PluginHost, write_pi_auth: WritePiAuth
) -> None:
    expired_login(write_pi_auth)

    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused")

    transport = Transport(client=httpx2.Client(transport=httpx2.MockTransport(refuse)))

    with pytest.raises(CredentialError, match=r"ConnectError: connection refused\.\n"):
        transport.complete(Exchange(host, MODEL, REQUEST, stream=False))


def test_an_expired_login_without_a_refresh_token_asks_for_a_new_login(
    host: PluginHost, write_pi_auth: WritePiAuth
) -> None:
    expired_login(write_pi_auth, refresh="")

    with pytest.raises(NoCredentialError) as raised:
        Exchange(host, MODEL, REQUEST, stream=False)

    assert raised.value.provider_message == (
        "the OAuth login in pi auth.json entry acme has expired and holds no refresh token.\n  "
        + LOGIN_HINT
    )


def test_a_provider_that_cannot_refresh_is_named(
    home: Path, monkeypatch: pytest.MonkeyPatch, write_pi_auth: WritePiAuth
) -> None:
    class NoRefresh(Acme):
        @hookimpl
        def hotswap_register_providers(self, register):
            register(
                ProviderInfo(
                    name="acme",
                    base_url="https://a.test",
                    auth={"pi_auth": {"pi_provider": "acme"}},
                )
            )

    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("PI_CODING_AGENT_DIR", raising=False)
    host = PluginHost(entry_points=[])
    host.register(NoRefresh(), name="acme")
    expired_login(write_pi_auth)

    with pytest.raises(CredentialError, match="the plugin for provider 'acme' cannot refresh it"):
        Exchange(host, MODEL, REQUEST, stream=False)


def test_merging_an_entry_keeps_the_fields_it_does_not_name(
    home: Path, write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth({"acme": {"type": "oauth", "access": "a", "accountId": "x"}, **OTHERS})

    update_pi_entry("acme", {"access": "b"}, home=home, env={}, merge=True)

    assert json.loads(path.read_text()) == {
        "acme": {"type": "oauth", "access": "b", "accountId": "x"},
        **OTHERS,
    }


def test_a_standard_oauth_answer_gives_the_new_tokens() -> None:
    answer = {"access_token": "a-new", "refresh_token": "r-new", "expires_in": 60, "scope": "x"}

    grant = standard_grant(HttpResponse(200, {}, json.dumps(answer).encode()))

    assert grant is not None
    assert (grant.access_token.reveal(), grant.expires_in) == ("a-new", 60)
    assert grant.refresh_token is not None
    assert grant.refresh_token.reveal() == "r-new"


@pytest.mark.parametrize(
    "body", [b'{"token_type": "bearer"}', b"<html>", b'{"access_token": ""}', b"[1]"]
)
def test_an_answer_without_an_access_token_gives_no_grant(body: bytes) -> None:
    assert standard_grant(HttpResponse(200, {}, body)) is None


def test_a_plugin_can_read_a_non_standard_answer(
    host: PluginHost, write_pi_auth: WritePiAuth
) -> None:
    class OddAnswers:
        @hookimpl
        def hotswap_parse_refresh(self, model, response):
            return TokenGrant(access_token=Secret(response.json()["token"]["value"]))

    host.register(OddAnswers(), name="odd")
    expired_login(write_pi_auth)
    endpoints = Endpoints(token_body={"token": {"value": "acme-odd-access"}})

    endpoints.transport().complete(Exchange(host, MODEL, REQUEST, stream=False))

    assert endpoints.seen[1].headers["authorization"] == "Bearer acme-odd-access"
