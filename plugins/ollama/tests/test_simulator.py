"""End to end through the plugin harness and the failover chain, over real HTTP,
against the provider simulator (hotswap.testing): the exact request, answers, streams, tool
calls, thinking, the models the server has, and every error kind, including Ollama not
running at all."""

from __future__ import annotations

import asyncio
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest

from hotswap import (
    AuthError,
    Config,
    ConnectionFailedError,
    MemoryBreakerStore,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    Transport,
    chain,
    list_models,
)
from hotswap.plugin import (
    CompletionRequest,
    Finish,
    FinishReason,
    KnownModel,
    Message,
    TextDelta,
    ThinkingDelta,
)
from hotswap.testing import (
    Cut,
    Forbidden,
    Harness,
    Malformed,
    Overloaded,
    RateLimit,
    Reply,
    ServerFault,
    StreamError,
    ToolCall,
)

from .conftest import assemble, model

HI = CompletionRequest(messages=(Message.user("hi there"),))


@pytest.fixture
def against(simulator):
    """A model config pointed at the simulator through its base_url."""

    def configure(**fields: Any):
        return model(base_url=simulator.url, **fields)

    return configure


def complete(host, config, request=HI):
    return Harness.on(host, config).complete(request)


def stream(host, config, request=HI) -> list[Any]:
    return Harness.on(host, config).stream(request)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the request ---------------------------------------------------------------------------------


def test_the_exact_request_needs_no_key(host, simulator, against):
    complete(host, against())

    [sent] = simulator.requests
    assert (sent.method, sent.path) == ("POST", "/api/chat")
    assert sent.headers["content-type"] == "application/json"
    assert "authorization" not in sent.headers
    assert sent.json() == {
        "model": "llama3.2",
        "messages": [{"role": "user", "content": "hi there"}],
        "stream": False,
    }


def test_model_options_set_keep_alive_and_the_context_size(host, simulator, against):
    config = against(options={"num_ctx": 16384, "keep_alive": "30m"})

    complete(host, config, CompletionRequest(messages=HI.messages, options={"max_tokens": 50}))

    sent = simulator.requests[0].json()
    assert sent["keep_alive"] == "30m"
    assert sent["options"] == {"num_predict": 50, "num_ctx": 16384}


