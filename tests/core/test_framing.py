"""SSE and NDJSON are decoded incrementally from bytes, however the bytes are split."""

from __future__ import annotations

import random

import pytest

from hotswap.plugin.framing import Frame, NDJSONDecoder, SSEDecoder

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


def test_ndjson_reads_of_one_line_each_and_reads_that_cut_lines_agree():
    reads = [b'{"a":1}\n', b"  \n", b'{"b":2}\r\n', b'{"c":', b'3}\n{"d":4}\n{"e"', b":5}\n"]
    decoder = NDJSONDecoder()

    frames = [frame for read in reads for frame in decoder.feed(read)]

    assert [f.data for f in frames] == ['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}', '{"e":5}']
    assert decoder.flush() == []


def test_ndjson_delivers_a_last_line_without_newline_at_the_end():
    decoder = NDJSONDecoder()

    assert decoder.feed(b'{"a":1}\n{"done":true}') == [Frame(None, '{"a":1}')]
    assert decoder.flush() == [Frame(None, '{"done":true}')]


def test_frames_hand_out_bytes_as_text_and_read_them_as_json():
    frame = Frame("delta", b'{"text":"na\xc3\xafve"}')

    assert frame.data == '{"text":"naïve"}'
    assert frame.json() == {"text": "naïve"}
    assert frame == Frame("delta", '{"text":"naïve"}')
    assert frame != Frame(None, '{"text":"naïve"}')
    assert repr(frame) == """Frame(event='delta', data='{"text":"naïve"}')"""


def test_a_frame_that_is_not_utf8_fails_when_read_not_when_framed():
    (frame,) = SSEDecoder().feed(b"data: \xff\xfe\n\n")

    with pytest.raises(UnicodeDecodeError):
        frame.data  # noqa: B018
    with pytest.raises(ValueError, match="Expecting value"):
        frame.json()


def reference_sse(data: bytes) -> list[Frame]:
    """The event-stream rules, line by line, as the WHATWG text states them (no speed)."""
    text = data.decode().replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")[:-1]  # the part after the last line end is not a line
    frames, event, pieces = [], None, []
    for line in [*lines, ""]:  # the end of the stream dispatches a complete event
        if not line:
            if pieces:
                frames.append(Frame(event, "\n".join(pieces)))
            event, pieces = None, []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            pieces.append(value)
        elif name == "event":
            event = value
    return frames


SSE_LINES = [
    b"data: {}",
    b'data: {"a": "\xc3\xa9"}',
    b"data:tight",
    b"data",
    b"data:  two spaces",
    b"event: delta",
    b"event:tight",
    b": comment",
    b"id: 3",
    b"retry: 10",
    b"",
    b"",
]


@pytest.mark.parametrize("seed", range(40))
def test_sse_decodes_any_stream_as_the_rules_do_however_it_is_split(seed):
    generator = random.Random(seed)
    line_end = generator.choice([b"\n", b"\r\n", b"\r", None])
    body = b""
    for _ in range(generator.randrange(1, 40)):
        end = line_end or generator.choice([b"\n", b"\r\n", b"\r"])
        body += generator.choice(SSE_LINES) + end
    if generator.random() < 0.3:
        body += b"data: cut sho"  # an unterminated last line

    size = generator.choice([1, 2, 3, 5, 8, 13, 64, len(body)])

    assert feed_in_pieces(SSEDecoder(), body, size) == reference_sse(body)


@pytest.mark.parametrize("seed", range(40))
def test_sse_decodes_each_event_read_whole_as_the_rules_do(seed):
    # Providers write one event at a time, so most reads hold exactly one: the decoder
    # reads the common shapes of such a read on their own, and must agree with the rules on
    # every read that merely resembles them.
    generator = random.Random(seed)
    line_end = generator.choice([b"\n", b"\r\n", b"\r", None])
    lines = [*SSE_LINES[:-2], b"data: a\rb", b"event: x\r", b"data: \r", b""]
    reads = []
    for _ in range(generator.randrange(1, 20)):
        event = b""
        for _ in range(generator.choice([1, 1, 2, 2, 3])):
            event += generator.choice(lines) + (line_end or generator.choice([b"\n", b"\r\n"]))
        reads.append(event + (line_end or generator.choice([b"\n", b"\r\n"])))
    decoder = SSEDecoder()

    frames = [frame for read in reads for frame in decoder.feed(read)] + decoder.flush()

    assert frames == reference_sse(b"".join(reads))


@pytest.mark.parametrize(
    "read",
    [
        b"data: x\n\r\n",
        b"data: x\r\n\n",
        b"data: x\r\r\n",
        b"event: e\r\ndata: x\n\n",
        b"event: e\ndata: x\r\n\n",
        b"data: x\n\n\n",
        b"data: x\ndata: y\n\n",
    ],
)
def test_a_read_with_mixed_line_ends_is_decoded_as_the_rules_do(read):
    decoder = SSEDecoder()

    assert decoder.feed(read) + decoder.flush() == reference_sse(read)
