"""Incremental decoders for the two stream framings providers use: SSE and NDJSON.

They are decoded once, in the core, from raw bytes as they arrive, so plugins translate whole
frames and never see a socket or a partial line. Both decoders are sans-I/O: ``feed`` takes
whatever bytes the transport read and returns the frames completed by them. A stream's own
NDJSON lines are cut by its stream state (:mod:`hotswap.wire.exchange`), the same way, without a
call to a decoder for every line; :class:`NDJSONDecoder` is that cut for any other reader.

They are written here rather than taken from httpx2's SSE support because they must work on
bytes from any transport (httpx2 reads SSE only from its own ``Response``) and because this
loop runs for every chunk of every stream hotswap relays.
"""

from __future__ import annotations

from typing import Any, Literal

from msgspec import Struct

from hotswap.types.codec import REFUSED, decode, loads

__all__ = ["Frame", "Framing", "NDJSONDecoder", "SSEDecoder", "loads"]

Framing = Literal["sse", "ndjson"]


class Frame(Struct, gc=False):
    """One framed message. For SSE: the ``event:`` name (None when unnamed) and the joined
    ``data:`` lines; for NDJSON: one line as ``data`` and no event name.

    Built as ``Frame(event, data)``, where ``data`` is the text or the UTF-8 bytes as framed:
    the decoders hand out bytes, read straight by :meth:`json` and decoded only if :attr:`data`
    is asked for, since most plugins never look at the text itself.
    """

    # A msgspec struct, built in C, because one is made for every frame of every stream.
    event: str | None
    _data: str | bytes

    @property
    def data(self) -> str:
        data = self._data
        if isinstance(data, bytes):
            data = self._data = data.decode("utf-8")
        return data

    def json(self) -> Any:
        """The data read as JSON; raises ``ValueError`` if it is not JSON."""
        # msgspec tried here rather than through loads(), to save a call on every frame.
        try:
            return decode(self._data)
        except REFUSED:
            return loads(self._data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frame):
            return NotImplemented
        return self.event == other.event and self.data == other.data

    __hash__ = None  # type: ignore[assignment]  # compared by value, and mutable

    def __repr__(self) -> str:
        return f"Frame(event={self.event!r}, data={self.data!r})"


class SSEDecoder:
    """Turns bytes into :class:`Frame` objects, following the WHATWG event-stream rules that
    matter for LLM APIs: ``\\n``, ``\\r\\n`` and ``\\r`` line ends, ``:`` comment lines
    (OpenRouter's keep-alives) skipped, several ``data:`` lines joined with ``\\n``, and one
    optional space after the colon removed. ``id:`` and ``retry:`` are ignored: no provider
    resumes a completion stream.

    A read that is exactly one event of the usual shapes, as providers write them, is read on
    its own. Otherwise bytes are kept from the start of the event not yet complete, and whole
    events are cut at their blank line: a stream of ``data: {...}`` events, or ``event:`` then
    ``data:`` (Anthropic's), then costs one step per event rather than one per line.
    """

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[Frame]:
        """Decode ``chunk``; return the events it completed."""
        if not self._buffer:
            # The usual read: exactly one event, written by the provider at once, as a data
            # line or an event line and a data line, with LF or CRLF line ends, is read with one
            # split and a few comparisons; anything else falls through to the general reader.
            lines = chunk.split(b"\n")
            count = len(lines)
            if count == 3:  # data, blank line, nothing after it
                line, blank, rest = lines
                if not rest and line[:6] == b"data: ":
                    if not blank:
                        if 13 not in line:
                            return [Frame(None, line[6:])]
                    elif blank == b"\r" and line[-1] == 13:
                        data = line[6:-1]
                        if 13 not in data:
                            return [Frame(None, data)]
            elif count == 4:  # event, data, blank line, nothing after it
                field, line, blank, rest = lines
                if not blank and not rest and line[:6] == b"data: " and 13 not in line:
                    name = _EVENT_NAMES.get(field) or _event_name(field)
                    if name is not None:
                        return [Frame(name, line[6:])]
        return self._read(chunk)

    def _read(self, chunk: bytes) -> list[Frame]:
        """The general reader: any read, whole events cut at their blank line."""
        buffer = self._buffer + chunk if self._buffer else chunk
        held = b""
        # Bytes are searched for the int 13 or 10, not for b"\r" or b"\n", because a one-byte
        # needle given as an int is searched for with a plain memchr.
        if 13 in buffer:
            if buffer[-1] == 13:
                # A last \r may be the first half of a \r\n split across reads: it waits.
                buffer, held = buffer[:-1], b"\r"
            buffer = buffer.replace(b"\r\n", b"\n")
            if 13 in buffer:
                buffer = buffer.replace(b"\r", b"\n")
        end = buffer.find(b"\n\n")
        if end < 0:
            self._buffer = buffer + held
            return []
        if end == len(buffer) - 2:  # one whole event, completed by this read
            events = [buffer[:end]]
            self._buffer = held
        else:
            events = buffer.split(b"\n\n")
            self._buffer = events.pop() + held
        frames: list[Frame] = []
        for event in events:
            # The loop every streamed event goes through: its two common shapes are read
            # inline, anything else (comments, several data lines, no space) line by line.
            if event[:6] == b"data: ":
                if 10 not in event:
                    frames.append(Frame(None, event[6:]))
                    continue
            elif event[:7] == b"event: ":
                field, _, data = event.partition(b"\n")
                if data[:6] == b"data: " and 10 not in data:
                    frames.append(Frame(_event_name(field), data[6:]))
                    continue
            frame = _frame(event.split(b"\n"))
            if frame is not None:
                frames.append(frame)
        return frames

    def flush(self) -> list[Frame]:
        """At end of stream: an event whose lines all arrived but whose closing blank line did
        not is still delivered; an unterminated last line is dropped, as it may be cut short."""
        rest = self._buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        self._buffer = b""
        frame = _frame(rest.split(b"\n")[:-1])
        return [frame] if frame is not None else []


