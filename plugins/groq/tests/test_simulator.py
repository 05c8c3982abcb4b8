"""Groq over real HTTP against the simulator: the exact request, usage from ``x_groq``, a
streamed tool call, reasoning efforts, and Groq's own errors."""

from __future__ import annotations

import json

import pytest

from hotswap import (
    ContextLengthError,
    InvalidRequestError,
    OverloadedError,
    RateLimitedError,
    ServerError,
)
from hotswap.plugin import FinishReason, UsageUpdate
from hotswap.testing import RateLimit, RawResponse, Reply, ToolCall, assemble, request

from .conftest import KEY


def test_the_request_goes_to_groqs_path_with_its_key_and_fields(groq, simulator):
    groq.stream(request("hi there", max_tokens=32, extra={"logprobs": True, "seed": 1}))

    [sent] = simulator.requests
    assert sent.path == "/openai/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.json() == {
        "model": "llama-3.3-70b-versatile",
        "messages": [{"role": "user", "content": "hi there"}],
        "max_completion_tokens": 32,
        "stream": True,
        "seed": 1,
    }


def test_usage_in_a_stream_comes_from_x_groq(groq):
    events = groq.stream()

    [update] = [e for e in events if isinstance(e, UsageUpdate)]
    assert (update.usage.input_tokens, update.usage.output_tokens) == (2, 3)
    assert assemble(events).finish_reason is FinishReason.STOP


def test_a_streamed_tool_call_is_assembled_from_its_fragments(groq, simulator):
    arguments = {"query": "groq lpu", "limit": 5, "fields": ["title", "url"]}
    simulator.script("*", [Reply(text="", tool_calls=(ToolCall("search", arguments),))])

    completion = assemble(groq.stream(request("find it", tools=({"name": "search"},))))

    assert [(c.name, c.arguments) for c in completion.tool_calls] == [("search", arguments)]


@pytest.mark.parametrize(
    ("model", "level", "effort"),
    [
        ("openai/gpt-oss-120b", "minimal", "low"),
        ("qwen/qwen3-32b", "high", "default"),
        ("qwen/qwen3-32b", "off", "none"),
    ],
)
def test_reasoning_models_get_their_own_efforts(groq, simulator, model, level, effort):
    completion = groq.configured(model=model).complete(request("hi there", thinking_level=level))

    assert simulator.requests[0].json()["reasoning_effort"] == effort
    if effort != "none":
        assert completion.thinking[0].text == "thinking about: hi there"


def groq_error(status, message, code, type_="invalid_request_error", **headers):
    body = {"error": {"message": message, "type": type_, "code": code}}
    return RawResponse(status, json.dumps(body), headers=headers)


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (groq_error(498, "Flex tier capacity exceeded", "capacity_exceeded"), OverloadedError),
        (groq_error(400, "Failed to call a function", "tool_use_failed"), ServerError),
        (
            groq_error(400, "Please reduce the length of the messages or completion.", None),
            ContextLengthError,
        ),
        (
            groq_error(
                413,
                "Request too large: on tokens per minute (TPM): Limit 6000, Requested 9000",
                "rate_limit_exceeded",
                "tokens",
            ),
            ContextLengthError,
        ),
        (groq_error(422, "messages.0: name is not supported", None), InvalidRequestError),
    ],
)
def test_groqs_own_errors(groq, simulator, fault, error):
    simulator.script("*", [fault])

    with pytest.raises(error):
        groq.complete()


def test_a_rate_limit_waits_as_groq_says(groq, simulator):
    headers = {"x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "7.66s"}
    simulator.script(
        "*",
        [
            groq_error(
                429,
                "Rate limit reached. Please try again in 7.66s.",
                "rate_limit_exceeded",
                "tokens",
                **headers,
            )
        ],
    )

    with pytest.raises(RateLimitedError) as raised:
        groq.complete()

    assert raised.value.retry_after == pytest.approx(7.66)


def test_the_simulators_rate_limit_is_rate_limited_with_its_wait(groq, simulator):
    simulator.script("*", [RateLimit(retry_after=3)])

    with pytest.raises(RateLimitedError) as raised:
        groq.stream()

    assert raised.value.retry_after == 3.0
