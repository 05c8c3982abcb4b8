"""The plugin side of a stream (a :class:`StreamTranslator`) and the core's
:class:`StreamAssembler`, which folds stream events into one :class:`Completion`.

Per stream, the core asks the provider's plugin for a translator, decodes the response body
with the framing the translator names, hands it each frame, and passes the events on. At the
end of the body it asks ``translator.finished``: a stream that stops before the provider
signalled completion is a ``connection`` error, never a truncated success.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from hotswap.plugin.framing import Frame, Framing, NDJSONDecoder, SSEDecoder
from hotswap.types import codec as jsoncodec
from hotswap.types.attempts import Attempt
from hotswap.types.completion import Completion, FinishReason, Usage
from hotswap.types.errors import ErrorClassification, ErrorKind, ProviderError
from hotswap.types.events import (
    Finish,
    StreamEvent,
    StreamFailure,
    StreamReset,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    UsageUpdate,
)
from hotswap.types.messages import ThinkingPart, ToolCall

__all__ = ["FrameDecoder", "StreamAssembler", "StreamTranslator", "frame_decoder"]


class StreamTranslator(Protocol):
    """Turns one provider stream's frames into hotswap events. One instance per stream, so it
    may keep state (a tool call's partial JSON, the index of the open content block).

    :ivar framing: how the provider frames the stream: ``"sse"`` or ``"ndjson"``.
    :ivar finished: whether the provider has signalled completion (``message_stop``, a finish
        reason, ``done: true``); read by the core when the body ends.

    A translator that holds events back for a trailer the provider may leave out (a finish kept
    until the usage chunk or ``data: [DONE]``) may also define ``close() -> Iterable[StreamEvent]``:
    the core calls it once, when a finished body ends, and passes on what it returns.
    """

    framing: Framing
    finished: bool

    def translate(self, frame: Frame) -> Iterable[StreamEvent | StreamFailure]:
        """The events one frame carries: often none (a ping), usually one."""
        ...


class FrameDecoder(Protocol):
    def feed(self, chunk: bytes) -> list[Frame]: ...
    def flush(self) -> list[Frame]: ...


def frame_decoder(framing: Framing) -> FrameDecoder:
    """A fresh incremental decoder for ``framing``."""
    return SSEDecoder() if framing == "sse" else NDJSONDecoder()


class StreamAssembler:
    """Collects a stream's events into the :class:`Completion` they add up to.

    Tool-call pieces are joined by index and their JSON arguments parsed once, at the end; usage
    updates are merged field by field; reasoning deltas are grouped into blocks.
    """

    def __init__(self) -> None:
        self._start_over()

    def _start_over(self) -> None:
        self._text: list[str] = []
        self._thinking: dict[int, list[ThinkingDelta]] = {}
        self._calls: dict[int, list[ToolCallDelta]] = {}
        self._usages: list[Usage] = []
        self._finish: Finish | None = None

    @property
    def text(self) -> str:
        """The text received so far (what a caller has already been shown)."""
        return "".join(self._text)

    @property
    def calling_tools(self) -> bool:
        """Whether any piece of a tool call has arrived."""
        return bool(self._calls)

    def add(self, event: StreamEvent) -> None:
        # The events every answer carries, by their exact type first, because an isinstance
        # check that fails on a msgspec struct goes through its slow metaclass.
        if type(event) is TextDelta:
            self._text.append(event.text)
        elif type(event) is UsageUpdate:
            self._usages.append(event.usage)
        elif type(event) is Finish:
            self._finish = event
        else:
            self._add(event)

    def _add(self, event: StreamEvent) -> None:
        """Any event, of its type or a subclass of it."""
        if isinstance(event, TextDelta):
            self._text.append(event.text)
        elif isinstance(event, ToolCallDelta):
            self._calls.setdefault(event.index, []).append(event)
        elif isinstance(event, ThinkingDelta):
            self._thinking.setdefault(event.block, []).append(event)
        elif isinstance(event, UsageUpdate):
            # Kept as they come and merged once, at the end: a stream may carry a usage update
            # per chunk, and most answers carry one, which is then the answer's as it is.
            self._usages.append(event.usage)
        elif isinstance(event, StreamReset):
            self._start_over()
        else:
            self._finish = event

    def completion(
        self,
        *,
        model: str = "",
        provider: str = "",
        model_id: str = "",
        attempts: tuple[Attempt, ...] = (),
        raw: Any = None,
    ) -> Completion:
        """The completion the events add up to, with the given fields. Raises a
        ``server_error`` if the model wrote tool-call arguments that are not valid JSON."""
        finish = self._finish
        # The generators are skipped when empty, as they are in most answers: each costs more
        # to start than the tuple it would make.
        calls = self._calls
        thinking = self._thinking
        reason, raw_reason, reported_id = (
            (finish.reason, finish.raw_reason, finish.model_id or model_id)
            if finish
            else (FinishReason.OTHER, None, model_id)
        )
        # Validated: what a plugin's events carry is coerced or refused as a caller's would be.
        return Completion(
            text=self.text,
            tool_calls=tuple(self._tool_call(i, pieces) for i, pieces in calls.items())
            if calls
            else (),
            thinking=tuple(_thinking_part(pieces, provider) for pieces in thinking.values())
            if thinking
            else (),
            finish_reason=reason,
            raw_finish_reason=raw_reason,
            usage=self._total_usage(),
            model=model,
            provider=provider,
            model_id=reported_id,
            attempts=attempts,
            raw=raw,
        )

    def _total_usage(self) -> Usage:
        """The updates merged field by field: a count left out of a later update (one not set
        on its ``Usage``) keeps its earlier value."""
        if len(self._usages) == 1:
            return self._usages[0]
        counts: dict[str, int] = {}
        for usage in self._usages:
            counts.update((name, getattr(usage, name)) for name in usage.model_fields_set)
        return Usage(**counts)

    def _tool_call(self, index: int, pieces: list[ToolCallDelta]) -> ToolCall:
        call_id = next((p.id for p in pieces if p.id), f"call_{index}")
        name = next((p.name for p in pieces if p.name), "")
        text = "".join(p.arguments for p in pieces)
        extra: dict[str, object] = {}
        for piece in pieces:
            extra.update(piece.extra or {})
        try:
            arguments = jsoncodec.loads(text) if text.strip() else {}
        except ValueError:
            arguments = None
        if not isinstance(arguments, dict):
            raise ProviderError.from_classification(
                ErrorClassification(
                    ErrorKind.SERVER_ERROR,
                    f"the model's arguments for tool call {name!r} are not a JSON object",
                    code="malformed_tool_call",
                )
            )
        return ToolCall(id=call_id, name=name, arguments=arguments, extra=extra)


def _thinking_part(pieces: list[ThinkingDelta], provider: str) -> ThinkingPart:
    return ThinkingPart(
        text="".join(p.text for p in pieces),
        signature=next((p.signature for p in reversed(pieces) if p.signature), None),
        redacted=next((p.redacted for p in pieces if p.redacted), None),
        provider=provider or None,
    )
