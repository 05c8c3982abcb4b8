"""The /api/chat body: messages, tools, think, and the options table."""

from __future__ import annotations

import logging

import pytest
from hotswap_ollama.request import build_body, think_value

from hotswap.plugin import (
    CompletionOptions,
    CompletionRequest,
    ImagePart,
    Message,
    ThinkingLevel,
    ThinkingPart,
    ToolCall,
    ToolDefinition,
)

HI = (Message.user("hi there"),)
WEATHER = ToolDefinition(
    name="get_weather",
    description="Current weather",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}},
)


def body(messages=HI, *, stream=False, extra=None, model_id="llama3.2", **options):
    request = CompletionRequest(messages=messages, options=CompletionOptions(**options))
    return build_body(model_id, request, stream=stream, extra=extra or {})


def test_a_plain_request_names_the_model_and_says_whether_to_stream():
    assert body() == {
        "model": "llama3.2",
        "messages": [{"role": "user", "content": "hi there"}],
        "stream": False,
    }
    assert body(stream=True)["stream"] is True


def test_limits_and_sampling_go_into_options():
    sent = body(max_tokens=256, temperature=0.2, top_p=0.9, stop=("END",))

    assert sent["options"] == {
        "num_predict": 256,
        "temperature": 0.2,
        "top_p": 0.9,
        "stop": ["END"],
    }


def test_model_options_split_between_the_top_level_and_runtime_options():
    extra = {
        "num_ctx": 16384,
        "seed": 7,
        "keep_alive": "30m",
        "format": "json",
        "options": {"top_k": 20},
    }

    sent = body(extra=extra, max_tokens=64)

    assert sent["keep_alive"] == "30m"
    assert sent["format"] == "json"
    assert sent["options"] == {"num_predict": 64, "num_ctx": 16384, "seed": 7, "top_k": 20}


@pytest.mark.parametrize(
    ("level", "model_id", "think"),
    [
        (None, "qwen3", None),
        ("off", "qwen3", False),
        ("minimal", "qwen3", True),
        ("xhigh", "deepseek-r1:14b", True),
        ("off", "gpt-oss:20b", False),
        ("minimal", "gpt-oss:20b", "low"),
        ("low", "gpt-oss:20b", "low"),
        ("medium", "gpt-oss:120b", "medium"),
        ("high", "gpt-oss", "high"),
        ("xhigh", "gpt-oss:20b", "high"),
    ],
)
def test_thinking_levels_become_think(level, model_id, think):
    assert think_value(None if level is None else ThinkingLevel(level), model_id) == think
    sent = body(model_id=model_id, thinking_level=level)
    assert sent.get("think") == think


def test_tools_are_functions_with_their_json_schema():
    sent = body(tools=(WEATHER,))

    assert sent["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
        }
    ]


def test_tool_choice_none_sends_no_tools_and_a_forced_choice_is_left_to_the_model():
    assert "tools" not in body(tools=(WEATHER,), tool_choice="none")
    assert len(body(tools=(WEATHER,), tool_choice="required")["tools"]) == 1


def test_a_conversation_with_a_tool_round_trip():
    call = ToolCall(id="call_1", name="get_weather", arguments={"city": "Oslo"})
    messages = (
        Message.system("You are terse."),
        Message.user("Weather in Oslo?"),
        Message(
            role="assistant",
            content=(ThinkingPart(text="look it up", provider="ollama"),),
            tool_calls=(call,),
        ),
        Message.tool_result("call_1", "18C, clear"),
    )

    assert body(messages)["messages"] == [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Weather in Oslo?"},
        {
            "role": "assistant",
            "content": "",
            "thinking": "look it up",
            "tool_calls": [
                {"id": "call_1", "function": {"name": "get_weather", "arguments": {"city": "Oslo"}}}
            ],
        },
        {
            "role": "tool",
            "content": "18C, clear",
            "tool_name": "get_weather",
            "tool_call_id": "call_1",
        },
    ]


def test_another_provider_s_reasoning_is_not_sent_back():
    messages = (
        Message.user("hi"),
        Message(
            role="assistant",
            content=(ThinkingPart(text="hmm", signature="sig", provider="anthropic"),),
        ),
    )

    assert body(messages)["messages"][1] == {"role": "assistant", "content": ""}


def test_inline_images_go_in_images_and_image_urls_are_left_out_with_a_warning(caplog):
    messages = (
        Message.user(
            "what is this?",
            ImagePart(media_type="image/png", data="iVBORw0KGgo="),
            ImagePart(url="https://example.org/cat.png"),
        ),
    )

    with caplog.at_level(logging.WARNING, logger="hotswap_ollama"):
        sent = body(messages)

    assert sent["messages"] == [
        {"role": "user", "content": "what is this?", "images": ["iVBORw0KGgo="]}
    ]
    assert "Ollama takes only inline images" in caplog.text
