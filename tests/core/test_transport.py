"""One attempt at one model: what is sent, and what every kind of answer becomes.

These tests use httpx2's in-memory transport to check the core's decisions; behaviour that
needs real sockets (resets, stalls, cancellation) is tested against the provider simulator.
"""

from __future__ import annotations

import asyncio
import json
import threading

import httpx2
import pytest

from hotswap import (
    AuthError,
    Completion,
    ConfigError,
    ConnectionFailedError,
    ContextLengthError,
    Finish,
    FinishReason,
    Message,
    ModelConfig,
    OverloadedError,
    ProviderTimeoutError,
    RateLimitedError,
    ServerError,
    TextDelta,
)
from hotswap.types.request import CompletionRequest
from hotswap.wire.exchange import Exchange
from hotswap.wire.transport import Transport

MODEL = ModelConfig(name="fast", provider="acme", model="acme-1", headers={"x-team": "core"})
REQUEST = CompletionRequest(messages=(Message.user("hi"),))


@pytest.fixture
def host(acme_host, monkeypatch):
    monkeypatch.setenv("ACME_API_KEY", "sk-acme-test-key-0001")
    return acme_host


def transport_answering(handler) -> Transport:
    mock = httpx2.MockTransport(handler)
    return Transport(
        client=httpx2.Client(transport=mock), async_client=httpx2.AsyncClient(transport=mock)
    )


def sse(*payloads: str) -> bytes:
    return b"".join(f"data: {p}\n\n".encode() for p in payloads)


def test_the_request_carries_the_plugins_body_the_users_headers_and_auth(host):
    seen = []

    def handler(request):
        seen.append(request)
        return httpx2.Response(200, json={"text": "hello"})

    completion = transport_answering(handler).complete(Exchange(host, MODEL, REQUEST, stream=False))

    [request] = seen
    assert (request.method, str(request.url)) == ("POST", "https://api.acme.test/v1/complete")
    assert request.headers["authorization"] == "Bearer sk-acme-test-key-0001"
    assert request.headers["x-team"] == "core"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "model": "acme-1",
        "prompt": "hi",
        "messages": [["user", "hi"]],
        "stream": False,
    }
    assert (completion.text, completion.model, completion.provider) == ("hello", "fast", "acme")


def test_a_completion_the_plugin_named_itself_is_returned_as_it_is(host, monkeypatch):
    named = Completion(text="hello", model="fast", provider="acme")
    monkeypatch.setattr(host, "parse_response", lambda model, response: named)
    transport = transport_answering(lambda request: httpx2.Response(200, json={}))

    assert transport.complete(Exchange(host, MODEL, REQUEST, stream=False)) is named


def test_a_configured_base_url_replaces_the_providers(host):
    seen = []
    model = MODEL.model_copy(update={"base_url": "http://127.0.0.1:9/proxy/"})

    def handler(request):
        seen.append(str(request.url))
        return httpx2.Response(200, json={"text": "ok"})

    transport_answering(handler).complete(Exchange(host, model, REQUEST, stream=False))

    assert seen == ["http://127.0.0.1:9/proxy/complete"]


def test_the_models_thinking_level_applies_unless_the_request_sets_one(host):
    model = MODEL.model_copy(update={"thinking_level": "high"})
    low = CompletionRequest(messages=REQUEST.messages, options={"thinking_level": "low"})

    assert Exchange(host, model, REQUEST, stream=False).request.options.thinking_level == "high"
    assert Exchange(host, model, low, stream=False).request.options.thinking_level == "low"


def test_an_auth_type_the_provider_does_not_accept_names_the_fix(host):
    model = MODEL.model_copy(update={"auth_type": "pi_auth"})

    with pytest.raises(ConfigError, match="does not accept auth_type 'pi_auth'") as raised:
        Exchange(host, model, REQUEST, stream=False)

    assert "use one of: api_key" in str(raised.value)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, b'{"error": "bad key"}', AuthError),
        (503, b"<html><title>503 Service Unavailable</title></html>", OverloadedError),
        (400, b'{"error": "too_long"}', ContextLengthError),
    ],
)
def test_an_error_status_becomes_the_classified_exception(host, status, body, error):
    transport = transport_answering(lambda request: httpx2.Response(status, content=body))

    with pytest.raises(error) as raised:
        transport.complete(Exchange(host, MODEL, REQUEST, stream=False))

    assert (raised.value.status, raised.value.provider, raised.value.model) == (
        status,
        "acme",
        "acme-1",
    )


