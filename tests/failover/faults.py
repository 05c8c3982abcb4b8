"""What the fault server can do to one request instead of answering it well, one constructor
per fault. A :class:`Fault` names the fault and its parameters; the server carries it out in
whichever wire format the request speaks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ANSWER",
    "Fault",
    "close_before_headers",
    "cut_after",
    "error",
    "malformed",
    "rst_after",
    "rst_before_headers",
    "slow",
    "stall_after",
    "stall_after_headers",
    "stall_before_headers",
    "stream_error",
    "trailing_garbage",
]

FaultName = Literal[
    "answer",
    "rst_before_headers",
    "close_before_headers",
    "stall_before_headers",
    "stall_after_headers",
    "stall_after",
    "cut_after",
    "rst_after",
    "malformed",
    "slow",
    "trailing_garbage",
    "error",
    "stream_error",
]
Malformation = Literal["json", "utf8", "shape"]


@dataclass(frozen=True)
class Fault:
    """What one request gets instead of (or on the way to) the answer.

    :param name: the fault.
    :param after: how many text frames are sent before it strikes (counting on into the
        frames that finish the answer when it is larger than the text); for a whole answer,
        how much of the body (in as many parts as the text has pieces, plus one), always
        short of its last byte.
    :param delay: ``slow``: the wait before each frame.
    :param kind: ``error`` and ``stream_error``: the error kind the shape means.
    :param variant: ``error``: which of the format's shapes for ``kind`` (the first if
        empty); ``malformed``: ``json``, ``utf8`` or ``shape``.
    """

    name: FaultName
    after: int = 0
    delay: float = 0.0
    kind: str = ""
    variant: str = ""

    def __str__(self) -> str:
        given = {"after": self.after, "delay": self.delay, "kind": self.kind, "how": self.variant}
        return f"{self.name}({', '.join(f'{k}={v}' for k, v in given.items() if v)})"


ANSWER = Fault("answer")


def rst_before_headers() -> Fault:
    """The connection is reset (TCP RST: SO_LINGER 0, then close) once the request is read."""
    return Fault("rst_before_headers")


def close_before_headers() -> Fault:
    """The connection is closed cleanly (FIN) once the request is read, with no answer."""
    return Fault("close_before_headers")


def stall_before_headers() -> Fault:
    """Nothing is sent, and the socket stays open until the client closes it."""
    return Fault("stall_before_headers")


def stall_after_headers() -> Fault:
    """The headers of a good answer, then nothing, the socket open until the client closes it."""
    return Fault("stall_after_headers")


def stall_after(frames: int) -> Fault:
    """``frames`` text frames, then nothing, the socket open until the client closes it."""
    return Fault("stall_after", after=frames)


def cut_after(frames: int) -> Fault:
    """``frames`` text frames, then a clean close without the chunked body's ``0\\r\\n\\r\\n``
    (a Content-Length body closes before its end)."""
    return Fault("cut_after", after=frames)


def rst_after(frames: int) -> Fault:
    """``frames`` text frames, then a TCP reset."""
    return Fault("rst_after", after=frames)


def malformed(frames: int, how: Malformation = "json") -> Fault:
    """``frames`` text frames, then the next frame broken (``json``: cut in half; ``utf8``:
    invalid UTF-8 inside it; ``shape``: a JSON array where an object belongs), then the rest.
    A whole answer's body is broken the same way."""
    return Fault("malformed", after=frames, variant=how)


def slow(delay: float) -> Fault:
    """A good answer, waiting ``delay`` seconds before each frame (or each part of a body)."""
    return Fault("slow", delay=delay)


def trailing_garbage() -> Fault:
    """A good answer, then bytes that are not a frame after the provider's completion signal."""
    return Fault("trailing_garbage")


def error(kind: str, variant: str = "") -> Fault:
    """The format's error response meaning ``kind`` (``rate_limited``, ``overloaded``,
    ``server_error``, ``quota_exhausted``, ``auth``, ``permission``), in its ``variant``."""
    return Fault("error", kind=kind, variant=variant)


def stream_error(kind: str, after: int = 0) -> Fault:
    """``after`` text frames, then the format's in-stream error event meaning ``kind``."""
    return Fault("stream_error", after=after, kind=kind)
