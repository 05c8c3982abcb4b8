"""Against a real Ollama: runs only when one answers at OLLAMA_HOST (or localhost:11434) and
has a model pulled; HOTSWAP_OLLAMA_MODEL picks which (else the first it lists)."""

from __future__ import annotations

import os

import hotswap_ollama
import pytest

from hotswap import ModelConfig, PluginHost, list_models
from hotswap.plugin import CompletionOptions, CompletionRequest, FinishReason, Message
from hotswap.testing import Harness, assemble, lone_host

pytestmark = pytest.mark.live

REQUEST = CompletionRequest(
    messages=(Message.user("Reply with the single word: pong"),),
    options=CompletionOptions(max_tokens=64),
)


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return lone_host(hotswap_ollama.plugin)


@pytest.fixture(scope="module")
def local(host) -> ModelConfig:
    pulled = list_models("ollama", host=host, timeout_s=1.0)
    if not pulled:
        pytest.skip("no Ollama server with a pulled model is reachable")
    chosen = os.environ.get("HOTSWAP_OLLAMA_MODEL") or pulled[0].id
    return ModelConfig(name="local", provider="ollama", model=chosen, timeout_s=300.0)


def test_a_real_answer(host, local):
    completion = Harness.on(host, local).complete(REQUEST)

    assert completion.text or completion.thinking
    assert completion.finish_reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert completion.usage.output_tokens > 0


def test_a_real_stream(host, local):
    completion = assemble(Harness.on(host, local).events(REQUEST))

    assert completion.usage.output_tokens > 0
