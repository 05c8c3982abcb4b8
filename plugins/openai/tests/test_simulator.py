"""End to end through the core's Exchange and Transport, over real HTTP, against the provider
simulator: the exact request, answers, streams, tool calls over many deltas, usage, and every
error kind."""

from __future__ import annotations

import json

import pytest

from hotswap import (
    AuthError,
    ConnectionFailedError,
    ContextLengthError,
    OverloadedError,
    PermissionDeniedError,
    QuotaExhaustedError,
    RateLimitedError,
    ServerError,
)
from hotswap.plugin import (
    Finish,
    FinishReason,
    ImagePart,
    Message,
    TextDelta,
    ToolCall,
    UsageUpdate,
)
from hotswap.testing import (
    ContentFilter,
    ContextTooLong,
    Cut,
    Forbidden,
    Malformed,
    Overloaded,
    QuotaExhausted,
    RateLimit,
    RawResponse,
    Reply,
    ServerFault,
    StreamError,
    Unauthorized,
    assemble,
    request,
)
from hotswap.testing import ToolCall as ScriptedCall

from .conftest import KEY

WEATHER = {"name": "get_weather", "parameters": {"type": "object", "properties": {}}}


def test_the_request_is_a_bearer_token_and_a_chat_completions_body(openai, simulator):
    openai.complete(request(Message.system("Be terse."), "hi there", max_tokens=64, stop=("x",)))

    [sent] = simulator.requests
    assert (sent.method, sent.path) == ("POST", "/v1/chat/completions")
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json() == {
        "model": "gpt-4.1",
        "messages": [
            {"role": "system", "content": "Be terse."},
            {"role": "user", "content": "hi there"},
        ],
        "max_completion_tokens": 64,
        "stop": ["x"],
    }


def test_a_stream_asks_for_usage(openai, simulator):
    openai.stream()

    body = simulator.requests[0].json()
    assert (body["stream"], body["stream_options"]) == (True, {"include_usage": True})


def test_a_reasoning_model_gets_its_effort_and_no_temperature(openai, simulator):
    openai.configured(model="o4-mini").complete(
        request("hi there", thinking_level="xhigh", temperature=0.3)
    )

    body = simulator.requests[0].json()
    assert body["reasoning_effort"] == "high"
    assert "temperature" not in body


def test_a_whole_answer_comes_back_as_a_completion(openai):
    completion = openai.complete()

    assert completion.text == "echo: hi there"
    assert (completion.finish_reason, completion.raw_finish_reason) == (FinishReason.STOP, "stop")
    assert (completion.provider, completion.model_id) == ("openai", "gpt-4.1")
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (2, 3)


def test_a_stream_yields_text_then_usage_then_one_finish(openai):
    events = openai.stream()

    assert [e for e in events if isinstance(e, TextDelta)] == [
        TextDelta("echo: "),
        TextDelta("hi "),
        TextDelta("there"),
    ]
    assert isinstance(events[-2], UsageUpdate)
    assert (events[-2].usage.input_tokens, events[-2].usage.output_tokens) == (2, 3)
    assert events[-1] == Finish(FinishReason.STOP, "stop", "gpt-4.1")
    assert sum(isinstance(e, Finish) for e in events) == 1


def test_parallel_tool_calls_are_assembled_from_many_argument_deltas(openai, simulator):
    weather = {"city": "Oslo", "days": 3, "units": "metric", "detail": ["wind", "rain"]}
    time = {"zone": "Europe/Oslo"}
    calls = (ScriptedCall("get_weather", weather), ScriptedCall("get_time", time))
    simulator.script("gpt-4.1", [Reply(text="", tool_calls=calls)])

    events = openai.stream(request("weather?", tools=(WEATHER, {"name": "get_time"})))

    assert sum(1 for e in events if type(e).__name__ == "ToolCallDelta") > 6
    completion = assemble(events)
    assert completion.finish_reason is FinishReason.TOOL_CALLS
    assert [(c.id, c.name, c.arguments) for c in completion.tool_calls] == [
        ("call_sim1_0", "get_weather", weather),
        ("call_sim1_1", "get_time", time),
    ]


