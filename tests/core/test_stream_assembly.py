"""A stream's events add up to the same Completion a non-streaming answer would give."""

from __future__ import annotations

import pytest

from hotswap import (
    Finish,
    FinishReason,
    ServerError,
    StreamReset,
    TextDelta,
    ThinkingDelta,
    ToolCall,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from hotswap.plugin.streaming import StreamAssembler


def assemble(*events, **names):
    assembler = StreamAssembler()
    for event in events:
        assembler.add(event)
    return assembler.completion(**names)


def test_text_deltas_are_joined_and_the_finish_recorded():
    completion = assemble(
        TextDelta("Hel"),
        TextDelta("lo"),
        Finish(FinishReason.STOP, "end_turn", model_id="m-1"),
        model="fast",
        provider="acme",
    )

    assert (completion.text, completion.finish_reason, completion.raw_finish_reason) == (
        "Hello",
        FinishReason.STOP,
        "end_turn",
    )
    assert (completion.model, completion.provider, completion.model_id) == ("fast", "acme", "m-1")


def test_tool_call_pieces_are_joined_by_index_and_parsed_once():
    completion = assemble(
        ToolCallDelta(0, id="call_a", name="weather"),
        ToolCallDelta(1, id="call_b", name="time", arguments='{"tz":'),
        ToolCallDelta(0, arguments='{"city": "Os'),
        ToolCallDelta(1, arguments=' "UTC"}'),
        ToolCallDelta(0, arguments='lo"}', extra={"signature": "sig"}),
        Finish(FinishReason.TOOL_CALLS),
    )

    assert completion.tool_calls == (
        ToolCall(
            id="call_a", name="weather", arguments={"city": "Oslo"}, extra={"signature": "sig"}
        ),
        ToolCall(id="call_b", name="time", arguments={"tz": "UTC"}),
    )


def test_a_tool_call_with_no_arguments_has_an_empty_object():
    completion = assemble(ToolCallDelta(0, id="c", name="now"), Finish(FinishReason.TOOL_CALLS))

    assert completion.tool_calls[0].arguments == {}


@pytest.mark.parametrize("arguments", ['{"city": ', "[1, 2]"])
def test_tool_call_arguments_that_are_not_a_json_object_are_a_server_error(arguments):
    assembler = StreamAssembler()
    assembler.add(ToolCallDelta(0, id="c", name="weather", arguments=arguments))

    with pytest.raises(ServerError, match="'weather' are not a JSON object"):
        assembler.completion()


def test_usage_updates_merge_field_by_field():
    completion = assemble(
        UsageUpdate(Usage(input_tokens=412, cache_read_tokens=100, output_tokens=1)),
        UsageUpdate(Usage(output_tokens=58)),
        Finish(FinishReason.STOP),
    )

    assert completion.usage == Usage(input_tokens=412, cache_read_tokens=100, output_tokens=58)


def test_a_third_usage_update_merges_over_the_first_two():
    completion = assemble(
        UsageUpdate(Usage(input_tokens=412, output_tokens=1)),
        UsageUpdate(Usage(output_tokens=58)),
        UsageUpdate(Usage(thinking_tokens=20, output_tokens=60)),
        Finish(FinishReason.STOP),
    )

    assert completion.usage == Usage(input_tokens=412, output_tokens=60, thinking_tokens=20)


def test_a_single_usage_update_is_the_answers_usage_and_none_counts_nothing():
    reported = Usage(input_tokens=3, output_tokens=4)

    assert assemble(UsageUpdate(reported), Finish(FinishReason.STOP)).usage is reported
    assert assemble(Finish(FinishReason.STOP)).usage == Usage()


def test_a_reset_forgets_the_usage_reported_before_it():
    completion = assemble(
        UsageUpdate(Usage(input_tokens=9, output_tokens=9)),
        UsageUpdate(Usage(output_tokens=12)),
        StreamReset("first", "overloaded"),
        UsageUpdate(Usage(output_tokens=2)),
        Finish(FinishReason.STOP),
    )

    assert completion.usage == Usage(output_tokens=2)


def test_thinking_is_grouped_into_blocks_with_their_signatures():
    completion = assemble(
        ThinkingDelta("Let me "),
        ThinkingDelta("think."),
        ThinkingDelta(signature="EuYB"),
        ThinkingDelta(redacted="opaque", block=1),
        TextDelta("Done."),
        Finish(FinishReason.STOP),
        provider="acme",
    )

    first, second = completion.thinking
    assert (first.text, first.signature, first.provider) == ("Let me think.", "EuYB", "acme")
    assert (second.text, second.redacted) == ("", "opaque")
    assert completion.to_message().content == (first, second, *completion.to_message().content[2:])


def test_a_stream_without_finish_has_reason_other():
    assert assemble(TextDelta("partial")).finish_reason is FinishReason.OTHER


def test_an_event_of_a_subclass_adds_up_as_its_type_does():
    # The assembler reads the events every answer carries by their exact type; one a plugin
    # made from a subclass is read as the type it extends.
    class Text(TextDelta):
        pass

    class Counted(UsageUpdate):
        pass

    class Done(Finish):
        pass

    class Thought(ThinkingDelta):
        pass

    class Reset(StreamReset):
        pass

    completion = assemble(
        Text("lost"),
        Reset("first", "overloaded"),
        Thought("hmm"),
        Text("Hi"),
        TextDelta("!"),
        Counted(Usage(output_tokens=2)),
        Done(FinishReason.LENGTH, "max_tokens", model_id="m-2"),
    )

    assert (completion.text, completion.thinking[0].text) == ("Hi!", "hmm")
    assert (completion.usage.output_tokens, completion.finish_reason, completion.model_id) == (
        2,
        FinishReason.LENGTH,
        "m-2",
    )
