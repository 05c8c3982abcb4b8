"""Whole answers and event streams, read into hotswap's completion and stream events."""

from __future__ import annotations

import json

import pytest
from hotswap_anthropic.response import MessageStream

from hotswap.plugin import (
    CompletionRequest,
    Finish,
    FinishReason,
    Frame,
    HttpResponse,
    Message,
    StreamFailure,
    TextDelta,
    ThinkingDelta,
    ThinkingPart,
    ToolCall,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from hotswap.testing import translate

from .conftest import assemble, model, sse

REQUEST = CompletionRequest(messages=(Message.user("Weather in Oslo?"),))


def parse(host, body: dict) -> object:
    return host.parse_response(model(), HttpResponse(200, {}, json.dumps(body).encode()))


# -- whole answers ------------------------------------------------------------------------------


def test_a_message_gives_its_text_tool_calls_thinking_and_usage(host):
    completion = parse(
        host,
        {
            "id": "msg_01X",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-5-20250929",
            "content": [
                {"type": "thinking", "thinking": "Oslo is in Norway.", "signature": "EuYBsig"},
                {"type": "redacted_thinking", "data": "EmwKAhgB"},
                {"type": "text", "text": "Let me "},
                {"type": "text", "text": "look."},
                {
                    "type": "tool_use",
                    "id": "toolu_01A",
                    "name": "get_weather",
                    "input": {"city": "Oslo"},
                },
                {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}},
            ],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {
                "input_tokens": 412,
                "output_tokens": 58,
                "cache_creation_input_tokens": 100,
                "cache_read_input_tokens": 2000,
            },
        },
    )

    assert completion.text == "Let me look."
    assert completion.tool_calls == (
        ToolCall(id="toolu_01A", name="get_weather", arguments={"city": "Oslo"}),
    )
    assert completion.thinking == (
        ThinkingPart(text="Oslo is in Norway.", signature="EuYBsig", provider="anthropic"),
        ThinkingPart(redacted="EmwKAhgB", provider="anthropic"),
    )
    assert (completion.finish_reason, completion.raw_finish_reason) == (
        FinishReason.TOOL_CALLS,
        "tool_use",
    )
    assert completion.usage == Usage(
        input_tokens=2512, output_tokens=58, cache_read_tokens=2000, cache_write_tokens=100
    )
    assert completion.model_id == "claude-sonnet-4-5-20250929"
    assert completion.raw["id"] == "msg_01X"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("end_turn", FinishReason.STOP),
        ("stop_sequence", FinishReason.STOP),
        ("max_tokens", FinishReason.LENGTH),
        ("tool_use", FinishReason.TOOL_CALLS),
        ("pause_turn", FinishReason.PAUSED),
        ("refusal", FinishReason.CONTENT_FILTER),
        ("model_context_window_exceeded", FinishReason.LENGTH),
        ("sensitive", FinishReason.OTHER),
    ],
)
def test_every_stop_reason_maps_to_a_finish_reason_and_keeps_its_own_word(host, raw, reason):
    completion = parse(host, {"model": "m", "content": [], "stop_reason": raw, "usage": {}})

    assert (completion.finish_reason, completion.raw_finish_reason) == (reason, raw)


def test_a_message_without_cache_counts_reports_only_what_it_has(host):
    completion = parse(
        host,
        {
            "content": [],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 5, "output_tokens": 2},
        },
    )

    assert completion.usage == Usage(input_tokens=5, output_tokens=2)


def test_an_error_body_sent_with_a_200_is_not_a_completion(host):
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

    assert parse(host, error) is None


# -- streams ------------------------------------------------------------------------------------

MESSAGE_START = {
    "type": "message_start",
    "message": {
        "id": "msg_01X",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": [],
        "stop_reason": None,
        "usage": {
            "input_tokens": 412,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 1000,
            "output_tokens": 1,
        },
    },
}


def block_start(index: int, block: dict) -> dict:
    return {"type": "content_block_start", "index": index, "content_block": block}


