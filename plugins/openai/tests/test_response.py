"""Answers and streams as pure functions: bytes in, hotswap's events and completions out."""

from __future__ import annotations

import json

import pytest
from hotswap_openai.compat import Quirks
from hotswap_openai.response import ChatStream, parse_completion

from hotswap.plugin import (
    Finish,
    FinishReason,
    Frame,
    StreamFailure,
    TextDelta,
    ThinkingDelta,
    Usage,
    UsageUpdate,
)
from hotswap.testing import assemble, translate

QUIRKS = Quirks()


def sse(*chunks) -> bytes:
    return b"".join(
        b"data: " + (c if isinstance(c, bytes) else json.dumps(c).encode()) + b"\n\n"
        for c in chunks
    )


def chunk(delta=None, finish=None, **extra):
    choice = {"index": 0, "delta": delta or {}, "finish_reason": finish}
    return {"id": "c1", "model": "m-1", "choices": [choice], **extra}


def call(index, id=None, name=None, arguments=""):
    function = {"arguments": arguments, **({"name": name} if name else {})}
    return {"index": index, **({"id": id, "type": "function"} if id else {}), "function": function}


def test_interleaved_tool_call_fragments_are_joined_by_index():
    body = sse(
        chunk({"tool_calls": [call(0, "call_a", "f", "")]}),
        chunk({"tool_calls": [call(1, "call_b", "g", '{"z"')]}),
        chunk({"tool_calls": [call(0, arguments='{"a":')]}),
        chunk({"tool_calls": [call(1, arguments=":2}")]}),
        chunk({"tool_calls": [call(0, arguments="1}")]}),
        chunk(finish="tool_calls"),
        b"[DONE]",
    )

    completion = assemble(translate(ChatStream(QUIRKS), body))

    assert [(c.id, c.name, c.arguments) for c in completion.tool_calls] == [
        ("call_a", "f", {"a": 1}),
        ("call_b", "g", {"z": 2}),
    ]
    assert completion.finish_reason is FinishReason.TOOL_CALLS


def test_whole_tool_calls_without_an_index_each_get_their_own():
    calls = [
        {"id": "a1", "function": {"name": "f", "arguments": {"x": 1}}},
        {"id": "b2", "function": {"name": "g", "arguments": "{}"}},
    ]
    body = sse(chunk({"tool_calls": calls}, "tool_calls"), b"[DONE]")

    completion = assemble(translate(ChatStream(QUIRKS), body))

    assert [(c.id, c.arguments) for c in completion.tool_calls] == [("a1", {"x": 1}), ("b2", {})]


def test_finish_waits_for_the_usage_chunk_that_follows_it():
    usage = {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13}
    stream = ChatStream(QUIRKS)

    events = translate(
        stream,
        sse(
            chunk({"content": "hi"}),
            chunk(finish="stop"),
            {"choices": [], "usage": usage},
            b"[DONE]",
        ),
    )

    assert events == [
        TextDelta("hi"),
        UsageUpdate(Usage(input_tokens=9, output_tokens=4)),
        Finish(FinishReason.STOP, "stop", "m-1"),
    ]


def test_a_null_usage_is_no_usage_and_an_empty_one_still_releases_the_finish():
    stream = ChatStream(QUIRKS)

    events = stream.translate_chunk(chunk({"content": "hi"}, usage=None))
    events += stream.translate_chunk(chunk(finish="stop", usage=None))
    events += stream.translate_chunk({"choices": [], "usage": {}})

    assert events == [
        TextDelta("hi"),
        UsageUpdate(Usage()),
        Finish(FinishReason.STOP, "stop", "m-1"),
    ]


def test_a_finish_reason_without_done_still_finishes_the_stream():
    stream = ChatStream(QUIRKS)

    translate(stream, sse(chunk({"content": "hi"}), chunk(finish="stop")))

    assert stream.finished


def test_a_stream_without_a_finish_reason_or_done_is_unfinished():
    stream = ChatStream(QUIRKS)

    translate(stream, sse(chunk({"content": "hi"})))

    assert not stream.finished


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("stop", FinishReason.STOP),
        ("length", FinishReason.LENGTH),
        ("model_length", FinishReason.LENGTH),
        ("tool_calls", FinishReason.TOOL_CALLS),
        ("function_call", FinishReason.TOOL_CALLS),
        ("content_filter", FinishReason.CONTENT_FILTER),
        ("eos", FinishReason.OTHER),
    ],
)
def test_every_finish_reason_is_mapped_and_the_raw_word_kept(raw, reason):
    body = {"model": "m-1", "choices": [{"message": {"content": "x"}, "finish_reason": raw}]}

    completion = parse_completion(body, QUIRKS, provider="p")

    assert (completion.finish_reason, completion.raw_finish_reason) == (reason, raw)


def test_a_refusal_is_the_text_and_a_content_filter_finish():
    message = {"content": None, "refusal": "I can't help with that."}
    body = {"choices": [{"message": message, "finish_reason": "stop"}]}

    completion = parse_completion(body, QUIRKS, provider="openai")

    assert completion.text == "I can't help with that."
    assert (completion.finish_reason, completion.raw_finish_reason) == (
        FinishReason.CONTENT_FILTER,
        "refusal",
    )


