"""Whole /api/chat answers and NDJSON streams, through the core's decoder and assembler."""

from __future__ import annotations

import json

import pytest
from hotswap_ollama.response import ChatStream, parse_chat

from hotswap.plugin import (
    Finish,
    FinishReason,
    StreamFailure,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from hotswap.testing import translate

from .conftest import assemble

DONE = {
    "model": "qwen3:8b",
    "created_at": "2025-01-01T00:00:00Z",
    "message": {"role": "assistant", "content": ""},
    "done": True,
    "done_reason": "stop",
    "prompt_eval_count": 26,
    "eval_count": 282,
}


def line(message: dict, **fields) -> dict:
    return {"model": "qwen3:8b", "message": {"role": "assistant", **message}, "done": False}


def ndjson(*objects: dict) -> bytes:
    return b"".join(json.dumps(o).encode() + b"\n" for o in objects)


def test_a_whole_answer_with_thinking_and_usage():
    body = {**DONE, "message": {"role": "assistant", "content": "It is 18C.", "thinking": "hm"}}

    completion = parse_chat(body)

    assert completion.text == "It is 18C."
    assert [(t.text, t.provider) for t in completion.thinking] == [("hm", "ollama")]
    assert (completion.finish_reason, completion.raw_finish_reason) == (FinishReason.STOP, "stop")
    assert completion.usage == Usage(input_tokens=26, output_tokens=282)
    assert completion.model_id == "qwen3:8b"


def test_a_whole_answer_with_tool_calls_finishes_for_tool_calls():
    calls = [
        {"function": {"name": "get_weather", "arguments": {"city": "Oslo"}}},
        {"id": "call_x", "function": {"name": "get_time", "arguments": {}}},
    ]
    body = {**DONE, "message": {"role": "assistant", "content": "", "tool_calls": calls}}

    completion = parse_chat(body)

    assert completion.finish_reason is FinishReason.TOOL_CALLS
    assert [(c.id, c.name, c.arguments) for c in completion.tool_calls] == [
        ("call_0", "get_weather", {"city": "Oslo"}),
        ("call_x", "get_time", {}),
    ]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("length", FinishReason.LENGTH), ("load", FinishReason.OTHER), (None, FinishReason.OTHER)],
)
def test_done_reasons(raw, reason):
    completion = parse_chat({**DONE, "done_reason": raw})

    assert (completion.finish_reason, completion.raw_finish_reason) == (reason, raw)


def test_an_error_sent_with_a_200_is_no_completion():
    assert parse_chat({"error": "model runner has unexpectedly stopped"}) is None


def test_a_stream_of_thinking_text_and_a_tool_call():
    body = ndjson(
        line({"content": "", "thinking": "Let me "}),
        line({"content": "", "thinking": "check."}),
        line({"content": "Checking "}),
        line({"content": "now."}),
        line(
            {
                "content": "",
                "tool_calls": [
                    {"function": {"name": "get_weather", "arguments": {"city": "Oslo"}}}
                ],
            }
        ),
        DONE,
    )
    stream = ChatStream()

    events = translate(stream, body)

    assert events == [
        ThinkingDelta("Let me "),
        ThinkingDelta("check."),
        TextDelta("Checking "),
        TextDelta("now."),
        ToolCallDelta(0, name="get_weather", arguments='{"city": "Oslo"}'),
        UsageUpdate(Usage(input_tokens=26, output_tokens=282)),
        Finish(FinishReason.TOOL_CALLS, "stop", "qwen3:8b"),
    ]
    assert stream.finished
    completion = assemble(events)
    assert completion.text == "Checking now."
    assert completion.thinking[0].text == "Let me check."
    assert completion.tool_calls[0].arguments == {"city": "Oslo"}


def test_tool_calls_on_separate_lines_are_numbered_in_order():
    body = ndjson(
        line({"content": "", "tool_calls": [{"function": {"name": "a", "arguments": {}}}]}),
        line({"content": "", "tool_calls": [{"function": {"name": "b", "arguments": {"x": 1}}}]}),
        DONE,
    )

    completion = assemble(translate(ChatStream(), body))

    assert [(c.name, c.arguments) for c in completion.tool_calls] == [("a", {}), ("b", {"x": 1})]


def test_a_stream_is_finished_only_by_its_done_line():
    stream = ChatStream()

    translate(stream, ndjson(line({"content": "partial"})))

    assert not stream.finished


def test_an_error_line_is_a_stream_failure():
    payload = {"error": "an error was encountered while running the model"}

    events = translate(ChatStream(), ndjson(line({"content": "Hi"}), payload))

    assert events == [TextDelta("Hi"), StreamFailure(payload)]


def test_usage_leaves_out_counts_ollama_did_not_send():
    done = {key: value for key, value in DONE.items() if key != "prompt_eval_count"}

    [usage, _] = ChatStream().read(done)

    assert usage.usage.model_fields_set == {"output_tokens"}
