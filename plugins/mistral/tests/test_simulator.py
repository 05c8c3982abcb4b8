"""Mistral over real HTTP against the simulator: the exact request (``max_tokens``,
``random_seed``, nine-character tool ids), usage that ends a stream unasked, and Mistral's own
errors."""

from __future__ import annotations

import json

import pytest
from hotswap_mistral import tool_call_id

from hotswap import (
    ContextLengthError,
    InvalidRequestError,
    OverloadedError,
    RateLimitedError,
    ServerError,
)
from hotswap.plugin import Message, ToolCall, UsageUpdate
from hotswap.testing import (
    ContextTooLong,
    Overloaded,
    RateLimit,
    RawResponse,
    Reply,
    assemble,
    request,
)
from hotswap.testing import ToolCall as ScriptedCall

from .conftest import KEY


def test_the_request_uses_mistrals_field_names_and_tool_ids(mistral, simulator):
    foreign = ToolCall(id="toolu_01ABCdef", name="lookup", arguments={"q": "x"})
    conversation = request(
        "look it up",
        Message.assistant(tool_calls=(foreign,)),
        Message.tool_result("toolu_01ABCdef", "found"),
        max_tokens=50,
        extra={"seed": 42},
    )

    mistral.stream(conversation)

    [sent] = simulator.requests
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    body = sent.json()
    short = tool_call_id("toolu_01ABCdef")
    assert len(short) == 9
    assert short.isalnum()
    assert body["messages"][1]["tool_calls"][0]["id"] == short
    assert body["messages"][2] == {"role": "tool", "tool_call_id": short, "content": "found"}
    assert (body["max_tokens"], body["random_seed"], body["stream"]) == (50, 42, True)
    assert {"seed", "stream_options", "max_completion_tokens"}.isdisjoint(body)


def test_mistrals_own_ids_are_kept():
    assert tool_call_id("a1B2c3D4e") == "a1B2c3D4e"


def test_usage_ends_a_stream_without_being_asked_for(mistral, simulator):
    arguments = {"city": "Paris", "days": 2}
    simulator.script("*", [Reply(text="", tool_calls=(ScriptedCall("forecast", arguments),))])

    events = mistral.stream(request("weather?", tools=({"name": "forecast"},)))

    assert isinstance(events[-2], UsageUpdate)
    assert events[-2].usage.input_tokens == 1
    assert assemble(events).tool_calls[0].arguments == arguments


@pytest.mark.parametrize(
    ("fault", "error", "code"),
    [
        (RateLimit(retry_after=2), RateLimitedError, "1300"),
        (Overloaded(), OverloadedError, "3505"),
        (ContextTooLong(), ContextLengthError, "3051"),
    ],
)
def test_mistrals_errors(mistral, simulator, fault, error, code):
    simulator.script("*", [fault])

    with pytest.raises(error) as raised:
        mistral.complete()

    assert raised.value.code == code


def test_a_capacity_429_is_overloaded_not_a_rate_limit(mistral, simulator):
    body = {
        "object": "error",
        "message": "Service tier capacity exceeded for this model.",
        "type": "service_tier_capacity_exceeded",
        "param": None,
        "code": "3505",
    }
    simulator.script("*", [RawResponse(429, json.dumps(body))])

    with pytest.raises(OverloadedError):
        mistral.complete()


def test_a_validation_error_is_an_invalid_request_naming_the_field(mistral, simulator):
    detail = {
        "detail": [
            {"loc": ["body", "top_p"], "msg": "Input should be <= 1", "type": "less_than_equal"}
        ]
    }
    simulator.script("*", [RawResponse(422, json.dumps(detail))])

    with pytest.raises(InvalidRequestError, match="Input should be <= 1"):
        mistral.complete()


def test_a_finish_reason_error_is_a_server_error(mistral, simulator):
    chunk = {
        "id": "x",
        "model": "mistral-large-latest",
        "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
    }
    stream = f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n"
    simulator.script("*", [RawResponse(200, stream, content_type="text/event-stream")])

    with pytest.raises(ServerError):
        mistral.stream()