@pytest.mark.parametrize("field", ["reasoning", "reasoning_content"])
def test_reasoning_text_is_thinking(field):
    body = sse(chunk({field: "let me see"}), chunk({"content": "4"}, "stop"), b"[DONE]")

    events = translate(ChatStream(QUIRKS), body)

    assert events[:2] == [ThinkingDelta("let me see"), TextDelta("4")]


def test_content_chunks_carry_text_and_thinking():
    content = [
        {"type": "thinking", "thinking": [{"type": "text", "text": "two and two"}]},
        {"type": "text", "text": "4"},
    ]
    body = {"choices": [{"message": {"content": content}, "finish_reason": "stop"}]}

    completion = parse_completion(body, QUIRKS, provider="mistral")

    assert completion.text == "4"
    assert completion.thinking[0].text == "two and two"


def test_usage_details_are_read_where_the_quirks_say():
    reported = {
        "prompt_tokens": 100,
        "completion_tokens": 40,
        "prompt_tokens_details": {"cached_tokens": 60},
        "completion_tokens_details": {"reasoning_tokens": 30},
    }
    stream = ChatStream(Quirks(usage_fields=("usage", "x_groq.usage")))

    events = translate(stream, sse(chunk(finish="stop", x_groq={"usage": reported})))

    assert events == [
        UsageUpdate(
            Usage(input_tokens=100, output_tokens=40, cache_read_tokens=60, thinking_tokens=30)
        ),
        Finish(FinishReason.STOP, "stop", "m-1"),
    ]


@pytest.mark.parametrize(
    "payload",
    [
        {"error": {"message": "The server had an error", "type": "server_error"}},
        {
            **chunk({"content": ""}, "error"),
            "error": {"code": 502, "message": "Provider returned error"},
        },
        chunk(finish="error"),
        {"x_groq": {"error": "stopped"}, "choices": []},
        {"choices": [{"delta": {"content": "a"}}, {"delta": {}, "finish_reason": "error"}]},
    ],
    ids=["openai", "openrouter", "mistral", "groq", "a-second-choice"],
)
def test_an_error_inside_a_stream_or_a_200_body_is_a_failure(payload):
    assert translate(ChatStream(QUIRKS), sse(payload)) == [StreamFailure(payload)]
    assert parse_completion(payload, QUIRKS, provider="p") is None


def test_a_whole_answer_reads_like_its_stream():
    message = {
        "content": "Checking.",
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"a":1}'}}
        ],
    }
    body = {
        "model": "gpt-4.1-2025-04-14",
        "choices": [{"message": message, "finish_reason": "tool_calls"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 7},
    }

    completion = parse_completion(body, QUIRKS, provider="openai")

    assert (completion.text, completion.model_id, completion.usage.output_tokens) == (
        "Checking.",
        "gpt-4.1-2025-04-14",
        7,
    )
    assert completion.tool_calls[0].arguments == {"a": 1}
    assert completion.raw is body


@pytest.mark.parametrize(
    "payload",
    [
        chunk({"content": "hi"}),
        chunk({"content": "hi"}, model="m-2"),
        {"choices": [{"delta": {"content": "hi"}}]},
        chunk({"content": "hi"}, usage=None),
        chunk({"content": "hi"}, usage={"prompt_tokens": 1, "completion_tokens": 2}),
        chunk({"content": "hi"}, "stop"),
        chunk({"content": "hi"}, "error"),
        chunk({"content": ""}),
        chunk({"content": None}),
        chunk({"content": "hi", "role": "assistant"}),
        chunk({"content": [{"type": "text", "text": "hi"}]}),
        chunk({"reasoning": "hmm"}),
        chunk({"refusal": "no"}),
        chunk({"content": "hi"}, error={"message": "overloaded"}),
        chunk({"content": "hi"}, x_groq={"usage": {"prompt_tokens": 1, "completion_tokens": 2}}),
        chunk({"content": "hi"}, meta={"usage": {"prompt_tokens": 1, "completion_tokens": 2}}),
        {"model": "m-1", "choices": [{"delta": {"content": "a"}}, {"delta": {"content": "b"}}]},
        {"choices": [{"delta": {"content": "a"}}, {"delta": {}, "finish_reason": "error"}]},
        chunk({"content": "hi"}, x_groq={"error": "stopped"}),
        {"model": "m-1", "choices": []},
    ],
)
@pytest.mark.parametrize(
    "usage_fields", [("usage",), ("usage", "x_groq.usage"), ("meta.usage",)], ids=str
)
def test_a_chunk_of_text_alone_reads_as_the_full_reading_does(payload, usage_fields):
    # translate() reads the commonest chunk itself; what it makes of any chunk, and remembers
    # for the finish that follows, must be what translate_chunk() makes of it.
    quirks = Quirks(usage_fields=usage_fields)
    read, full = ChatStream(quirks), ChatStream(quirks)
    finish = {"choices": [{"delta": {}, "finish_reason": "stop"}]}

    events = [
        *read.translate(Frame(None, json.dumps(payload).encode())),
        *read.translate(Frame(None, json.dumps(finish).encode())),
        *read.close(),
    ]

    assert events == [*full.translate_chunk(payload), *full.translate_chunk(finish), *full.close()]
