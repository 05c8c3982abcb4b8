"""Streams fail over transparently before content; after content, the error carries what the
caller already saw; closing a stream is recorded as cancelled."""

from __future__ import annotations

import asyncio
import json

import httpx2
import pytest

from hotswap import (
    Finish,
    FinishReason,
    Outcome,
    StreamInterruptedError,
    StreamReset,
    TextDelta,
)


def sse(*frames: dict) -> bytes:
    return b"".join(f"data: {json.dumps(f)}\n\n".encode() for f in frames)


def test_a_failure_before_content_fails_over_without_the_caller_seeing_it(make_chain, provider):
    provider.script("acme-1", httpx2.Response(429, json={"error": "slow down"}))
    stream = make_chain().stream("hi")

    events = list(stream)

    assert events == [
        TextDelta("answer"),
        TextDelta(" from acme-2"),
        Finish(FinishReason.STOP, "done"),
    ]
    assert stream.model.name == "second"
    assert [a.outcome for a in stream.attempts] == [Outcome.FAILED, Outcome.OK]
    assert stream.completion().text == "answer from acme-2"


def test_a_stream_cut_before_content_fails_over(make_chain, provider):
    provider.script("acme-1", httpx2.Response(200, content=b""))

    events = list(make_chain().stream("hi"))

    assert events[0] == TextDelta("answer")
    assert events[-1] == Finish(FinishReason.STOP, "done")


def test_a_failure_after_content_raises_with_the_partial_text(make_chain, provider):
    provider.script(
        "acme-1", httpx2.Response(200, content=sse({"text": "Hello, "}, {"text": "wor"}))
    )
    seen = []

    with pytest.raises(StreamInterruptedError) as raised:
        seen.extend(make_chain().stream("hi"))

    assert seen == [TextDelta("Hello, "), TextDelta("wor")]
    assert raised.value.partial_text == "Hello, wor"
    assert raised.value.kind == "connection"
    assert provider.requests == ["acme-1"]


def test_an_in_stream_error_after_content_raises_too(make_chain, provider):
    body = sse({"text": "Hi"}, {"error": {"message": "Overloaded"}})
    provider.script("acme-1", httpx2.Response(200, content=body))
    seen = []

    with pytest.raises(StreamInterruptedError, match="Overloaded") as raised:
        seen.extend(make_chain().stream("hi"))

    assert seen == [TextDelta("Hi")]
    assert raised.value.partial_text == "Hi"


def test_an_in_stream_error_before_any_content_fails_over(make_chain, provider):
    provider.script("acme-1", httpx2.Response(200, content=sse({"error": {"message": "busy"}})))

    stream = make_chain().stream("hi")

    assert "".join(e.text for e in stream if isinstance(e, TextDelta)) == "answer from acme-2"


def test_closing_a_stream_records_the_attempt_as_cancelled(make_chain, provider):
    stream = make_chain().stream("hi")

    next(iter(stream))
    stream.close()

    assert [a.outcome for a in stream.attempts] == [Outcome.CANCELLED]


def test_async_streams_fail_over_the_same_way(make_chain, provider):
    provider.script("acme-1", httpx2.Response(503, json={"error": "busy"}))

    async def run():
        stream = make_chain().astream("hi")
        return [e async for e in stream], stream

    events, stream = asyncio.run(run())

    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == "answer from acme-2"
    assert stream.model.name == "second"


def test_a_chain_whose_settings_are_replaced_uses_the_new_ones(make_chain, provider):
    chain = make_chain()
    list(chain.stream("warm up"))  # the chain's calls have used the settings it was made with
    chain.settings = chain.settings.model_copy(update={"stream_recovery": "restart"})
    provider.script(
        "acme-1", httpx2.Response(200, content=sse({"text": "Hello, "}, {"text": "wor"}))
    )

    events = list(chain.stream("hi"))

    assert events[:2] == [TextDelta("Hello, "), TextDelta("wor")]
    assert isinstance(events[2], StreamReset)
    assert "".join(e.text for e in events[3:] if isinstance(e, TextDelta)) == "answer from acme-2"