def test_an_inline_chain_entry_answers_through_ollama_host(host, simulator, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{urlsplit(simulator.url).port}")
    config = Config.from_dict({"chains": {"local": {"models": ["ollama/llama3"]}}})

    with Transport() as transport:
        reply = chain(
            "local", config=config, host=host, transport=transport, breakers=MemoryBreakerStore()
        ).complete("hi there")

    assert (reply.text, reply.model, reply.provider, reply.model_id) == (
        "echo: hi there",
        "ollama/llama3",
        "ollama",
        "llama3",
    )
    assert simulator.requests[0].json()["model"] == "llama3"


def test_an_api_key_for_ollama_s_cloud_is_a_bearer_token(host, simulator, against, monkeypatch):
    monkeypatch.setenv("OLLAMA_API_KEY", "ollama-cloud-key-0001")
    simulator.accept_keys("ollama", "ollama-cloud-key-0001")

    complete(host, against(auth_type="api_key"))

    assert simulator.requests[0].headers["authorization"] == "Bearer ollama-cloud-key-0001"


# -- answers and streams -------------------------------------------------------------------------


def test_a_whole_answer_comes_back_as_a_completion(host, against):
    completion = complete(host, against())

    assert completion.text == "echo: hi there"
    assert (completion.finish_reason, completion.raw_finish_reason) == (FinishReason.STOP, "stop")
    assert (completion.model, completion.provider, completion.model_id) == (
        "local",
        "ollama",
        "llama3.2",
    )
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (2, 3)


def test_a_stream_yields_text_as_it_arrives_and_ends_with_done(host, against):
    events = stream(host, against())

    assert [e for e in events if isinstance(e, TextDelta)] == [
        TextDelta("echo: "),
        TextDelta("hi "),
        TextDelta("there"),
    ]
    assert events[-1] == Finish(FinishReason.STOP, "stop", "llama3.2")


def test_streamed_tool_calls_are_assembled(host, simulator, against):
    calls = (ToolCall("get_weather", {"city": "Oslo", "days": 3}), ToolCall("get_time", {}))
    simulator.script("llama3.2", [Reply(text="", tool_calls=calls)])
    completion = assemble(stream(host, against()))

    assert completion.finish_reason is FinishReason.TOOL_CALLS
    assert [(c.name, c.arguments) for c in completion.tool_calls] == [
        ("get_weather", {"city": "Oslo", "days": 3}),
        ("get_time", {}),
    ]


def test_a_tool_result_goes_back_named_after_its_call(host, simulator, against):
    simulator.script("llama3.2", [Reply(text="", tool_calls=(ToolCall("get_weather"),))])
    first = complete(host, against())
    [call] = first.tool_calls
    follow_up = CompletionRequest(
        messages=(*HI.messages, first.to_message(), Message.tool_result(call.id, "18C"))
    )

    assert complete(host, against(), follow_up).text == "echo: hi there"

    tool_message = simulator.requests[-1].json()["messages"][-1]
    assert tool_message == {
        "role": "tool",
        "content": "18C",
        "tool_name": "get_weather",
        "tool_call_id": call.id,
    }


def test_thinking_is_asked_for_and_streamed(host, simulator, against):
    events = stream(host, against(model="qwen3", thinking_level="high"))

    assert simulator.requests[0].json()["think"] is True
    thinking = "".join(e.text for e in events if isinstance(e, ThinkingDelta))
    assert thinking == "thinking about: hi there"


def test_thinking_is_not_asked_of_a_model_known_not_to_think(host, simulator, against):
    complete(host, against(model="llama3.2", thinking_level="high"))

    assert "think" not in simulator.requests[0].json()


def test_the_async_transport_gives_the_same_answer(host, against):
    async def run():
        harness = Harness.on(host, against())
        whole = await harness.acomplete(HI)
        events = [e async for e in harness.aevents(HI)]
        return whole, events

    whole, events = asyncio.run(run())

    assert whole.text == "echo: hi there"
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "echo: hi there"


# -- the models the server has -------------------------------------------------------------------


@pytest.mark.parametrize("streamed", [False, True])
def test_a_model_that_is_not_pulled_says_how_to_pull_it(host, simulator, against, streamed):
    simulator.serve_models("ollama", "qwen3:8b")
    send = stream if streamed else complete

    with pytest.raises(NotFoundError) as raised:
        send(host, against(model="llama3"))

    assert raised.value.status == 404
    assert "Pull it with: ollama pull llama3" in str(raised.value)
    assert simulator.url in str(raised.value)


def test_hotswap_models_lists_what_the_server_has_pulled(host, simulator, against):
    simulator.serve_models("ollama", "qwen3:8b", "llama3.2")

    models = list_models(against(), host=host)

    assert models == [
        KnownModel(id="llama3.2:latest", aliases=("llama3.2",)),
        KnownModel(id="qwen3:8b"),
    ]
    [sent] = simulator.requests
    assert (sent.method, sent.path) == ("GET", "/api/tags")


def test_the_list_comes_from_ollama_host_for_the_provider_itself(host, simulator, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", simulator.url)
    simulator.serve_models("ollama", "gpt-oss:20b")

    assert [m.id for m in list_models("ollama", host=host)] == ["gpt-oss:20b"]


def test_no_list_when_ollama_is_not_running(host):
    assert list_models(model(base_url=f"http://127.0.0.1:{_free_port()}"), host=host) is None


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("streamed", [False, True])
def test_ollama_not_running_is_a_connection_error_saying_how_to_start_it(host, streamed):
    url = f"http://127.0.0.1:{_free_port()}"
    send = stream if streamed else complete

    with pytest.raises(ConnectionFailedError) as raised:
        send(host, model(base_url=url))

    assert f"could not connect to Ollama at {url}" in str(raised.value)
    assert "`ollama serve`" in str(raised.value)
    assert raised.value.code == "not_running"


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        (RateLimit(), RateLimitedError, 429),
        (Overloaded(), OverloadedError, 503),
        (ServerFault(500), ServerError, 500),
        (ServerFault(502), ServerError, 502),
        (Forbidden(), PermissionDeniedError, 403),
    ],
)
@pytest.mark.parametrize("streamed", [False, True])
def test_each_error_answer_raises_its_kind(
    host, simulator, against, fault, error, status, streamed
):
    simulator.script("llama3.2", [fault])
    send = stream if streamed else complete

    with pytest.raises(error) as raised:
        send(host, against())

    assert (raised.value.status, raised.value.provider) == (status, "ollama")
    assert type(raised.value) is error


def test_a_refused_cloud_key_is_an_auth_error(host, simulator, against, monkeypatch):
    monkeypatch.setenv("OLLAMA_API_KEY", "a-stale-key")
    simulator.accept_keys("ollama", "ollama-cloud-key-0001")

    with pytest.raises(AuthError) as raised:
        complete(host, against(auth_type="api_key"))

    assert raised.value.status == 401
    assert "a-stale-key" not in str(raised.value)


def test_an_error_line_after_content_has_started_is_a_server_error(host, simulator, against):
    simulator.script("llama3.2", [StreamError(after=2, error=ServerFault(500))])
    seen: list[Any] = []

    with pytest.raises(ServerError) as raised:
        seen.extend(Harness.on(host, against()).events(HI))

    assert raised.value.status is None
    assert "an internal error occurred" in str(raised.value)
    assert [e.text for e in seen if isinstance(e, TextDelta)] == ["echo: ", "hi "]


def test_a_stream_cut_before_done_is_a_connection_error(host, simulator, against):
    simulator.script("llama3.2", [Cut(after=2)])

    with pytest.raises(ConnectionFailedError, match="ended before the provider signalled"):
        stream(host, against())


def test_a_malformed_line_is_a_server_error(host, simulator, against):
    simulator.script("llama3.2", [Malformed(after=1)])

    with pytest.raises(ServerError, match="could not be read"):
        stream(host, against())


def test_a_failed_local_model_fails_over_to_the_next(host, simulator, against):
    simulator.script("qwen3:8b", [Overloaded()])

    with Transport() as transport:
        reply = chain(
            [against(name="big", model="qwen3:8b"), against(name="small")],
            config=Config.from_dict({}),
            host=host,
            transport=transport,
            breakers=MemoryBreakerStore(),
        ).complete("hi there")

    assert (reply.model, reply.text) == ("small", "echo: hi there")
    assert [(a.model, str(a.kind)) for a in reply.attempts[:1]] == [("big", "overloaded")]
