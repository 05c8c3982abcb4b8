"""Every hook, called through the host's typed methods, with a provider and two non-provider
plugins that change its behaviour: a credential vault and an error reclassifier."""

from __future__ import annotations

import json

import pytest

from hotswap import ErrorKind, Finish, FinishReason, Message, ModelConfig, PluginHost, TextDelta
from hotswap.plugin import hookimpl
from hotswap.plugin.framing import Frame
from hotswap.types.auth import AuthType, Credential
from hotswap.types.errors import CredentialError, ErrorClassification, PluginError
from hotswap.types.http import HttpRequest, HttpResponse, TransportFailure
from hotswap.types.providers import ProviderInfo
from hotswap.types.redaction import Secret
from hotswap.types.request import CompletionRequest

MODEL = ModelConfig(name="fast", provider="acme", model="acme-1")
REQUEST = CompletionRequest(messages=(Message.user("hi"),))


class Vault:
    """Not a provider: supplies credentials for acme models from elsewhere."""

    @hookimpl(tryfirst=True)
    def hotswap_resolve_credential(self, model, auth_type, spec):
        if model.provider != "acme":
            return None
        return Credential(secret=Secret("vault-key-123456"), auth_type=auth_type, source="vault")


class FailoverOnBadRequest:
    """Not a provider: treats acme's 400 'tool_use_failed' as a server error, worth failing over."""

    @hookimpl(wrapper=True)
    def hotswap_classify_error(self, model, failure):
        verdict = yield
        if isinstance(failure, HttpResponse) and b"tool_use_failed" in failure.body:
            return ErrorClassification(
                ErrorKind.SERVER_ERROR, verdict.message, code="tool_use_failed"
            )
        return verdict


@pytest.fixture
def host(acme_host):
    return acme_host


def test_the_provider_builds_its_request(host):
    built = host.build_request(MODEL, REQUEST, stream=False)

    assert built == HttpRequest(
        "POST",
        "/complete",
        json={
            "model": "acme-1",
            "prompt": "hi",
            "messages": [["user", "hi"]],
            "stream": False,
        },
    )


def test_the_provider_parses_its_response(host):
    response = HttpResponse(200, {}, json.dumps({"text": "hello"}).encode())

    assert host.parse_response(MODEL, response).text == "hello"


def test_the_provider_translates_its_stream(host):
    translator = host.stream_translator(MODEL, REQUEST)
    events = [
        event
        for frame in (Frame(None, '{"text": "he"}'), Frame(None, '{"done": true}'))
        for event in translator.translate(frame)
    ]

    assert events == [TextDelta("he"), Finish(FinishReason.STOP, "done")]
    assert translator.finished


def test_the_core_resolves_the_credential_when_no_plugin_does(host, monkeypatch):
    monkeypatch.setenv("ACME_API_KEY", "sk-acme-from-env-0001")
    spec = host.provider("acme").auth[AuthType.API_KEY]

    credential = host.resolve_credential(MODEL, AuthType.API_KEY, spec)

    assert credential.source == "environment variable ACME_API_KEY"
    assert host.auth_headers(MODEL, credential) == {"authorization": "Bearer sk-acme-from-env-0001"}


def test_a_missing_credential_names_the_variable_to_set(host, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "creds"))
    spec = host.provider("acme").auth[AuthType.API_KEY]

    with pytest.raises(CredentialError, match="set ACME_API_KEY"):
        host.resolve_credential(MODEL, AuthType.API_KEY, spec)


def test_a_vault_plugin_supplies_credentials_before_the_core_looks(host, monkeypatch):
    monkeypatch.setenv("ACME_API_KEY", "sk-acme-from-env-0001")
    host.register(Vault(), name="vault")
    spec = host.provider("acme").auth[AuthType.API_KEY]

    credential = host.resolve_credential(MODEL, AuthType.API_KEY, spec)

    assert credential.source == "vault"
    assert host.auth_headers(MODEL, credential) == {"authorization": "Bearer vault-key-123456"}


def test_the_provider_classifies_what_it_knows_and_the_core_the_rest(host):
    too_long = HttpResponse(400, {}, b'{"error": "too_long"}')
    overloaded = HttpResponse(503, {"retry-after": "2"}, b'{"error": "busy"}')
    timeout = TransportFailure(ErrorKind.TIMEOUT, "read", "no bytes for 30 s")

    assert host.classify_error(MODEL, too_long).kind is ErrorKind.CONTEXT_LENGTH
    assert host.classify_error(MODEL, overloaded) == ErrorClassification(
        ErrorKind.OVERLOADED, "busy", retry_after=2.0
    )
    assert host.classify_error(MODEL, timeout).kind is ErrorKind.TIMEOUT


def test_a_non_provider_plugin_can_make_a_400_failover_worthy(host):
    host.register(FailoverOnBadRequest(), name="failover-on-bad-request")
    bad_tool_call = HttpResponse(400, {}, b'{"error": {"message": "tool_use_failed"}}')
    other_400 = HttpResponse(400, {}, b'{"error": {"message": "bad field"}}')

    assert host.classify_error(MODEL, bad_tool_call) == ErrorClassification(
        ErrorKind.SERVER_ERROR, "tool_use_failed", code="tool_use_failed"
    )
    assert host.classify_error(MODEL, other_400).kind is ErrorKind.INVALID_REQUEST


def test_a_provider_missing_a_hook_is_named_in_the_error():
    class Declares:
        @hookimpl
        def hotswap_register_providers(self, register):
            register(ProviderInfo(name="half", base_url="https://h.test", auth={"none": {}}))

    host = PluginHost(entry_points=[])
    host.register(Declares(), name="half-done")

    with pytest.raises(PluginError, match="'half-done' registered provider 'half' but does not"):
        host.build_request(ModelConfig(name="h", provider="half", model="m"), REQUEST, stream=False)
