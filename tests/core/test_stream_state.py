"""The core's side of a stream (``Exchange.open_stream``): bytes in, the translator's events
out, whatever the reads, for both framings; an error the provider sends inside the stream, or
a frame the plugin cannot read, stops it after the events before it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hotswap import (
    ConnectionFailedError,
    Finish,
    FinishReason,
    Message,
    ModelConfig,
    PluginError,
    ServerError,
    TextDelta,
)
from hotswap.plugin.framing import Frame, NDJSONDecoder
from hotswap.types.request import CompletionRequest
from hotswap.wire.exchange import Exchange, StreamState

from ..conftest import AcmeTranslator

MODEL = ModelConfig(name="fast", provider="acme", model="acme-1")
REQUEST = CompletionRequest(messages=(Message.user("hi"),))
DONE = Finish(FinishReason.STOP, "done")


def sse(*payloads: str) -> bytes:
    return b"".join(f"data: {p}\n\n".encode() for p in payloads)


def ndjson(*payloads: str) -> bytes:
    return b"".join(f"{p}\n".encode() for p in payloads)


FRAMINGS = {"sse": sse, "ndjson": ndjson}


def open_state(host, monkeypatch, framing: str) -> StreamState:
    """The toy provider's stream state, its translator naming ``framing``."""
    monkeypatch.setenv("ACME_API_KEY", "sk-acme-test-key-0001")
    monkeypatch.setattr(AcmeTranslator, "framing", framing)
    return Exchange(host, MODEL, REQUEST, stream=True).open_stream()


@pytest.fixture(params=sorted(FRAMINGS))
def framed(request) -> Callable[..., bytes]:
    """How the toy provider frames payloads, in each framing."""
    return FRAMINGS[request.param]


@pytest.fixture
def state(acme_host, monkeypatch, framed) -> StreamState:
    return open_state(acme_host, monkeypatch, "sse" if framed is sse else "ndjson")


@pytest.fixture
def lines(acme_host, monkeypatch) -> StreamState:
    return open_state(acme_host, monkeypatch, "ndjson")


def fed(state: StreamState, body: bytes, size: int) -> list[object]:
    events: list[object] = []
    for start in range(0, len(body), size):
        events += state.feed(body[start : start + size])
        assert state.failure is None
    return events + state.end()


@pytest.mark.parametrize("size", [1, 2, 7, 10_000])
def test_the_events_are_the_same_whatever_the_read_size(state, framed, size):
    body = framed('{"text": "h\\u00e9"}', '{"text": "llo"}', '{"done": true}')

    assert fed(state, body, size) == [TextDelta("hé"), TextDelta("llo"), DONE]


def test_an_error_inside_the_stream_stops_it_after_the_events_before_it(state, framed):
    error = '{"error": {"message": "Overloaded"}}'

    events = state.feed(framed('{"text": "he"}', error, '{"text": "llo"}', "{not json"))

    assert events == [TextDelta("he")]
    assert isinstance(state.failure, ServerError)
    assert "Overloaded" in str(state.failure)
    assert state.feed(framed('{"text": "more"}', '{"done": true}')) == []
    assert state.end() == []
    assert "Overloaded" in str(state.failure)


def test_a_malformed_frame_keeps_the_events_before_it_and_stops_the_stream(state, framed):
    events = state.feed(framed('{"text": "a"}', "{not json", '{"text": "b"}'))

    assert events == [TextDelta("a")]
    assert isinstance(state.failure, ServerError)
    assert "could not be read" in str(state.failure)
    assert state.feed(framed('{"done": true}')) == []


def test_a_stream_that_ends_before_the_provider_finished_is_a_connection_error(state, framed):
    assert state.feed(framed('{"text": "a"}')) == [TextDelta("a")]

    with pytest.raises(ConnectionFailedError, match="ended before the provider signalled"):
        state.end()


@pytest.mark.parametrize("size", [1, 3, 10_000])
def test_ndjson_lines_are_cut_as_the_decoder_cuts_them(acme_host, monkeypatch, size):
    # The stream cuts lines itself, for speed: it must agree with the decoder third parties
    # are given, on blank and space-only lines, CRLF, and a last line without its newline.
    body = b'{"text": "a"}\r\n\n  \n{"text": "b"}\n{"done": true}'
    translated = []
    translate = AcmeTranslator.translate
    monkeypatch.setattr(
        AcmeTranslator,
        "translate",
        lambda self, frame: translated.append(frame) or translate(self, frame),
    )
    state = open_state(acme_host, monkeypatch, "ndjson")
    decoder = NDJSONDecoder()
    frames = [f for i in range(0, len(body), size) for f in decoder.feed(body[i : i + size])]

    assert fed(state, body, size) == [TextDelta("a"), TextDelta("b"), DONE]
    assert (
        frames + decoder.flush()
        == translated
        == [
            Frame(None, '{"text": "a"}'),
            Frame(None, '{"text": "b"}'),
            Frame(None, '{"done": true}'),
        ]
    )


def test_an_ndjson_last_line_cut_short_is_a_malformed_answer(lines):
    assert lines.feed(b'{"text": "a"}\n{"tex') == [TextDelta("a")]

    assert lines.end() == []
    assert isinstance(lines.failure, ServerError)
    assert "could not be read" in str(lines.failure)


def test_a_framing_hotswap_does_not_read_is_a_plugin_error(acme_host, monkeypatch):
    with pytest.raises(PluginError, match="'jsonl'; hotswap reads 'sse' and 'ndjson'"):
        open_state(acme_host, monkeypatch, "jsonl")