def delta(index: int, payload: dict) -> dict:
    return {"type": "content_block_delta", "index": index, "delta": payload}


def stop(index: int) -> dict:
    return {"type": "content_block_stop", "index": index}


def message_delta(reason: str | None, **usage: int) -> dict:
    return {
        "type": "message_delta",
        "delta": {"stop_reason": reason, "stop_sequence": None},
        "usage": usage,
    }


MESSAGE_STOP = {"type": "message_stop"}
PING = {"type": "ping"}


def test_every_event_type_of_a_stream_is_translated_in_order():
    body = sse(
        MESSAGE_START,
        block_start(0, {"type": "thinking", "thinking": "", "signature": ""}),
        PING,
        delta(0, {"type": "thinking_delta", "thinking": "Oslo is "}),
        delta(0, {"type": "thinking_delta", "thinking": "in Norway."}),
        delta(0, {"type": "signature_delta", "signature": "EuYBsig"}),
        stop(0),
        block_start(1, {"type": "redacted_thinking", "data": "EmwKAhgB"}),
        stop(1),
        block_start(2, {"type": "text", "text": ""}),
        delta(2, {"type": "text_delta", "text": "Let me"}),
        delta(2, {"type": "text_delta", "text": " look."}),
        delta(2, {"type": "citations_delta", "citation": {"cited_text": "x"}}),
        stop(2),
        block_start(3, {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {}}),
        delta(3, {"type": "input_json_delta", "partial_json": ""}),
        delta(3, {"type": "input_json_delta", "partial_json": '{"city": "Os'}),
        delta(3, {"type": "input_json_delta", "partial_json": 'lo"}'}),
        stop(3),
        message_delta("tool_use", output_tokens=58),
        MESSAGE_STOP,
    )
    translator = MessageStream()

    events = translate(translator, body)

    assert events == [
        UsageUpdate(Usage(input_tokens=1412, output_tokens=1, cache_read_tokens=1000)),
        ThinkingDelta("Oslo is ", block=0),
        ThinkingDelta("in Norway.", block=0),
        ThinkingDelta(signature="EuYBsig", block=0),
        ThinkingDelta(redacted="EmwKAhgB", block=1),
        TextDelta("Let me"),
        TextDelta(" look."),
        ToolCallDelta(3, id="toolu_01A", name="get_weather"),
        ToolCallDelta(3, arguments=""),
        ToolCallDelta(3, arguments='{"city": "Os'),
        ToolCallDelta(3, arguments='lo"}'),
        UsageUpdate(Usage(output_tokens=58)),
        Finish(FinishReason.TOOL_CALLS, "tool_use", "claude-sonnet-4-5-20250929"),
    ]
    assert translator.finished
    assert events[0].usage.model_fields_set == {
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
    }
    assert events[-2].usage.model_fields_set == {"output_tokens"}


def test_a_stream_assembles_into_the_same_completion_a_whole_answer_gives():
    body = sse(
        MESSAGE_START,
        block_start(0, {"type": "thinking", "thinking": "", "signature": ""}),
        delta(0, {"type": "thinking_delta", "thinking": "Hmm."}),
        delta(0, {"type": "signature_delta", "signature": "sig"}),
        stop(0),
        block_start(1, {"type": "text", "text": ""}),
        delta(1, {"type": "text_delta", "text": "Checking."}),
        stop(1),
        block_start(2, {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {}}),
        delta(2, {"type": "input_json_delta", "partial_json": '{"city": "Oslo"}'}),
        stop(2),
        message_delta("tool_use", output_tokens=58),
        MESSAGE_STOP,
    )

    completion = assemble(translate(MessageStream(), body))

    assert completion.text == "Checking."
    assert completion.thinking == (
        ThinkingPart(text="Hmm.", signature="sig", provider="anthropic"),
    )
    assert completion.tool_calls == (
        ToolCall(id="toolu_01A", name="get_weather", arguments={"city": "Oslo"}),
    )
    assert completion.usage == Usage(
        input_tokens=1412, output_tokens=58, cache_read_tokens=1000, cache_write_tokens=0
    )
    assert completion.model_id == "claude-sonnet-4-5-20250929"
    # What came back goes back: the assistant turn carries the signed thinking first.
    assert completion.to_message().content[0] == completion.thinking[0]


