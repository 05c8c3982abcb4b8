"""OpenRouter over real HTTP against the simulator: ``vendor/model`` ids, attribution headers,
``reasoning.effort``, keep-alive comments and usage in streams, and errors, including those
that come back with status 200 in a body or inside a stream."""

from __future__ import annotations

import json

import pytest

from hotswap import (
    Config,
    ContentFilterError,
    NotFoundError,
    OverloadedError,
    QuotaExhaustedError,
    RateLimitedError,
    ServerError,
)
from hotswap.plugin import TextDelta, UsageUpdate
from hotswap.testing import (
    Overloaded,
    QuotaExhausted,
    RateLimit,
    RawResponse,
    Reply,
    ServerFault,
    StreamError,
    ToolCall,
    assemble,
    request,
)

from .conftest import KEY, MODEL


def test_an_inline_chain_entry_names_a_vendor_model():
    model = Config().resolve("openrouter/anthropic/claude-sonnet-4.5")

    assert (model.provider, model.model) == ("openrouter", MODEL)


def test_the_request_sends_the_vendor_model_and_attribution_headers(openrouter, simulator):
    attributed = openrouter.configured(
        options={"app_url": "https://app.example", "app_title": "Example App"}
    )

    attributed.stream(request("hi there", max_tokens=40, thinking_level="low"))

    [sent] = simulator.requests
    assert sent.path == "/api/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert (sent.headers["http-referer"], sent.headers["x-title"]) == (
        "https://app.example",
        "Example App",
    )
    assert sent.json() == {
        "model": MODEL,
        "messages": [{"role": "user", "content": "hi there"}],
        "max_tokens": 40,
        "reasoning": {"effort": "low"},
        "stream": True,
    }


def test_without_attribution_no_such_header_is_sent(openrouter, simulator):
    openrouter.complete()

    assert {"http-referer", "x-title"}.isdisjoint(simulator.requests[0].headers)


def test_a_stream_skips_keep_alives_and_ends_with_usage(openrouter, simulator):
    arguments = {"path": "/etc/hosts", "lines": [1, 20]}
    simulator.script(MODEL, [Reply(text="", tool_calls=(ToolCall("read_file", arguments),))])

    events = openrouter.stream(request("read it", tools=({"name": "read_file"},)))

    assert isinstance(events[-2], UsageUpdate)
    assert assemble(events).tool_calls[0].arguments == arguments


def test_an_error_inside_a_200_stream_raises_its_kind_after_the_text(openrouter, simulator):
    simulator.script(MODEL, [StreamError(after=4, error=RateLimit())])
    seen = []

    with pytest.raises(RateLimitedError) as raised:
        seen.extend(openrouter.events())

    assert raised.value.status is None
    assert any(isinstance(e, TextDelta) for e in seen)


def test_an_upstream_failure_inside_a_stream_names_the_upstream(openrouter, simulator):
    simulator.script(MODEL, [StreamError(after=2, error=ServerFault(502))])

    with pytest.raises(ServerError, match=r"Provider returned error \(Simulated: "):
        openrouter.stream()


def test_an_error_in_a_200_body_is_classified_by_its_code(openrouter, simulator):
    body = {"error": {"code": 503, "message": "No instances available", "metadata": {}}}
    simulator.script(MODEL, [RawResponse(200, json.dumps(body))])

    with pytest.raises(OverloadedError):
        openrouter.complete()


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        (QuotaExhausted(), QuotaExhaustedError, 402),
        (RateLimit(retry_after=5), RateLimitedError, 429),
        (Overloaded(), OverloadedError, 503),
    ],
)
def test_openrouters_error_answers(openrouter, simulator, fault, error, status):
    simulator.script(MODEL, [fault])

    with pytest.raises(error) as raised:
        openrouter.complete()

    assert (type(raised.value), raised.value.status) == (error, status)


def test_a_rate_limit_waits_for_retry_after(openrouter, simulator):
    simulator.script(MODEL, [RateLimit(retry_after=5)])

    with pytest.raises(RateLimitedError) as raised:
        openrouter.complete()

    assert raised.value.retry_after == 5.0


@pytest.mark.parametrize(
    ("status", "message", "error"),
    [
        (
            403,
            'anthropic/claude-sonnet-4.5 requires moderation. Input flagged for "violence"',
            ContentFilterError,
        ),
        (404, "No endpoints found for anthropic/claude-sonnet-9.", NotFoundError),
    ],
)
def test_moderation_and_missing_endpoints(openrouter, simulator, status, message, error):
    body = {"error": {"code": status, "message": message, "metadata": {"reasons": ["violence"]}}}
    simulator.script(MODEL, [RawResponse(status, json.dumps(body))])

    with pytest.raises(error):
        openrouter.complete()
