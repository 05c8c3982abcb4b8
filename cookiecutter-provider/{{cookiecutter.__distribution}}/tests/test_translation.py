"""The translation as pure functions: hotswap's types to the wire format and back.

When you replace the examples in ``translation.py`` with the provider's own format, rewrite
the payloads here to match and keep the test names: they say what must hold.
"""

from __future__ import annotations

import json

from hotswap.plugin import (
    CompletionRequest,
    ErrorKind,
    Finish,
    FinishReason,
    Frame,
    HttpResponse,
    Message,
    StreamFailure,
    TextDelta,
    ToolCall,
    ToolCallDelta,
    UsageUpdate,
)

from {{ cookiecutter.__package }}.translation import (
    AnswerStream,
    build_body,
    classify,
    parse_answer,
)


def frame(payload: dict) -> Frame:
    return Frame(None, json.dumps(payload))


def test_a_conversation_with_a_tool_round_trip_is_sent_turn_by_turn():
    call = ToolCall(id="c1", name="get_weather", arguments={"city": "Paris"})
    request = CompletionRequest(
        messages=(
            Message.system("Be brief."),
            Message.user("Weather in Paris?"),
            Message.assistant(tool_calls=(call,)),
            Message.tool_result("c1", "sunny", name="get_weather"),
        )
    )

    body = build_body("m-1", request, stream=True, extra={"keep_alive": "5m"})

    assert body == {
        "model": "m-1",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Weather in Paris?"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {"function": {"name": "get_weather", "arguments": {"city": "Paris"}}},
                ],
            },
            {"role": "tool", "content": "sunny", "tool_name": "get_weather"},
        ],
        "stream": True,
        "keep_alive": "5m",
    }


def test_thinking_off_is_sent_as_no_thinking():
    request = CompletionRequest(messages=(Message.user("hi"),), options={"thinking_level": "off"})

    assert build_body("m-1", request, stream=False, extra={})["think"] is False


def test_a_stream_is_finished_only_when_the_provider_says_done():
    stream = AnswerStream()

    first = list(stream.translate(frame({"message": {"content": "Hel"}, "done": False})))
    finished_early = stream.finished
    last = list(
        stream.translate(
            frame(
                {
                    "message": {"content": "lo"},
                    "done": True,
                    "done_reason": "length",
                    "prompt_eval_count": 4,
                    "eval_count": 2,
                }
            )
        )
    )

    assert first == [TextDelta("Hel")]
    assert not finished_early
    assert stream.finished
    assert last[0] == TextDelta("lo")
    assert isinstance(last[1], UsageUpdate)
    assert (last[1].usage.input_tokens, last[1].usage.output_tokens) == (4, 2)
    assert last[2] == Finish(FinishReason.LENGTH, "length", None)


def test_tool_calls_in_one_frame_get_one_index_each():
    calls = [
        {"function": {"name": "a", "arguments": {"x": 1}}},
        {"function": {"name": "b", "arguments": {}}},
    ]

    events = list(AnswerStream().translate(frame({"message": {"tool_calls": calls}})))

    assert events == [
        ToolCallDelta(index=0, name="a", arguments='{"x": 1}'),
        ToolCallDelta(index=1, name="b", arguments="{}"),
    ]


def test_an_error_line_in_a_stream_is_handed_to_hotswap_to_classify():
    payload = {"error": "model crashed"}

    assert list(AnswerStream().translate(frame(payload))) == [StreamFailure(payload)]


def test_an_error_sent_with_status_200_is_not_an_answer():
    assert parse_answer({"error": "busy"}) is None


def test_a_whole_answer_keeps_the_provider_payload():
    payload = {"model": "m-1", "message": {"content": "hi"}, "done": True, "done_reason": "stop"}

    completion = parse_answer(payload)

    assert completion is not None
    assert (completion.text, completion.model_id, completion.raw) == ("hi", "m-1", payload)


def test_the_message_decides_where_the_status_says_too_little():
    response = HttpResponse(400, {}, b'{"error": "input exceeds the context length of 8192"}')

    verdict = classify(response)

    assert verdict is not None
    assert (verdict.kind, verdict.message) == (
        ErrorKind.CONTEXT_LENGTH,
        "input exceeds the context length of 8192",
    )


def test_other_failures_are_left_to_hotswaps_own_rules():
    assert classify(HttpResponse(500, {}, b'{"error": "internal error"}')) is None
    assert classify(HttpResponse(502, {}, b"<html>Bad Gateway</html>")) is None
