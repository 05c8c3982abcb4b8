"""End to end through the plugin harness, over real HTTP, against the provider
simulator (hotswap.testing): the exact request each auth type sends, answers and streams, and
every error kind the simulator can produce."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from hotswap import (
    AuthError,
    ConnectionFailedError,
    ContextLengthError,
    OverloadedError,
    PermissionDeniedError,
    ProviderTimeoutError,
    QuotaExhaustedError,
    RateLimitedError,
    ServerError,
)
from hotswap.plugin import (
    CompletionOptions,
    CompletionRequest,
    Finish,
    FinishReason,
    Message,
    TextDelta,
    ThinkingPart,
)
from hotswap.testing import (
    ContentFilter,
    ContextTooLong,
    Cut,
    Forbidden,
    Harness,
    Malformed,
    Overloaded,
    QuotaExhausted,
    RateLimit,
    Reply,
    ServerFault,
    StreamError,
    ToolCall,
    Unauthorized,
)

from .conftest import assemble, model, write_pi_auth

API_KEY = "sk-ant-api03-simulated-key-0001"
OAUTH_TOKEN = "sk-ant-oat01-simulated-token-0001"
HI = CompletionRequest(messages=(Message.user("hi there"),))


@pytest.fixture
def against(simulator):
    """A model config pointed at the simulator."""

    def configure(**fields: Any):
        return model(base_url=f"{simulator.url}/v1", **fields)

    return configure


def complete(host, config, request=HI):
    return Harness.on(host, config).complete(request)


def stream(host, config, request=HI) -> list[Any]:
    return Harness.on(host, config).stream(request)


# -- the exact request per auth type ------------------------------------------------------------


def test_an_api_key_from_the_environment_is_sent_as_x_api_key(
    host, simulator, against, monkeypatch
):
    monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)

    completion = complete(host, against())

    assert (completion.model, completion.provider) == ("claude", "anthropic")
    [sent] = simulator.requests
    assert (sent.method, sent.path) == ("POST", "/v1/messages")
    assert sent.headers["x-api-key"] == API_KEY
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert sent.headers["content-type"] == "application/json"
    assert "authorization" not in sent.headers
    assert "anthropic-beta" not in sent.headers
    assert sent.json() == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 8192,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi there"}]}],
    }


@pytest.mark.parametrize("variable", ["CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_OAUTH_TOKEN"])
def test_an_oauth_token_is_sent_as_a_bearer_token_with_the_oauth_beta(
    host, simulator, against, monkeypatch, variable
):
    monkeypatch.setenv(variable, OAUTH_TOKEN)

    complete(host, against(auth_type="oauth_token"))

    [sent] = simulator.requests
    assert sent.headers["authorization"] == f"Bearer {OAUTH_TOKEN}"
    assert sent.headers["anthropic-beta"] == "oauth-2025-04-20"
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert "x-api-key" not in sent.headers
    assert not sent.headers["user-agent"].startswith("claude-cli")
    assert "x-app" not in sent.headers
    assert "system" not in sent.json()


def test_an_oauth_token_configured_as_an_api_key_is_sent_as_a_bearer_token(
    host, simulator, against, monkeypatch
):
    monkeypatch.setenv("ANTHROPIC_API_KEY", OAUTH_TOKEN)

    completion = complete(host, against(auth_type="api_key"))

    [sent] = simulator.requests
    assert sent.headers["authorization"] == f"Bearer {OAUTH_TOKEN}"
    assert "x-api-key" not in sent.headers
    assert completion.text == "echo: hi there"


def test_a_pi_api_key_entry_is_sent_as_x_api_key(host, home, simulator, against):
    write_pi_auth(home, {"anthropic": {"type": "api_key", "key": API_KEY}})

    complete(host, against(auth_type="pi_auth"))

    assert simulator.requests[0].headers["x-api-key"] == API_KEY


def test_a_pi_oauth_login_is_sent_as_a_bearer_token(host, home, simulator, against):
    entry = {"type": "oauth", "access": OAUTH_TOKEN, "refresh": "r-1", "expires": 4102444800000}
    write_pi_auth(home, {"anthropic": entry})

    complete(host, against(auth_type="pi_auth"))

    [sent] = simulator.requests
    assert sent.headers["authorization"] == f"Bearer {OAUTH_TOKEN}"
    assert sent.headers["anthropic-beta"] == "oauth-2025-04-20"
    assert "x-api-key" not in sent.headers


def test_a_refused_oauth_token_is_an_auth_error_suggesting_an_api_key(
    host, simulator, against, monkeypatch
):
    monkeypatch.setenv("CLAUDE_CODE_OAUTH_TOKEN", OAUTH_TOKEN)
    simulator.accept_keys("anthropic", "sk-ant-oat01-some-other-token")

    with pytest.raises(AuthError) as raised:
        complete(host, against(auth_type="oauth_token"))

    assert raised.value.status == 401
    assert "refused the Claude subscription (OAuth) token" in str(raised.value)
    assert "set ANTHROPIC_API_KEY" in str(raised.value)
    assert OAUTH_TOKEN not in str(raised.value)


# -- answers and streams ------------------------------------------------------------------------


@pytest.fixture
def keyed(home, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", API_KEY)


@pytest.mark.usefixtures("keyed")
def test_a_whole_answer_comes_back_as_a_completion(host, against):
    completion = complete(host, against())

    assert completion.text == "echo: hi there"
    assert (completion.finish_reason, completion.raw_finish_reason) == (
        FinishReason.STOP,
        "end_turn",
    )
    assert (completion.model, completion.provider, completion.model_id) == (
        "claude",
        "anthropic",
        "claude-sonnet-4-5",
    )
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (2, 3)


@pytest.mark.usefixtures("keyed")
def test_a_stream_yields_text_as_it_arrives_and_ends_with_one_finish(host, against):
    events = stream(host, against())

    assert [e for e in events if isinstance(e, TextDelta)] == [
        TextDelta("echo: "),
        TextDelta("hi "),
        TextDelta("there"),
    ]
    assert events[-1] == Finish(FinishReason.STOP, "end_turn", "claude-sonnet-4-5")
    assert sum(isinstance(e, Finish) for e in events) == 1


@pytest.mark.usefixtures("keyed")
def test_a_streamed_tool_call_is_assembled_from_its_json_fragments(host, simulator, against):
    arguments = {"city": "Oslo", "days": 3, "units": "metric", "detail": ["wind", "rain"]}
    simulator.script(
        "claude-sonnet-4-5", [Reply(text="", tool_calls=(ToolCall("get_weather", arguments),))]
    )
    completion = assemble(stream(host, against()))

    assert completion.finish_reason is FinishReason.TOOL_CALLS
    [call] = completion.tool_calls
    assert (call.name, call.arguments) == ("get_weather", arguments)
    assert call.id.startswith("toolu_sim")


@pytest.mark.usefixtures("keyed")
def test_thinking_is_asked_for_kept_with_its_signature_and_sent_back(host, simulator, against):
    config = against(thinking_level="low")
    first = assemble(stream(host, config))

    [thinking] = first.thinking
    assert thinking.text == "thinking about: hi there"
    assert thinking.signature
    follow_up = CompletionRequest(
        messages=(*HI.messages, first.to_message(), Message.user("and then?"))
    )
    complete(host, config, follow_up)

    sent = simulator.requests[-1].json()
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert sent["messages"][1]["content"][0] == {
        "type": "thinking",
        "thinking": "thinking about: hi there",
        "signature": thinking.signature,
    }


@pytest.mark.usefixtures("keyed")
def test_every_thinking_level_is_accepted_by_the_apis_budget_rules(host, against):
    for level in ("minimal", "low", "medium", "high", "xhigh"):
        completion = complete(host, against(model="claude-opus-4-1", thinking_level=level))
        assert completion.thinking == (
            ThinkingPart(
                text="thinking about: hi there",
                signature=completion.thinking[0].signature,
                provider="anthropic",
            ),
        )


@pytest.mark.usefixtures("keyed")
def test_a_refusal_is_a_content_filter_finish(host, simulator, against):
    simulator.script("claude-sonnet-4-5", [ContentFilter()])

    completion = complete(host, against())

    assert (completion.finish_reason, completion.raw_finish_reason) == (
        FinishReason.CONTENT_FILTER,
        "refusal",
    )


@pytest.mark.usefixtures("keyed")
def test_the_async_transport_gives_the_same_answer(host, simulator, against):
    async def run():
        harness = Harness.on(host, against())
        whole = await harness.acomplete(HI)
        events = [e async for e in harness.aevents(HI)]
        return whole, events

    whole, events = asyncio.run(run())

    assert whole.text == "echo: hi there"
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "echo: hi there"


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("keyed")
@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        (RateLimit(retry_after=2), RateLimitedError, 429),
        (Overloaded(), OverloadedError, 529),
        (ServerFault(500), ServerError, 500),
        (ServerFault(504), ProviderTimeoutError, 504),
        (QuotaExhausted(), QuotaExhaustedError, 400),
        (ContextTooLong(), ContextLengthError, 400),
        (Unauthorized(), AuthError, 401),
        (Forbidden(), PermissionDeniedError, 403),
    ],
)
@pytest.mark.parametrize("streamed", [False, True])
def test_each_error_answer_raises_its_kind(
    host, simulator, against, fault, error, status, streamed
):
    simulator.script("claude-sonnet-4-5", [fault])

    send = stream if streamed else complete

    with pytest.raises(error) as raised:
        send(host, against())

    assert (raised.value.status, raised.value.provider) == (status, "anthropic")
    assert type(raised.value) is error


@pytest.mark.usefixtures("keyed")
def test_a_rate_limit_carries_the_wait_it_asked_for(host, simulator, against):
    simulator.script("claude-sonnet-4-5", [RateLimit(retry_after=2)])

    with pytest.raises(RateLimitedError) as raised:
        complete(host, against())

    assert raised.value.retry_after == 2.0
    assert raised.value.code == "rate_limit_error"


@pytest.mark.usefixtures("keyed")
def test_an_error_event_after_content_has_started_raises_its_kind(host, simulator, against):
    simulator.script("claude-sonnet-4-5", [StreamError(after=4, error=Overloaded())])

    with pytest.raises(OverloadedError) as raised:
        stream(host, against())

    assert raised.value.status is None
    assert raised.value.code == "overloaded_error"


@pytest.mark.usefixtures("keyed")
def test_content_before_a_mid_stream_error_reaches_the_caller(host, simulator, against):
    simulator.script("claude-sonnet-4-5", [StreamError(after=4, error=RateLimit())])
    seen: list[Any] = []

    with pytest.raises(RateLimitedError):
        seen.extend(Harness.on(host, against()).events(HI))

    assert any(isinstance(e, TextDelta) for e in seen)


@pytest.mark.usefixtures("keyed")
def test_a_stream_cut_before_message_stop_is_a_connection_error(host, simulator, against):
    simulator.script("claude-sonnet-4-5", [Cut(after=3)])

    with pytest.raises(ConnectionFailedError, match="ended before the provider signalled"):
        stream(host, against())


@pytest.mark.usefixtures("keyed")
def test_malformed_json_is_a_server_error(host, simulator, against):
    simulator.script("claude-sonnet-4-5", [Malformed(after=2)])

    with pytest.raises(ServerError, match="could not be read"):
        stream(host, against())


@pytest.mark.usefixtures("keyed")
def test_a_forced_tool_with_thinking_is_a_request_the_api_accepts(host, simulator, against):
    options = CompletionOptions(
        thinking_level="high",
        tools=({"name": "lookup"},),
        tool_choice={"name": "lookup"},
    )
    simulator.script("claude-sonnet-4-5", [Reply(text="", tool_calls=(ToolCall("lookup"),))])

    completion = complete(host, against(), CompletionRequest(messages=HI.messages, options=options))

    sent = simulator.requests[-1].json()
    assert "thinking" not in sent
    assert sent["tool_choice"] == {"type": "tool", "name": "lookup"}
    assert completion.tool_calls[0].name == "lookup"