def test_a_malformed_success_body_is_a_server_error(host):
    transport = transport_answering(lambda request: httpx2.Response(200, content=b'{"text": '))

    with pytest.raises(ServerError, match="could not be read"):
        transport.complete(Exchange(host, MODEL, REQUEST, stream=False))


@pytest.mark.parametrize(
    ("exception", "error"),
    [
        (httpx2.ConnectError("refused"), ConnectionFailedError),
        (httpx2.ReadTimeout("slow"), ProviderTimeoutError),
        (httpx2.ConnectTimeout("slow"), ProviderTimeoutError),
        (httpx2.RemoteProtocolError("reset"), ConnectionFailedError),
    ],
)
def test_a_transport_exception_becomes_a_connection_or_timeout_error(host, exception, error):
    def handler(request):
        raise exception

    with pytest.raises(error):
        transport_answering(handler).complete(Exchange(host, MODEL, REQUEST, stream=False))


def test_a_stream_yields_its_events_as_they_arrive(host):
    body = sse('{"text": "he"}', '{"text": "llo"}', '{"done": true}')
    transport = transport_answering(lambda request: httpx2.Response(200, content=body))

    events = list(transport.stream(Exchange(host, MODEL, REQUEST, stream=True)))

    assert events == [TextDelta("he"), TextDelta("llo"), Finish(FinishReason.STOP, "done")]


def test_a_stream_that_stops_before_the_provider_finished_is_a_connection_error(host):
    transport = transport_answering(
        lambda request: httpx2.Response(200, content=sse('{"text": "he"}'))
    )
    seen = []

    with pytest.raises(ConnectionFailedError, match="ended before the provider signalled"):
        seen.extend(transport.stream(Exchange(host, MODEL, REQUEST, stream=True)))

    assert seen == [TextDelta("he")]


def test_an_error_inside_the_stream_is_classified(host):
    body = sse('{"text": "he"}', '{"error": {"message": "Overloaded"}}')
    transport = transport_answering(lambda request: httpx2.Response(200, content=body))

    with pytest.raises(ServerError, match="Overloaded"):
        list(transport.stream(Exchange(host, MODEL, REQUEST, stream=True)))


def test_a_stream_refused_with_an_error_status_is_classified(host):
    transport = transport_answering(
        lambda request: httpx2.Response(429, headers={"retry-after": "3"}, json={"error": "slow"})
    )

    with pytest.raises(RateLimitedError) as raised:
        list(transport.stream(Exchange(host, MODEL, REQUEST, stream=True)))

    assert raised.value.retry_after == 3.0


def test_a_malformed_frame_is_a_server_error(host):
    transport = transport_answering(lambda request: httpx2.Response(200, content=sse("{not json")))

    with pytest.raises(ServerError, match="could not be read"):
        list(transport.stream(Exchange(host, MODEL, REQUEST, stream=True)))


def test_async_complete_and_stream_behave_as_sync(host):
    def handler(request):
        if json.loads(request.content)["stream"]:
            return httpx2.Response(200, content=sse('{"text": "a"}', '{"done": true}'))
        return httpx2.Response(200, json={"text": "whole"})

    transport = transport_answering(handler)

    async def run():
        completion = await transport.acomplete(Exchange(host, MODEL, REQUEST, stream=False))
        events = [e async for e in transport.astream(Exchange(host, MODEL, REQUEST, stream=True))]
        await transport.aclose()
        return completion, events

    completion, events = asyncio.run(run())

    assert completion.text == "whole"
    assert events == [TextDelta("a"), Finish(FinishReason.STOP, "done")]


def test_async_stream_cut_short_is_a_connection_error(host):
    transport = transport_answering(
        lambda request: httpx2.Response(200, content=sse('{"text": "a"}'))
    )

    async def run():
        return [e async for e in transport.astream(Exchange(host, MODEL, REQUEST, stream=True))]

    with pytest.raises(ConnectionFailedError):
        asyncio.run(run())


def test_a_thinking_level_is_dropped_for_a_model_without_reasoning(host, caplog):
    mini = MODEL.model_copy(update={"name": "mini", "model": "acme-mini", "thinking_level": "high"})

    with caplog.at_level("DEBUG", logger="hotswap"):
        exchange = Exchange(host, mini, REQUEST, stream=False)

    assert exchange.request.options.thinking_level is None
    assert "thinking_level high dropped: mini has no reasoning control" in caplog.text


def test_threads_that_first_use_a_transport_at_once_share_one_client():
    transport = Transport()
    start = threading.Barrier(8)
    clients: list[httpx2.Client] = []

    def first_use() -> None:
        start.wait()
        clients.append(transport.client)

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    transport.close()

    assert len({id(client) for client in clients}) == 1
    assert clients[0].is_closed
