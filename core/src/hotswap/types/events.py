"""Stream events: what a streaming completion yields, in order, as the provider sends it.

Events are frozen msgspec structs rather than pydantic models or dataclasses: one is made per
chunk of every stream, they are produced by plugins rather than validated from user input, and
a struct is built in C (a ``TextDelta``: 0.04 µs, against 0.21 for a frozen dataclass and 0.8 for
a model). They compare, print, pickle and ``match`` as dataclasses do, and cannot be changed;
``msgspec.structs.replace`` copies one with fields changed. Those holding only text, numbers
and enums are left untracked by the garbage collector (``gc=False``): they cannot be part of a
reference cycle, and untracked they build faster still.

A stream yields any number of :class:`TextDelta`, :class:`ThinkingDelta`,
:class:`ToolCallDelta` and :class:`UsageUpdate` events and ends with exactly one
:class:`Finish`. A chain whose ``stream_recovery`` is ``restart`` may also yield a
:class:`StreamReset` when a model fails after it has shown content: everything before it is to
be discarded, and the next model's answer follows. :class:`StreamFailure` travels only from a
plugin to the core: it reports an error the provider sent inside the stream; consumers never
receive it.
"""

from __future__ import annotations

from typing import Any, final

from msgspec import Struct

from hotswap.types.completion import FinishReason, Usage

__all__ = [
    "Finish",
    "StreamEvent",
    "StreamFailure",
    "StreamReset",
    "TextDelta",
    "ThinkingDelta",
    "ToolCallDelta",
    "UsageUpdate",
]


class TextDelta(Struct, frozen=True, gc=False):
    """More answer text."""

    text: str


class ThinkingDelta(Struct, frozen=True, gc=False):
    """More reasoning text, or the signature / redacted data that closes a reasoning block.

    :param block: which reasoning block of the answer this belongs to (0 for the first).
    """

    text: str = ""
    signature: str | None = None
    redacted: str | None = None
    block: int = 0


class ToolCallDelta(Struct, frozen=True):
    """A piece of a tool call. Pieces with the same ``index`` form one call: ``id`` and
    ``name`` arrive at least once, ``arguments`` are JSON text fragments to concatenate.

    :param extra: provider data to keep with the finished call (see ``ToolCall.extra``).
    """

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""
    extra: dict[str, Any] | None = None


class UsageUpdate(Struct, frozen=True):
    """Token counts so far. Later updates replace earlier ones field by field: a count the
    provider left out of a later update (one not set on its ``Usage``) keeps its earlier value."""

    usage: Usage


class Finish(Struct, frozen=True, gc=False):
    """The provider signalled the end of its answer, and why."""

    reason: FinishReason
    raw_reason: str | None = None
    model_id: str | None = None


class StreamReset(Struct, frozen=True, gc=False):
    """Discard what this stream has shown so far: the model giving it failed part-way, and the
    next model answers the original request from the start (``stream_recovery = "restart"``).

    :param model: the config name of the model that failed.
    :param reason: why, for people (``overloaded: ...``).
    """

    model: str
    reason: str


@final
class StreamFailure(Struct, frozen=True):
    """The provider reported an error inside a stream (plugin → core only).

    :param payload: the provider's decoded error object, classified by ``hotswap_classify_error``.

    Final: the core finds one among a frame's events by its exact type, which is a quarter of
    the cost of ``isinstance`` on a msgspec struct.
    """

    payload: Any


StreamEvent = TextDelta | ThinkingDelta | ToolCallDelta | UsageUpdate | Finish | StreamReset
"""What a consumer of a stream receives."""
