"""hotswap reads and writes wire JSON with msgspec, and gives the standard library's answer
wherever the two would differ."""

from __future__ import annotations

import json

import pytest

from hotswap.plugin.framing import Frame
from hotswap.types.codec import dumps, loads

# Frame.json tries msgspec itself, to save a call per frame, and must read as loads does.
READERS = {"loads": loads, "frame": lambda text: Frame(None, text).json()}

READ_THE_SAME = [
    '{"type":"message","content":[{"type":"text","text":"Oslo"}],"usage":{"input_tokens":12}}',
    '{"text": "\\u00e9t\\u00e9 \\ud83d\\ude00", "raw": "été 😀"}',
    "[1, -2, 3.5, 1e-7, true, false, null]",
    '  {"padded": 1}\n',
    '{"same": 1, "same": 2}',
    # A tool argument beyond 64 bits: read as a float, it would lose its last digits.
    '{"input": {"n": 12345678901234567890123, "neg": -98765432109876543210}}',
    '{"id": "call_12345678901234567890123456", "n": 1}',
    # What only the standard library accepts.
    '{"temperature": NaN, "top": Infinity}',
    '{"beyond_a_float": 1e400, "below": -1e400}',
    '"\\ud83d"',
]


@pytest.mark.parametrize("text", READ_THE_SAME)
@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_json_is_read_as_the_standard_library_reads_it(text, as_bytes, reader):
    given = text.encode() if as_bytes else text
    expected = json.loads(given)

    got = READERS[reader](given)

    assert repr(got) == repr(expected)  # repr: NaN is not equal to itself


def test_a_byte_order_mark_is_read_in_bytes_and_refused_in_text_as_the_standard_library_does():
    assert loads("\ufeff[1]".encode()) == [1]
    with pytest.raises(json.JSONDecodeError, match="BOM"):
        loads("\ufeff[1]")


def test_big_integers_keep_every_digit():
    assert loads(b'{"n": 123456789012345678901234567890}')["n"] == 123456789012345678901234567890


@pytest.mark.parametrize("text", ["", "{", '{"a": 1', "<html>bad gateway</html>", b"\xff\xfe"])
@pytest.mark.parametrize("reader", sorted(READERS))
def test_text_that_is_not_json_raises_the_standard_librarys_error(text, reader):
    with pytest.raises(json.JSONDecodeError, match="Expecting"):
        READERS[reader](text)


@pytest.mark.parametrize(
    "value",
    [
        {"model": "m", "messages": [{"role": "user", "content": "été 😀"}], "stream": True},
        {"tuple": (1, 2), "nested": {"empty": {}, "list": []}, "float": 0.1},
        {"big": 2**70, "negative": -(2**65)},
    ],
)
def test_written_json_reads_back_as_the_value(value):
    written = dumps(value)

    assert isinstance(written, bytes)
    assert json.loads(written) == json.loads(json.dumps(value))


def test_written_json_is_compact_utf8():
    assert dumps({"a": [1, "é"]}) == '{"a":[1,"é"]}'.encode()


def test_keys_that_are_not_strings_are_written_as_the_standard_library_writes_them():
    keys = {1: "x", None: "y", 2.5: "z"}

    assert json.loads(dumps(keys)) == json.loads(json.dumps(keys))


def test_nan_is_written_as_null():
    assert dumps({"t": float("nan")}) == b'{"t":null}'


def test_what_json_cannot_hold_raises_a_type_error():
    with pytest.raises(TypeError):
        dumps({"value": object()})
