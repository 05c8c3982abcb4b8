"""xAI over real HTTP against the simulator: the exact request, what reasoning models are never
sent, a streamed tool call with usage, and xAI's own error shapes (a bad key is a 400)."""

from __future__ import annotations

import pytest

from hotswap import AuthError, ContextLengthError, QuotaExhaustedError, RateLimitedError
from hotswap.plugin import UsageUpdate
from hotswap.testing import (
    ContextTooLong,
    QuotaExhausted,
    RateLimit,
    Reply,
    ToolCall,
    assemble,
    request,
)

from .conftest import KEY


def test_the_request_carries_the_key_and_never_store(xai, simulator):
    xai.complete(request("hi there", max_tokens=20, stop=("\n",), extra={"store": True}))

    [sent] = simulator.requests
    assert (sent.path, sent.headers["authorization"]) == ("/v1/chat/completions", f"Bearer {KEY}")
    assert sent.json() == {
        "model": "grok-3",
        "messages": [{"role": "user", "content": "hi there"}],
        "max_completion_tokens": 20,
        "stop": ["\n"],
    }


def test_grok_3_mini_takes_an_effort_and_reasoning_models_no_stop(xai, simulator):
    xai.configured(model="grok-3-mini").complete(
        request("hi", thinking_level="medium", stop=("x",))
    )
    xai.configured(model="grok-4").complete(request("hi", thinking_level="medium", stop=("x",)))

    mini, grok4 = (r.json() for r in simulator.requests)
    assert (mini["reasoning_effort"], "stop" in mini) == ("high", False)
    assert {"reasoning_effort", "stop"}.isdisjoint(grok4)


def test_a_streamed_tool_call_comes_with_usage(xai, simulator):
    arguments = {"ticker": "XAI", "range": {"from": "2026-01-01", "to": "2026-06-30"}}
    simulator.script("grok-3", [Reply(text="", tool_calls=(ToolCall("quote", arguments),))])

    events = xai.stream(request("price?", tools=({"name": "quote"},)))

    assert assemble(events).tool_calls[0].arguments == arguments
    assert any(isinstance(e, UsageUpdate) and e.usage.input_tokens for e in events)
    assert simulator.requests[0].json()["stream_options"] == {"include_usage": True}


def test_a_refused_key_is_a_400_that_means_auth(xai, simulator):
    simulator.accept_keys("openai", "xai-another-key")

    with pytest.raises(AuthError) as raised:
        xai.complete()

    assert raised.value.status == 400
    assert KEY not in str(raised.value)


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        (QuotaExhausted(), QuotaExhaustedError, 429),
        (RateLimit(retry_after=4), RateLimitedError, 429),
        (ContextTooLong(), ContextLengthError, 400),
    ],
)
def test_xais_errors_are_read_from_its_own_shape(xai, simulator, fault, error, status):
    simulator.script("grok-3", [fault])

    with pytest.raises(error) as raised:
        xai.complete()

    assert (type(raised.value), raised.value.status) == (error, status)