# Event lines as read (``event: content_block_delta``), with their names, because a stream
# repeats a handful and looking one up is cheaper than checking, cutting and decoding it.
_EVENT_NAMES: dict[bytes, str] = {}
_EVENT_NAMES_KEPT = 64


def _event_name(field: bytes) -> str | None:
    """The name an ``event: NAME`` line gives, kept for the lines that repeat it; None for a
    line of another shape."""
    name = _EVENT_NAMES.get(field)
    if name is None and field[:7] == b"event: " and 13 not in field:
        if len(_EVENT_NAMES) >= _EVENT_NAMES_KEPT:
            _EVENT_NAMES.clear()
        name = _EVENT_NAMES[field] = field[7:].decode("utf-8")
    return name


def _frame(lines: list[bytes]) -> Frame | None:
    """The frame one event's lines make, if they carry data."""
    data: list[bytes] = []
    event: bytes | None = None
    for line in lines:
        if not line or line[0] == 0x3A:  # a blank line (only before the first field) or ":"
            continue
        name, _, value = line.partition(b":")
        if value[:1] == b" ":
            value = value[1:]
        if name == b"data":
            data.append(value)
        elif name == b"event":
            event = value
    if not data:
        return None
    return Frame(None if event is None else event.decode("utf-8"), b"\n".join(data))


class NDJSONDecoder:
    """Turns bytes into frames of newline-delimited JSON (Ollama's native stream), one per
    non-blank line, stripped; the plugin calls ``frame.json()`` (or reads ``frame.data``).
    The core's NDJSON streams are cut the same way inline (see the module's docstring)."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[Frame]:
        """Decode ``chunk``; return the lines it completed."""
        buffer = self._buffer + chunk if self._buffer else chunk
        lines = buffer.split(b"\n")
        if len(lines) == 2:  # one line and what follows it, as most reads are
            line, self._buffer = lines
            text = line.strip()
            return [Frame(None, text)] if text else []
        self._buffer = lines.pop()
        # A loop, not a comprehension: before Python 3.12 a comprehension is a function call
        # of its own.
        frames = []
        for line in lines:
            text = line.strip()
            if text:
                frames.append(Frame(None, text))
        return frames

    def flush(self) -> list[Frame]:
        """At end of stream, a last line without its newline is still delivered: a plugin that
        cannot parse it reports the stream as cut short."""
        rest = self._buffer.strip()
        self._buffer = b""
        return [Frame(None, rest)] if rest else []
