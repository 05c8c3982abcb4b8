"""Against the real API: runs only when ANTHROPIC_API_KEY is set (it costs a few tokens)."""

from __future__ import annotations

import os

import hotswap_anthropic
import pytest

from hotswap import ModelConfig, PluginHost
from hotswap.plugin import CompletionOptions, CompletionRequest, FinishReason, Message
from hotswap.testing import Harness, assemble, lone_host

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not os.environ.get("ANTHROPIC_API_KEY"), reason="ANTHROPIC_API_KEY not set"),
]

MODEL = ModelConfig(name="haiku", provider="anthropic", model="haiku")
REQUEST = CompletionRequest(
    messages=(Message.user("Reply with the single word: pong"),),
    options=CompletionOptions(max_tokens=16),
)


@pytest.fixture
def host() -> PluginHost:
    return lone_host(hotswap_anthropic.plugin)


def test_a_real_answer(host):
    completion = Harness.on(host, MODEL).complete(REQUEST)

    assert "pong" in completion.text.lower()
    assert completion.finish_reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert completion.usage.input_tokens > 0


def test_a_real_stream(host):
    completion = assemble(Harness.on(host, MODEL).events(REQUEST))

    assert "pong" in completion.text.lower()
    assert completion.usage.output_tokens > 0
