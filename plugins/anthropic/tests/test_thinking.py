"""thinking_level as a thinking budget (or an adaptive effort), within the API's rules."""

from __future__ import annotations

from typing import Any

import pytest
from hotswap_anthropic.thinking import is_adaptive

from hotswap.plugin import CompletionOptions, CompletionRequest, Message, NamedToolChoice
from hotswap.testing import Harness

from .conftest import model


def body(host, model_id: str = "claude-sonnet-4-5", **options: Any) -> dict[str, Any]:
    request = CompletionRequest(
        messages=(Message.user("hi"),), options=CompletionOptions(**options)
    )
    return host.build_request(model(model=model_id), request, stream=False).json


@pytest.mark.parametrize(
    ("level", "budget"),
    [("minimal", 1024), ("low", 2048), ("medium", 8192), ("high", 16384), ("xhigh", 32768)],
)
def test_each_level_has_its_budget_on_top_of_the_answers_room(host, level, budget):
    sent = body(host, thinking_level=level)

    assert sent["thinking"] == {"type": "enabled", "budget_tokens": budget}
    assert sent["max_tokens"] == 8192 + budget


def test_off_sends_no_thinking_field(host):
    sent = body(host, thinking_level="off")

    assert "thinking" not in sent
    assert sent["max_tokens"] == 8192


def test_the_callers_max_tokens_is_the_room_for_the_answer(host):
    sent = body(host, thinking_level="medium", max_tokens=500)

    assert (sent["max_tokens"], sent["thinking"]["budget_tokens"]) == (8692, 8192)


def test_the_budget_gives_way_to_the_models_output_limit(host):
    # claude-opus-4-1 writes at most 32000 tokens: 8192 for the answer leaves 23808 to think.
    sent = body(host, "claude-opus-4-1", thinking_level="xhigh")

    assert (sent["max_tokens"], sent["thinking"]["budget_tokens"]) == (32000, 23808)


def test_the_budget_never_drops_below_the_minimum_and_stays_below_max_tokens(host):
    sent = body(host, "claude-opus-4-1", thinking_level="high", max_tokens=40000)

    assert (sent["max_tokens"], sent["thinking"]["budget_tokens"]) == (32000, 1024)


def test_an_unknown_models_sum_is_not_capped(host):
    sent = body(host, "claude-experimental", thinking_level="xhigh", max_tokens=100_000)

    assert (sent["max_tokens"], sent["thinking"]["budget_tokens"]) == (132768, 32768)


@pytest.mark.parametrize(
    ("level", "effort"),
    [("minimal", "low"), ("low", "low"), ("medium", "medium"), ("high", "high"), ("xhigh", "max")],
)
def test_claude_4_6_and_later_think_adaptively_at_an_effort(host, level, effort):
    sent = body(host, "claude-opus-4-7", thinking_level=level)

    assert sent["thinking"] == {"type": "adaptive", "display": "summarized"}
    assert sent["output_config"] == {"effort": effort}
    assert "budget_tokens" not in sent["thinking"]


@pytest.mark.parametrize(
    ("model_id", "adaptive"),
    [
        ("claude-opus-4-6", True),
        ("claude-sonnet-4-6", True),
        ("claude-opus-4-7", True),
        ("claude-opus-4-6-20260205", True),
        ("claude-sonnet-5", True),
        ("claude-sonnet-4-5", False),
        ("claude-haiku-4-5-20251001", False),
        ("claude-sonnet-4-20250514", False),
        ("claude-3-7-sonnet-20250219", False),
        ("my-proxy-model", False),
    ],
)
def test_adaptive_thinking_is_told_by_the_model_family_version(model_id, adaptive):
    assert is_adaptive(model_id) is adaptive


def test_thinking_leaves_out_temperature_and_top_k_and_raises_a_low_top_p(host):
    sent = body(host, thinking_level="low", temperature=0.2, top_p=0.5, extra={"top_k": 40})

    assert "temperature" not in sent
    assert "top_k" not in sent
    assert sent["top_p"] == 0.95


def test_a_top_p_the_api_allows_while_thinking_is_kept(host):
    assert body(host, thinking_level="low", top_p=0.97)["top_p"] == 0.97


def test_without_thinking_sampling_is_sent_as_given(host):
    sent = body(host, temperature=0.2, top_p=0.5, extra={"top_k": 40})

    assert (sent["temperature"], sent["top_p"], sent["top_k"]) == (0.2, 0.5, 40)


@pytest.mark.parametrize("choice", ["required", NamedToolChoice(name="lookup")])
def test_a_forced_tool_call_turns_thinking_off(host, choice):
    tool = {"name": "lookup"}
    sent = body(host, thinking_level="high", tools=(tool,), tool_choice=choice, temperature=0.1)

    assert "thinking" not in sent
    assert sent["max_tokens"] == 8192
    assert sent["temperature"] == 0.1


def test_an_unforced_tool_choice_keeps_thinking(host):
    sent = body(host, thinking_level="high", tools=({"name": "lookup"},), tool_choice="auto")

    assert sent["thinking"]["budget_tokens"] == 16384


def test_the_models_configured_level_applies_through_the_exchange(host, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-test-key-0001")
    configured = model(thinking_level="minimal")
    request = CompletionRequest(messages=(Message.user("hi"),))

    exchange = Harness.on(host, configured).exchange(request, stream=False)

    assert b'"thinking":{"type":"enabled","budget_tokens":1024}' in exchange.body
