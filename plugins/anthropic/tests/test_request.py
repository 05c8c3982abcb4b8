"""The exact /v1/messages request built for each kind of conversation and option."""

from __future__ import annotations

from typing import Any

import pytest

from hotswap.plugin import (
    CompletionOptions,
    CompletionRequest,
    HttpRequest,
    ImagePart,
    Message,
    NamedToolChoice,
    TextPart,
    ThinkingPart,
    ToolCall,
    ToolDefinition,
)

from .conftest import model


def build(
    host, *messages: Message, stream: bool = False, config=None, **options: Any
) -> HttpRequest:
    request = CompletionRequest(messages=messages, options=CompletionOptions(**options))
    return host.build_request(config or model(), request, stream=stream)


def body(host, *messages: Message, **options: Any) -> dict[str, Any]:
    return build(host, *messages, **options).json


WEATHER = ToolDefinition(
    name="get_weather",
    description="Current weather for a city",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


def test_a_plain_question_is_posted_to_messages_with_the_api_version(host):
    built = build(host, Message.user("Weather in Oslo?"))

    assert built == HttpRequest(
        "POST",
        "/messages",
        headers={"anthropic-version": "2023-06-01"},
        json={
            "model": "claude-sonnet-4-5",
            "max_tokens": 8192,
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Weather in Oslo?"}]}
            ],
        },
    )


def test_a_stream_asks_for_one(host):
    built = build(host, Message.user("hi"), stream=True)

    assert built.stream is True
    assert built.json["stream"] is True


def test_system_messages_become_the_top_level_system_prompt(host):
    sent = body(
        host,
        Message.system("You are terse."),
        Message.system("Answer in French."),
        Message.user("hi"),
    )

    assert sent["system"] == "You are terse.\n\nAnswer in French."
    assert sent["messages"] == [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]


def test_a_tool_round_trip_groups_the_results_into_one_user_message(host):
    calls = (
        ToolCall(id="toolu_01A", name="get_weather", arguments={"city": "Oslo"}),
        ToolCall(id="toolu_01B", name="get_weather", arguments={"city": "Bergen"}),
    )
    sent = body(
        host,
        Message.user("Weather in Oslo and Bergen?"),
        Message.assistant("Checking.", tool_calls=calls),
        Message.tool_result("toolu_01A", "18C, clear"),
        Message.tool_result("toolu_01B", "unknown city", is_error=True),
        Message.user("Thanks"),
        tools=(WEATHER,),
        tool_choice="auto",
    )

    assert sent["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Weather in Oslo and Bergen?"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Checking."},
                {
                    "type": "tool_use",
                    "id": "toolu_01A",
                    "name": "get_weather",
                    "input": {"city": "Oslo"},
                },
                {
                    "type": "tool_use",
                    "id": "toolu_01B",
                    "name": "get_weather",
                    "input": {"city": "Bergen"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "18C, clear"},
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_01B",
                    "content": "unknown city",
                    "is_error": True,
                },
            ],
        },
        {"role": "user", "content": [{"type": "text", "text": "Thanks"}]},
    ]
    assert sent["tools"] == [
        {
            "name": "get_weather",
            "description": "Current weather for a city",
            "input_schema": WEATHER.parameters,
        }
    ]
    assert sent["tool_choice"] == {"type": "auto"}


def test_tool_ids_from_other_providers_are_normalised_the_same_on_call_and_result(host):
    odd_id = "call:9f/é" + "x" * 80
    sent = body(
        host,
        Message.user("go"),
        Message.assistant(tool_calls=(ToolCall(id=odd_id, name="run"),)),
        Message.tool_result(odd_id, "done"),
    )

    use = sent["messages"][1]["content"][0]
    result = sent["messages"][2]["content"][0]
    assert use["id"] == result["tool_use_id"] == ("call_9f__" + "x" * 80)[:64]


@pytest.mark.parametrize(
    ("choice", "sent"),
    [
        ("auto", {"type": "auto"}),
        ("none", {"type": "none"}),
        ("required", {"type": "any"}),
        (NamedToolChoice(name="get_weather"), {"type": "tool", "name": "get_weather"}),
    ],
)
def test_tool_choice_maps_to_anthropics_words(host, choice, sent):
    assert (
        body(host, Message.user("hi"), tools=(WEATHER,), tool_choice=choice)["tool_choice"] == sent
    )


def test_a_tool_without_a_description_sends_none(host):
    tool = ToolDefinition(name="ping")

    assert body(host, Message.user("hi"), tools=(tool,))["tools"] == [
        {"name": "ping", "input_schema": {"type": "object", "properties": {}}}
    ]


