"""What the fault server's four wire formats share: the canonical reply and how it is cut into
pieces, a request's :class:`Asked`, an answer's :class:`Frames`, an error's :class:`Shape`, and
the :class:`WireFormat` each provider's module declares."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

PieceStyle = Literal["leading", "trailing"]
_PIECES: dict[PieceStyle, re.Pattern[str]] = {
    "leading": re.compile(r"\s*\S+|\s+"),  # "reply", " to", " hi:", " w1"
    "trailing": re.compile(r"\S+\s*|\s+"),  # "reply ", "to ", "hi: ", "w1 "
}


def canonical_reply(question: str, words: int) -> str:
    """The one answer every model of the fault server gives to ``question``."""
    return f"reply to {question}: " + " ".join(f"w{i}" for i in range(1, words + 1))


def split_text(text: str, style: PieceStyle) -> list[str]:
    """``text`` as the pieces a stream sends, one word each, whitespace leading or trailing;
    joined, they are ``text`` again."""
    return _PIECES[style].findall(text)


def dump(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class WireFrame:
    """One frame of a stream before rendering: an SSE event name (or None) and its data."""

    data: bytes
    event: str | None = None


@dataclass(frozen=True)
class Frames:
    """An answer's frames: those before its text, one per piece of text, and those that
    finish it (the finish reason, usage, and end marker, as the format has them)."""

    head: list[WireFrame]
    texts: list[WireFrame]
    tail: list[WireFrame]

    @property
    def all(self) -> list[WireFrame]:
        return [*self.head, *self.texts, *self.tail]


@dataclass(frozen=True)
class Shape:
    """An error response: status, headers and body."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "application/json"


@dataclass(frozen=True)
class Asked:
    """What a request asks: of which model, streamed or not, the question (the conversation's
    first user text), how many turns the conversation has, and a partial answer to continue
    (Anthropic's prefill) if any."""

    model: str
    stream: bool
    question: str
    turns: int = 1
    prefill: str | None = None
    include_usage: bool = False
    input_words: int = 0


@dataclass(frozen=True)
class Usage:
    """The token counts an answer reports."""

    input: int
    output: int


@dataclass
class WireFormat:
    """One provider's format. ``errors`` maps ``(kind, variant)`` to a builder of the shape
    (called per response, so timestamps are fresh); ``stream_errors`` maps a kind to the
    frame reporting it inside a stream."""

    name: str
    stream_type: str
    whole_type: str
    render: Callable[[WireFrame], bytes]
    asked: Callable[[str, Mapping[str, str], Any], Asked]
    frames: Callable[[Asked, list[str], Usage], Frames]
    whole: Callable[[Asked, str, Usage], bytes]
    errors: dict[tuple[str, str], Callable[[], Shape]] = field(default_factory=dict)
    stream_errors: dict[str, WireFrame] = field(default_factory=dict)
    garbage: bytes = b"data: garbage after the end\n\n"

    def kinds(self) -> list[tuple[str, str]]:
        """Every ``(kind, variant)`` error shape this format has."""
        return list(self.errors)


def user_texts(items: Any, role_key: str, user: str, text_of: Callable[[Any], str]) -> list[str]:
    return [text_of(item) for item in items or () if item.get(role_key) == user]


def joined(content: Any, key: str = "text") -> str:
    """The text of a message's content: a string, or the ``text`` of its parts."""
    if isinstance(content, str):
        return content
    return "".join(part.get(key, "") for part in content or () if isinstance(part, dict))


def sse(frame: WireFrame) -> bytes:
    event = b"event: %s\n" % frame.event.encode() if frame.event else b""
    return event + b"data: " + frame.data + b"\n\n"


def sse_crlf(frame: WireFrame) -> bytes:
    return b"data: " + frame.data + b"\r\n\r\n"


def ndjson_line(frame: WireFrame) -> bytes:
    return frame.data + b"\n"


def count_words(value: Any) -> int:
    return len(json.dumps(value).split())
