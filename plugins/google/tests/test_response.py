"""Whole generateContent answers and their SSE streams, through the core's decoder and
assembler: text, thoughts, function calls with their signatures, finish reasons and usage."""

from __future__ import annotations

import pytest
from hotswap_google.response import FILTERED, GenerateStream, parse_generate

from hotswap.plugin import (
    Finish,
    FinishReason,
    StreamFailure,
    TextDelta,
    ThinkingDelta,
    ThinkingPart,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from hotswap.testing import translate

from .conftest import assemble, sse

MODEL = "gemini-3-flash-preview"
USAGE = {
    "promptTokenCount": 120,
    "candidatesTokenCount": 9,
    "thoughtsTokenCount": 210,
    "cachedContentTokenCount": 100,
    "totalTokenCount": 339,
}


def chunk(*parts, finish=None, usage=None):
    candidate = {"content": {"role": "model", "parts": list(parts)}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    event = {"candidates": [candidate], "modelVersion": MODEL, "responseId": "r1"}
    if usage:
        event["usageMetadata"] = usage
    return event


def test_a_whole_answer_with_thoughts_text_and_usage():
    body = chunk(
        {"text": "Thinking it over.", "thought": True},
        {"text": "It is 18C in Oslo.", "thoughtSignature": "dGV4dA=="},
        finish="STOP",
        usage=USAGE,
    )

    completion = parse_generate(body, MODEL)

    assert completion.text == "It is 18C in Oslo."
    assert completion.thinking == (
        ThinkingPart(text="Thinking it over.", provider="google"),
        ThinkingPart(signature="dGV4dA==", provider="google"),
    )
    assert (completion.finish_reason, completion.raw_finish_reason) == (FinishReason.STOP, "STOP")
    assert completion.usage == Usage(
        input_tokens=120, output_tokens=219, thinking_tokens=210, cache_read_tokens=100
    )
    assert completion.model_id == MODEL


def test_function_calls_finish_for_tool_calls_and_keep_signature_model_and_id():
    body = chunk(
        {
            "functionCall": {"name": "get_weather", "args": {"city": "Oslo"}, "id": "fc-1"},
            "thoughtSignature": "c2lnLTE=",
        },
        {"functionCall": {"name": "get_time", "args": {}}},
        finish="STOP",
    )

    completion = parse_generate(body, MODEL)

    assert completion.finish_reason is FinishReason.TOOL_CALLS
    first, second = completion.tool_calls
    assert (first.id, first.name, first.arguments) == ("fc-1", "get_weather", {"city": "Oslo"})
    assert first.extra == {
        "thoughtSignature": "c2lnLTE=",
        "thoughtSignatureModel": MODEL,
        "functionCallId": "fc-1",
    }
    assert (second.id, second.name, second.extra) == ("call_1", "get_time", {})


@pytest.mark.parametrize("raw", sorted(FILTERED))
def test_a_candidate_stopped_for_safety_is_a_content_filter_finish(raw):
    body = {"candidates": [{"finishReason": raw, "index": 0}], "modelVersion": MODEL}

    completion = parse_generate(body, MODEL)

    assert (completion.finish_reason, completion.raw_finish_reason) == (
        FinishReason.CONTENT_FILTER,
        raw,
    )
    assert completion.text == ""


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("MAX_TOKENS", FinishReason.LENGTH),
        ("LANGUAGE", FinishReason.OTHER),
        ("OTHER", FinishReason.OTHER),
    ],
)
def test_other_finish_reasons(raw, reason):
    completion = parse_generate(chunk({"text": "Hi"}, finish=raw), MODEL)

    assert (completion.finish_reason, completion.raw_finish_reason) == (reason, raw)


def test_a_blocked_prompt_is_not_an_answer():
    body = {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 4}}

    assert parse_generate(body, MODEL) is None


@pytest.mark.parametrize("raw", ["MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL"])
def test_a_broken_answer_is_not_an_answer(raw):
    assert parse_generate(chunk(finish=raw), MODEL) is None


def test_a_stream_with_a_function_call_split_across_chunks():
    body = sse(
        chunk({"text": "Let me ", "thought": True}),
        chunk({"text": "check.", "thought": True}),
        chunk({"text": "Checking "}),
        chunk(
            {
                "functionCall": {"name": "get_weather", "args": {"city": "Oslo", "days": 3}},
                "thoughtSignature": "c2lnLTE=",
            }
        ),
        chunk(
            {"functionCall": {"name": "get_time", "args": {"zone": "CET"}}},
            finish="STOP",
            usage=USAGE,
        ),
    )
    stream = GenerateStream(MODEL)

    events = translate(stream, body, chunk=11)

    assert events == [
        ThinkingDelta("Let me ", block=0),
        ThinkingDelta("check.", block=0),
        TextDelta("Checking "),
        ToolCallDelta(
            0,
            name="get_weather",
            arguments='{"city": "Oslo", "days": 3}',
            extra={"thoughtSignature": "c2lnLTE=", "thoughtSignatureModel": MODEL},
        ),
        ToolCallDelta(1, name="get_time", arguments='{"zone": "CET"}'),
        UsageUpdate(
            Usage(input_tokens=120, output_tokens=219, thinking_tokens=210, cache_read_tokens=100)
        ),
        Finish(FinishReason.TOOL_CALLS, "STOP", MODEL),
    ]
    assert stream.finished
    completion = assemble(events)
    assert [(c.name, c.arguments) for c in completion.tool_calls] == [
        ("get_weather", {"city": "Oslo", "days": 3}),
        ("get_time", {"zone": "CET"}),
    ]
    assert completion.tool_calls[0].extra["thoughtSignature"] == "c2lnLTE="


def test_a_signature_in_a_last_chunk_with_empty_text_is_kept():
    body = sse(
        chunk({"text": "Hello"}), chunk({"text": "", "thoughtSignature": "dGV4dA=="}, finish="STOP")
    )

    completion = assemble(translate(GenerateStream(MODEL), body))

    assert completion.text == "Hello"
    assert completion.thinking == (ThinkingPart(signature="dGV4dA==", provider="google"),)


def test_thought_runs_apart_are_separate_blocks():
    body = sse(
        chunk({"text": "first", "thought": True}),
        chunk({"text": "answer"}),
        chunk({"text": "second", "thought": True, "thoughtSignature": "c2ln"}, finish="STOP"),
    )

    completion = assemble(translate(GenerateStream(MODEL), body))

    assert [(t.text, t.signature) for t in completion.thinking] == [
        ("first", None),
        ("second", "c2ln"),
    ]


def test_a_stream_is_finished_only_by_a_finish_reason():
    stream = GenerateStream(MODEL)

    translate(stream, sse(chunk({"text": "partial"}, usage={"promptTokenCount": 3})))

    assert not stream.finished


def test_an_error_event_and_a_blocked_prompt_are_stream_failures():
    error = {"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}
    blocked = {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}}

    assert translate(GenerateStream(MODEL), sse(chunk({"text": "Hi"}), error)) == [
        TextDelta("Hi"),
        StreamFailure(error),
    ]
    assert translate(GenerateStream(MODEL), sse(blocked)) == [StreamFailure(blocked)]


def test_usage_leaves_out_counts_gemini_did_not_send():
    [update] = GenerateStream(MODEL).read({"usageMetadata": {"promptTokenCount": 7}})

    assert update.usage.model_fields_set == {"input_tokens"}