def test_images_are_sent_as_base64_or_url_sources(host):
    sent = body(
        host,
        Message.user(
            "What is this?",
            ImagePart(media_type="image/jpeg", data="aGVsbG8="),
            ImagePart(url="https://example.test/cat.png"),
        ),
    )

    assert sent["messages"][0]["content"] == [
        {"type": "text", "text": "What is this?"},
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/jpeg", "data": "aGVsbG8="},
        },
        {"type": "image", "source": {"type": "url", "url": "https://example.test/cat.png"}},
    ]


def test_a_tool_result_with_an_image_is_sent_as_blocks(host):
    result = Message(
        role="tool",
        tool_call_id="toolu_1",
        content=(TextPart(text="a chart"), ImagePart(data="aGk=")),
    )
    sent = body(
        host,
        Message.user("plot"),
        Message.assistant(tool_calls=(ToolCall(id="toolu_1", name="plot"),)),
        result,
    )

    assert sent["messages"][2]["content"] == [
        {
            "type": "tool_result",
            "tool_use_id": "toolu_1",
            "content": [
                {"type": "text", "text": "a chart"},
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "aGk="},
                },
            ],
        }
    ]


def test_anthropic_thinking_is_passed_back_verbatim_and_other_providers_thinking_dropped(host):
    turn = Message(
        role="assistant",
        content=(
            ThinkingPart(text="Oslo is in Norway.", signature="EuYBsig", provider="anthropic"),
            ThinkingPart(redacted="EmwKAhgBEgy", provider="anthropic"),
            ThinkingPart(text="from elsewhere", signature="other-sig", provider="openai"),
            ThinkingPart(text="unsigned, so useless"),
            TextPart(text="Let me look."),
        ),
        tool_calls=(ToolCall(id="toolu_01A", name="get_weather", arguments={"city": "Oslo"}),),
    )
    sent = body(host, Message.user("Weather?"), turn, Message.tool_result("toolu_01A", "18C"))

    assert sent["messages"][1]["content"] == [
        {"type": "thinking", "thinking": "Oslo is in Norway.", "signature": "EuYBsig"},
        {"type": "redacted_thinking", "data": "EmwKAhgBEgy"},
        {"type": "text", "text": "Let me look."},
        {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Oslo"}},
    ]


def test_only_the_sampling_options_the_caller_set_are_sent(host):
    sent = body(host, Message.user("hi"), temperature=0.3, stop=("END", "STOP"), max_tokens=100)

    assert sent == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
        "temperature": 0.3,
        "stop_sequences": ["END", "STOP"],
    }


def test_model_options_and_request_extras_are_merged_into_the_body_request_last(host):
    config = model(options={"top_k": 5, "metadata": {"user_id": "u1"}})
    request = CompletionRequest(
        messages=(Message.user("hi"),), options=CompletionOptions(extra={"top_k": 9})
    )

    sent = host.build_request(config, request, stream=False).json

    assert (sent["top_k"], sent["metadata"]) == (9, {"user_id": "u1"})


def test_a_short_alias_is_sent_as_its_model_id_and_a_dated_id_as_configured(host):
    assert body(host, Message.user("hi"), config=None)["model"] == "claude-sonnet-4-5"
    aliased = build(host, Message.user("hi"), config=model(model="sonnet")).json
    dated = build(host, Message.user("hi"), config=model(model="claude-haiku-4-5-20251001")).json
    unknown = build(host, Message.user("hi"), config=model(model="claude-future-9")).json

    assert aliased["model"] == "claude-sonnet-4-6"
    assert dated["model"] == "claude-haiku-4-5-20251001"
    assert unknown["model"] == "claude-future-9"


def test_an_empty_assistant_turn_is_left_out(host):
    sent = body(host, Message.user("a"), Message.assistant(""), Message.user("b"))

    assert [m["role"] for m in sent["messages"]] == ["user", "user"]


def test_a_conversation_sent_again_is_written_as_before(host):
    call = ToolCall(id="toolu_01A", name="get_weather", arguments={"city": "Oslo"})
    conversation = (
        Message.system("Be brief."),
        Message.user("Weather in Oslo?"),
        Message.assistant("", tool_calls=(call,)),
        Message.tool_result("toolu_01A", "18C"),
        Message.user("Thanks"),
    )

    first = body(host, *conversation)
    again = body(host, *conversation, Message.assistant("You are welcome."), Message.user("Bye"))

    assert again["system"] == first["system"] == "Be brief."
    assert again["messages"][:4] == first["messages"]
    assert again["messages"][3] == {"role": "user", "content": [{"type": "text", "text": "Thanks"}]}
    assert again["messages"][4:] == [
        {"role": "assistant", "content": [{"type": "text", "text": "You are welcome."}]},
        {"role": "user", "content": [{"type": "text", "text": "Bye"}]},
    ]
