"""The request body, as pure functions: options, reasoning efforts per model family, and the
quirks a compatible provider declares."""

from __future__ import annotations

import hotswap_openai
import pytest
from hotswap_openai.compat import OpenAICompatible, Quirks, Reasoning, efforts_within

from hotswap import ModelConfig
from hotswap.plugin import ConfigError, Message, ProviderInfo, ThinkingLevel, ToolCall
from hotswap.testing import request

L = ThinkingLevel


def body_for(model_id: str, **options) -> dict:
    model = ModelConfig(name="m", provider="openai", model=model_id)
    return hotswap_openai.plugin.build_request(model, request("hi", **options), False).json


@pytest.mark.parametrize(
    ("accepted", "expected"),
    [
        (("low", "medium", "high"), [None, "low", "low", "medium", "high", "high"]),
        (
            ("minimal", "low", "medium", "high"),
            ["minimal", "minimal", "low", "medium", "high", "high"],
        ),
        (("none", "low", "medium", "high"), ["none", "low", "low", "medium", "high", "high"]),
        (("low", "high"), [None, "low", "low", "high", "high", "high"]),
        (
            ("none", "minimal", "low", "medium", "high", "xhigh"),
            ["none", "minimal", "low", "medium", "high", "xhigh"],
        ),
    ],
)
def test_each_level_is_the_nearest_effort_the_model_accepts(accepted, expected):
    table = efforts_within(*accepted)

    assert [table[level] for level in ThinkingLevel] == expected


def test_an_effort_outside_the_ladder_is_refused():
    with pytest.raises(ValueError, match="efforts must be among"):
        efforts_within("max")


@pytest.mark.parametrize(
    ("model_id", "level", "effort"),
    [
        ("o3", L.MINIMAL, "low"),
        ("o4-mini-2025-04-16", L.HIGH, "high"),
        ("gpt-5", L.OFF, "minimal"),
        ("gpt-5-mini", L.MINIMAL, "minimal"),
        ("gpt-5.1", L.OFF, "none"),
        ("gpt-5.1", L.XHIGH, "high"),
        ("gpt-5.2", L.XHIGH, "xhigh"),
        ("gpt-5.4-mini", L.MEDIUM, "medium"),
    ],
)
def test_openai_reasoning_models_get_reasoning_effort(model_id, level, effort):
    assert body_for(model_id, thinking_level=level)["reasoning_effort"] == effort


@pytest.mark.parametrize("model_id", ["gpt-4.1", "gpt-4o", "gpt-5-chat-latest", "o3"])
def test_a_level_a_model_cannot_take_is_dropped(model_id):
    level = L.OFF if model_id == "o3" else L.HIGH  # o3 cannot stop thinking

    assert "reasoning_effort" not in body_for(model_id, thinking_level=level)


def test_reasoning_models_are_never_sent_sampling_fields():
    body = body_for("o3", temperature=0.2, top_p=0.9, extra={"presence_penalty": 1, "seed": 3})

    assert {"temperature", "top_p", "presence_penalty"}.isdisjoint(body)
    assert body["seed"] == 3


def test_other_models_keep_them_and_max_tokens_is_renamed():
    body = body_for("gpt-4.1", temperature=0.2, top_p=0.9, extra={"max_tokens": 10})

    assert (body["temperature"], body["top_p"], body["max_completion_tokens"]) == (0.2, 0.9, 10)
    assert "max_tokens" not in body


def test_a_named_tool_choice_is_a_function_object():
    body = body_for("gpt-4.1", tools=({"name": "f"},), tool_choice={"name": "f"})

    assert body["tool_choice"] == {"type": "function", "function": {"name": "f"}}
    assert body["tools"] == [
        {
            "type": "function",
            "function": {"name": "f", "parameters": {"type": "object", "properties": {}}},
        }
    ]


def test_reasoning_from_an_earlier_turn_is_not_sent_back():
    turn = Message(
        role="assistant",
        content=({"type": "thinking", "text": "hmm"}, {"type": "text", "text": "ok"}),
    )

    body = body_for_messages(turn)

    assert body["messages"][1] == {"role": "assistant", "content": "ok"}


def body_for_messages(*turns: Message) -> dict:
    model = ModelConfig(name="m", provider="openai", model="gpt-4.1")
    sent = request("hi", *turns, "go on")
    return hotswap_openai.plugin.build_request(model, sent, False).json


# -- the quirks a compatible provider declares ---------------------------------------------------


class Quirky(OpenAICompatible):
    info = ProviderInfo(name="quirky", base_url="https://quirky.test/v1", auth={"none": {}})
    quirks = Quirks(
        stream_usage=False,
        reasoning=(Reasoning(r"think-.*", efforts_within("low", "high")),),
        reasoning_field="reasoning.effort",
        reasoning_rejects=frozenset({"stop"}),
        rejected=frozenset({"logprobs"}),
        renamed={"seed": "random_seed"},
        option_headers={"app_url": "HTTP-Referer"},
        tool_call_id=lambda call_id: call_id.upper(),
    )
    needs_base_url = True


def quirky(model_id="think-1", base_url="http://127.0.0.1:9/v1", **options):
    model = ModelConfig(
        name="q",
        provider="quirky",
        model=model_id,
        base_url=base_url,
        options={"app_url": "https://app.test", "seed": 7, "logprobs": True},
    )
    conversation = request(
        "hi",
        Message.assistant(tool_calls=(ToolCall(id="call_1", name="f"),)),
        Message.tool_result("call_1", "done"),
        **options,
    )
    return Quirky().build_request(model, conversation, True)


def test_declared_quirks_shape_the_request():
    sent = quirky(thinking_level="medium", stop=("x",))

    assert sent.headers == {"HTTP-Referer": "https://app.test"}
    body = sent.json
    assert body["reasoning"] == {"effort": "high"}
    assert body["random_seed"] == 7
    assert {"seed", "logprobs", "stop", "stream_options", "app_url"}.isdisjoint(body)
    assert body["messages"][1]["tool_calls"][0]["id"] == "CALL_1"
    assert body["messages"][2]["tool_call_id"] == "CALL_1"


def test_reasoning_rejects_apply_to_reasoning_models_only():
    assert quirky(model_id="plain-1", stop=("x",)).json["stop"] == ["x"]


def test_a_provider_with_no_endpoint_of_its_own_needs_a_base_url():
    with pytest.raises(ConfigError, match=r"models\.q\.base_url") as raised:
        quirky(base_url=None)

    assert "OpenAI-compatible root" in str(raised.value)


def test_a_model_ids_reasoning_family_is_the_first_that_matches_asked_again_or_not():
    first, second = Reasoning(r"o\d.*"), Reasoning(r"o1-mini.*|gpt-5.*")
    quirks = Quirks(reasoning=(first, second))

    for _ in range(2):  # the answers are kept: asking again gives the same
        assert quirks.reasoning_for("o1-mini") is first
        assert quirks.reasoning_for("gpt-5") is second
        assert quirks.reasoning_for("gpt-4.1") is None
