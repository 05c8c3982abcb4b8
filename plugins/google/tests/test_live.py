"""Against the real Gemini API: runs only when GEMINI_API_KEY is set (it costs a few tokens).
HOTSWAP_GEMINI_MODEL picks the model (default gemini-2.5-flash)."""

from __future__ import annotations

import os

import hotswap_google
import pytest

from hotswap import ModelConfig, PluginHost
from hotswap.plugin import (
    CompletionOptions,
    CompletionRequest,
    FinishReason,
    Message,
    ToolDefinition,
)
from hotswap.testing import Harness, assemble, lone_host

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not os.environ.get("GEMINI_API_KEY"), reason="GEMINI_API_KEY not set"),
]

MODEL = ModelConfig(
    name="gemini",
    provider="google",
    model=os.environ.get("HOTSWAP_GEMINI_MODEL", "gemini-2.5-flash"),
    thinking_level="low",
)
REQUEST = CompletionRequest(
    messages=(Message.user("Reply with the single word: pong"),),
    options=CompletionOptions(max_tokens=32),
)


@pytest.fixture
def host() -> PluginHost:
    return lone_host(hotswap_google.plugin)


def test_a_real_answer(host):
    completion = Harness.on(host, MODEL).complete(REQUEST)

    assert "pong" in completion.text.lower()
    assert completion.finish_reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert completion.usage.input_tokens > 0


def test_a_real_stream(host):
    completion = assemble(Harness.on(host, MODEL).events(REQUEST))

    assert "pong" in completion.text.lower()
    assert completion.usage.output_tokens > 0


def test_a_real_tool_round_trip(host):
    weather = ToolDefinition(
        name="get_weather",
        description="Current weather in a city",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}},
    )
    options = CompletionOptions(tools=(weather,), tool_choice="required", max_tokens=256)
    ask = CompletionRequest(messages=(Message.user("Weather in Oslo?"),), options=options)
    first = Harness.on(host, MODEL).complete(ask)
    [call] = first.tool_calls[:1]
    again = CompletionRequest(
        messages=(*ask.messages, first.to_message(), Message.tool_result(call.id, "18C")),
        options=CompletionOptions(tools=(weather,), max_tokens=256),
    )
    second = Harness.on(host, MODEL).complete(again)

    assert call.name == "get_weather"
    assert second.text