def test_tool_definitions_and_results_go_back_in_openais_shape(openai, simulator):
    call = ToolCall(id="call_9", name="get_weather", arguments={"city": "Oslo"})
    conversation = request(
        "Weather in Oslo?",
        Message.assistant(tool_calls=(call,)),
        Message.tool_result("call_9", "18C, clear"),
        tools=(WEATHER,),
        tool_choice="required",
    )

    openai.complete(conversation)

    body = simulator.requests[0].json()
    assert body["messages"][1:] == [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_9",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Oslo"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_9", "content": "18C, clear"},
    ]
    assert body["tools"] == [{"type": "function", "function": WEATHER}]
    assert body["tool_choice"] == "required"


def test_images_are_sent_as_image_url_parts(openai, simulator):
    image = ImagePart(media_type="image/png", data="iVBORw0KGgo=")

    completion = openai.complete(request(Message.user("What is this?", image)))

    assert simulator.requests[0].json()["messages"][0]["content"] == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
    ]
    assert completion.text == "echo: What is this?"


def test_a_content_filter_is_a_content_filter_finish(openai, simulator):
    simulator.script("gpt-4.1", [ContentFilter()])

    assert openai.complete().finish_reason is FinishReason.CONTENT_FILTER


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        (RateLimit(retry_after=2), RateLimitedError, 429),
        (QuotaExhausted(), QuotaExhaustedError, 429),
        (Overloaded(), OverloadedError, 503),
        (ServerFault(500), ServerError, 500),
        (ServerFault(502, html=True), ServerError, 502),
        (ContextTooLong(), ContextLengthError, 400),
        (Unauthorized(), AuthError, 401),
        (Forbidden(), PermissionDeniedError, 403),
    ],
)
@pytest.mark.parametrize("streamed", [False, True])
def test_each_error_answer_raises_its_kind(openai, simulator, fault, error, status, streamed):
    simulator.script("gpt-4.1", [fault])

    with pytest.raises(error) as raised:
        openai.stream() if streamed else openai.complete()

    assert (type(raised.value), raised.value.status, raised.value.provider) == (
        error,
        status,
        "openai",
    )


def test_a_rate_limit_carries_its_wait_and_code(openai, simulator):
    simulator.script("gpt-4.1", [RateLimit(retry_after=1.5)])

    with pytest.raises(RateLimitedError) as raised:
        openai.complete()

    assert (raised.value.retry_after, raised.value.code) == (1.5, "rate_limit_exceeded")


def test_an_error_after_the_stream_began_raises_its_kind_after_the_text(openai, simulator):
    simulator.script("gpt-4.1", [StreamError(after=3, error=ServerFault())])
    seen = []

    with pytest.raises(ServerError) as raised:
        seen.extend(openai.events())

    assert raised.value.status is None
    assert any(isinstance(e, TextDelta) for e in seen)


def test_a_stream_cut_before_its_finish_is_a_connection_error(openai, simulator):
    simulator.script("gpt-4.1", [Cut(after=3)])

    with pytest.raises(ConnectionFailedError, match="ended before the provider signalled"):
        openai.stream()


def test_malformed_json_in_a_stream_is_a_server_error(openai, simulator):
    simulator.script("gpt-4.1", [Malformed(after=2)])

    with pytest.raises(ServerError, match="could not be read"):
        openai.stream()


def test_a_stream_that_ends_after_its_finish_reason_without_done_still_finishes(openai, simulator):
    chunks = [
        {"model": "gpt-4o", "choices": [{"index": 0, "delta": {"content": "all here"}}]},
        {"model": "gpt-4o", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ]
    body = "".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chunks)
    simulator.script("gpt-4.1", [RawResponse(200, body, content_type="text/event-stream")])

    events = openai.stream()

    assert [type(e).__name__ for e in events] == ["TextDelta", "Finish"]
    assert assemble(events).finish_reason is FinishReason.STOP