def test_tool_calls_are_assembled_across_many_deltas_and_kept_apart_by_block():
    arguments = json.dumps(
        {"query": "weather in Oslo, Bergen and Tromsø", "days": [1, 2, 3], "units": "metric"}
    )
    pieces = [arguments[i : i + 3] for i in range(0, len(arguments), 3)]
    other = '{"path": "/tmp/x"}'
    events = [
        MESSAGE_START,
        block_start(0, {"type": "tool_use", "id": "toolu_A", "name": "search", "input": {}}),
        block_start(1, {"type": "tool_use", "id": "toolu_B", "name": "read", "input": {}}),
    ]
    for i, piece in enumerate(pieces):  # interleaved, as a proxy might
        events.append(delta(0, {"type": "input_json_delta", "partial_json": piece}))
        if i < len(other):
            events.append(delta(1, {"type": "input_json_delta", "partial_json": other[i]}))
    events += [stop(0), stop(1), message_delta("tool_use", output_tokens=90), MESSAGE_STOP]

    completion = assemble(translate(MessageStream(), sse(*events), chunk=5))

    assert len(pieces) >= 30
    assert completion.tool_calls == (
        ToolCall(id="toolu_A", name="search", arguments=json.loads(arguments)),
        ToolCall(id="toolu_B", name="read", arguments={"path": "/tmp/x"}),
    )


def test_a_tool_call_with_no_arguments_is_an_empty_object():
    body = sse(
        MESSAGE_START,
        block_start(0, {"type": "tool_use", "id": "toolu_A", "name": "now", "input": {}}),
        stop(0),
        message_delta("tool_use", output_tokens=3),
        MESSAGE_STOP,
    )

    assert assemble(translate(MessageStream(), body)).tool_calls == (
        ToolCall(id="toolu_A", name="now", arguments={}),
    )


def test_later_usage_keeps_the_input_counts_a_proxy_left_out_and_takes_those_it_sent():
    translator = MessageStream()
    body = sse(
        MESSAGE_START,
        message_delta("end_turn", output_tokens=9, input_tokens=None, cache_read_input_tokens=1500),
        MESSAGE_STOP,
    )

    completion = assemble(translate(translator, body))

    assert completion.usage == Usage(
        input_tokens=1912, output_tokens=9, cache_read_tokens=1500, cache_write_tokens=0
    )


def test_an_error_event_after_content_has_started_is_reported_as_a_stream_failure():
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    body = sse(
        MESSAGE_START,
        block_start(0, {"type": "text", "text": ""}),
        delta(0, {"type": "text_delta", "text": "Half an"}),
        error,
    )
    translator = MessageStream()

    events = translate(translator, body)

    assert events[-2:] == [TextDelta("Half an"), StreamFailure(error)]
    assert not translator.finished


def test_a_stream_that_stops_without_a_stop_reason_still_finishes_once():
    translator = MessageStream()

    events = translate(translator, sse(MESSAGE_START, MESSAGE_STOP))

    assert events[-1] == Finish(FinishReason.OTHER, None, "claude-sonnet-4-5-20250929")
    assert translator.finished


def test_pings_stops_and_unknown_events_say_nothing():
    translator = MessageStream()

    for event in (PING, stop(0), {"type": "some_future_event", "x": 1}):
        assert list(translator.translate(Frame(event["type"], json.dumps(event)))) == []


def test_the_host_hands_out_a_fresh_translator_per_stream(host):
    first = host.stream_translator(model(), REQUEST)
    second = host.stream_translator(model(), REQUEST)

    assert first is not second
    assert first.framing == "sse"
    assert not first.finished
