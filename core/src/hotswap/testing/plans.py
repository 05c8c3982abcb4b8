"""From a script step to a plan: exactly what the server writes, and how the response ends.

Pure: a dialect renders the bytes, this module cuts, breaks and paces them as the fault says,
and ``server.py`` only carries the plan out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from hotswap.testing.faults import (
    ContentFilter,
    Cut,
    ErrorFault,
    Hang,
    Malformed,
    PromptBlocked,
    RawResponse,
    Reset,
    ServerFault,
    Slow,
    Stall,
    StreamError,
)
from hotswap.testing.replies import Answer, Finish, Reply, compose, withheld
from hotswap.testing.scripts import Step
from hotswap.testing.wire import ChatRequest, Dialect, Outgoing

__all__ = ["Ending", "Frames", "Plan", "Silence", "Whole", "load_balancer_page", "plan_step"]

Ending = Literal["finish", "close", "reset", "stall"]
"""How a response that has begun ends: ``finish`` completes the HTTP message; ``close`` closes
the connection (FIN) before the body is complete; ``reset`` resets it (RST); ``stall`` sends
nothing more until the client gives up or the simulator stops."""


@dataclass(frozen=True, slots=True)
class Whole:
    """Send a complete response, after ``wait`` seconds."""

    response: Outgoing
    wait: float = 0.0


@dataclass(frozen=True, slots=True)
class Frames:
    """Send a status and headers, then ``frames`` one write at a time, ``pace`` seconds before
    each from the ``paced_from``-th on, then end as ``ending`` says.

    :param content_length: the length promised in ``content-length`` (a non-streaming body
        that is cut or stalled); None for a chunked stream.
    """

    status: int
    content_type: str
    frames: tuple[bytes, ...]
    ending: Ending = "finish"
    pace: float = 0.0
    headers: Mapping[str, str] = field(default_factory=dict)
    content_length: int | None = None
    paced_from: int = 0


@dataclass(frozen=True, slots=True)
class Silence:
    """Send nothing at all: reset the connection, or stall until the client gives up."""

    ending: Literal["reset", "stall"]


Plan: TypeAlias = Whole | Frames | Silence

_StreamFault: TypeAlias = Stall | Reset | Cut | StreamError | Malformed | Slow


def plan_step(step: Step, dialect: Dialect, request: ChatRequest) -> Plan:
    """What to send for ``request`` when its script says ``step``."""
    if isinstance(step, Reply):
        return _render(dialect, request, compose(step, request, id_prefix=dialect.tool_id_prefix))
    if isinstance(step, ServerFault) and step.html:
        return Whole(load_balancer_page(step.status))
    if isinstance(step, ErrorFault):
        return Whole(dialect.error(step, request))
    if isinstance(step, RawResponse):
        return Whole(Outgoing(step.status, step.body.encode(), step.content_type, step.headers))
    if isinstance(step, (ContentFilter, PromptBlocked)):
        finish = Finish.CONTENT_FILTER if isinstance(step, ContentFilter) else Finish.PROMPT_BLOCKED
        if finish not in dialect.refusals:
            return Whole(dialect.unsupported(f"a {finish.value.replace('_', ' ')}", request))
        return _render(dialect, request, withheld(request, finish))
    if isinstance(step, Hang):
        return Silence("stall")
    if isinstance(step, Reset) and step.after is None:
        return Silence("reset")
    if isinstance(step, (Stall, Reset, Cut, StreamError, Malformed, Slow)):
        if request.stream:
            return _faulty_stream(step, dialect, request)
        return _faulty_body(step, dialect, request)
    raise TypeError(f"not a script step: {step!r}")


def _render(dialect: Dialect, request: ChatRequest, answer: Answer) -> Plan:
    if request.stream:
        body = dialect.stream(request, answer)
        return Frames(200, body.content_type, body.frames, headers=body.headers)
    return Whole(dialect.respond(request, answer))


def _faulty_stream(step: _StreamFault, dialect: Dialect, request: ChatRequest) -> Frames:
    body = dialect.stream(request, compose(step.reply, request, id_prefix=dialect.tool_id_prefix))
    frames = body.frames
    ending: Ending = "finish"
    pace, paced_from = 0.0, 0
    if isinstance(step, Slow):
        pace, paced_from = step.delay, step.after
    elif isinstance(step, Malformed):
        frames = _broken(frames, step.after)
    else:
        # A fault "mid-stream" never lets the terminal marker through, however large ``after``.
        frames = frames[: min(step.after or 0, len(frames) - body.tail)]
        if isinstance(step, StreamError):
            frames += (dialect.stream_error(step.error, request),)
        elif isinstance(step, Stall):
            ending = "stall"
        elif isinstance(step, Reset):
            ending = "reset"
    return Frames(200, body.content_type, frames, ending, pace, body.headers, None, paced_from)


def _faulty_body(step: _StreamFault, dialect: Dialect, request: ChatRequest) -> Whole | Frames:
    if isinstance(step, StreamError):
        return Whole(dialect.error(step.error, request))
    answer = compose(step.reply, request, id_prefix=dialect.tool_id_prefix)
    whole = dialect.respond(request, answer)
    if isinstance(step, Slow):
        return Whole(whole, wait=step.delay * len(answer.text_pieces))
    half = whole.body[: len(whole.body) // 2]
    if isinstance(step, Malformed):
        return Whole(Outgoing(whole.status, half, whole.content_type, whole.headers))
    ending: Ending = "stall" if isinstance(step, Stall) else "reset"
    if isinstance(step, Cut):
        ending = "close"
    kept = half if step.after else b""
    return Frames(
        whole.status,
        whole.content_type,
        (kept,),
        ending,
        headers=whole.headers,
        content_length=len(whole.body),
    )


def _broken(frames: tuple[bytes, ...], after: int) -> tuple[bytes, ...]:
    """``frames`` with the first JSON-carrying frame at or after index ``after`` cut in half."""
    for index in range(after, len(frames)):
        frame = frames[index]
        start = frame.find(b"{")
        if start < 0:
            continue
        payload = frame.rstrip()
        ending = frame[len(payload) :]
        cut = payload[: start + (len(payload) - start) // 2] + ending
        return (*frames[:index], cut, *frames[index + 1 :])
    return frames


def load_balancer_page(status: int) -> Outgoing:
    """The HTML error page a load balancer in front of any provider sends for ``status``."""
    titles = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
    title = f"{status} {titles.get(status, 'Server Error')}"
    page = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return Outgoing(status, page.encode(), "text/html")
