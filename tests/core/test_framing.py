"""SSE and NDJSON are decoded incrementally from bytes, however the bytes are split."""

from __future__ import annotations

import pytest

from hotswap.framing import Frame, NDJSONDecoder, SSEDecoder

ANTHROPIC_STYLE = (
    b"event: message_start\n"
    b'data: {"type":"message_start"}\n'
    b"\n"
    b"event: ping\n"
    b'data: {"type": "ping"}\n'
    b"\n"
    b": keep-alive comment\n"
    b"\n"
    b"data: first line\n"
    b"data: second line\n"
    b"\n"
    b"data: [DONE]\n"
    b"\n"
)
EXPECTED = [
    Frame("message_start", '{"type":"message_start"}'),
    Frame("ping", '{"type": "ping"}'),
    Frame(None, "first line\nsecond line"),
    Frame(None, "[DONE]"),
]


def feed_in_pieces(decoder, data: bytes, size: int) -> list[Frame]:
    frames = []
    for start in range(0, len(data), size):
        frames.extend(decoder.feed(data[start : start + size]))
    return frames + decoder.flush()


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 10_000])
def test_sse_frames_are_the_same_whatever_the_read_size(size):
    assert feed_in_pieces(SSEDecoder(), ANTHROPIC_STYLE, size) == EXPECTED


@pytest.mark.parametrize("size", [1, 5, 10_000])
def test_sse_accepts_crlf_and_bare_cr_line_ends(size):
    crlf = ANTHROPIC_STYLE.replace(b"\n", b"\r\n")
    bare_cr = ANTHROPIC_STYLE.replace(b"\n", b"\r")

    assert feed_in_pieces(SSEDecoder(), crlf, size) == EXPECTED
    assert feed_in_pieces(SSEDecoder(), bare_cr, size) == EXPECTED


def test_sse_keeps_a_multibyte_character_split_across_reads():
    data = 'data: {"text":"naïve ☃"}\n\n'.encode()
    split = data.index("☃".encode()) + 1

    decoder = SSEDecoder()
    frames = decoder.feed(data[:split]) + decoder.feed(data[split:])

    assert frames == [Frame(None, '{"text":"naïve ☃"}')]


def test_sse_removes_only_one_space_after_the_colon_and_allows_none():
    frames = SSEDecoder().feed(b"data:  two spaces\ndata:none\n\n")

    assert frames == [Frame(None, " two spaces\nnone")]


def test_sse_delivers_a_complete_event_missing_its_blank_line_at_the_end():
    decoder = SSEDecoder()

    assert decoder.feed(b'data: {"done":true}\n') == []
    assert decoder.flush() == [Frame(None, '{"done":true}')]


def test_sse_drops_an_unterminated_last_line_at_the_end():
    decoder = SSEDecoder()

    assert decoder.feed(b'data: {"cut": "in the mid') == []
    assert decoder.flush() == []


def test_sse_ignores_id_and_retry_fields_and_events_without_data():
    frames = SSEDecoder().feed(b"id: 7\nretry: 100\n\nevent: lonely\n\ndata: x\n\n")

    assert frames == [Frame(None, "x")]


def test_sse_frame_decodes_its_json():
    assert Frame(None, '{"a": [1, 2]}').json() == {"a": [1, 2]}


@pytest.mark.parametrize("size", [1, 4, 10_000])
def test_ndjson_lines_are_the_same_whatever_the_read_size(size):
    data = b'{"a":1}\n\n{"b":"\xc3\xa9"}\r\n{"done":true}\n'

    frames = feed_in_pieces(NDJSONDecoder(), data, size)

    assert [f.data for f in frames] == ['{"a":1}', '{"b":"é"}', '{"done":true}']
    assert all(f.event is None for f in frames)


def test_ndjson_delivers_a_last_line_without_newline_at_the_end():
    decoder = NDJSONDecoder()

    assert decoder.feed(b'{"a":1}\n{"done":true}') == [Frame(None, '{"a":1}')]
    assert decoder.flush() == [Frame(None, '{"done":true}')]
