"""Anthropic's answers as hotswap's types: a whole message, or its stream of SSE events.

Stop reasons: ``end_turn`` and ``stop_sequence`` are ``stop``, ``max_tokens`` is ``length``,
``tool_use`` is ``tool_calls``, ``pause_turn`` is ``paused``, ``refusal`` is
``content_filter``. ``model_context_window_exceeded`` is ``length``, not an error: the answer
so far is kept, as with ``max_tokens``. Any other reason is ``other``, the raw word kept.
Input usage counts cached input too (``input_tokens`` + cache writes + cache reads).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from hotswap.plugin import (
    Completion,
    Finish,
    FinishReason,
    Frame,
    Framing,
    StreamAssembler,
    StreamEvent,
    StreamFailure,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)
from hotswap_anthropic.provider import PROVIDER

STOP_REASONS = {
    "end_turn": FinishReason.STOP,
    "stop_sequence": FinishReason.STOP,
    "max_tokens": FinishReason.LENGTH,
    "tool_use": FinishReason.TOOL_CALLS,
    "pause_turn": FinishReason.PAUSED,
    "refusal": FinishReason.CONTENT_FILTER,
    "model_context_window_exceeded": FinishReason.LENGTH,
}
_INPUT = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")


def usage(reported: Mapping[str, Any], inputs: dict[str, int] | None = None) -> Usage:
    """The counts ``reported`` holds, and only those (a null count is not reported). ``inputs``
    keeps the input counts seen so far in a stream, where later events may leave some out."""
    inputs = {} if inputs is None else inputs
    fresh = {name: reported[name] for name in _INPUT if reported.get(name) is not None}
    inputs.update(fresh)
    fields: dict[str, int] = {}
    if fresh:
        fields["input_tokens"] = sum(inputs.values())
    if "cache_read_input_tokens" in fresh:
        fields["cache_read_tokens"] = fresh["cache_read_input_tokens"]
    if "cache_creation_input_tokens" in fresh:
        fields["cache_write_tokens"] = fresh["cache_creation_input_tokens"]
    if reported.get("output_tokens") is not None:
        fields["output_tokens"] = reported["output_tokens"]
    return Usage(**fields)


def parse_message(body: Any, model: str = "") -> Completion | None:
    """The completion a ``/messages`` body holds, its content blocks read as a stream's are,
    answered by the configured ``model``; None for an error body sent with a 2xx."""
    if body.get("type") == "error":
        return None
    blocks = MessageStream()
    assembler = StreamAssembler()
    assembler.add(UsageUpdate(usage(body.get("usage") or {})))
    for index, block in enumerate(body["content"]):
        for event in blocks.start(index, block):
            assembler.add(event)
    raw = body.get("stop_reason")
    assembler.add(Finish(STOP_REASONS.get(raw, FinishReason.OTHER), raw, body.get("model")))
    return assembler.completion(model=model, provider=PROVIDER, raw=body)


class MessageStream:
    """Translates one ``/messages`` event stream. Tool calls and thinking blocks are keyed by
    the content block's index, so their pieces join up in the core's assembler."""

    framing: Framing = "sse"

    def __init__(self) -> None:
        self.finished = False
        self._model_id: str | None = None
        self._inputs: dict[str, int] = {}
        self._thinking_blocks: dict[int, int] = {}  # content index -> thinking block number
        self._finish_sent = False

    def translate(self, frame: Frame) -> Iterable[StreamEvent | StreamFailure]:
        data = frame.json()
        kind = data["type"]
        if kind == "content_block_delta":
            delta = data["delta"]
            if delta["type"] == "text_delta":  # nearly every event of a stream
                return (TextDelta(delta["text"]),)
            return self._delta(data["index"], delta)
        if kind == "content_block_start":
            return self.start(data["index"], data["content_block"])
        if kind == "message_start":
            message = data["message"]
            self._model_id = message.get("model")
            return (UsageUpdate(usage(message.get("usage") or {}, self._inputs)),)
        if kind == "message_delta":
            events: list[StreamEvent] = []
            if data.get("usage"):
                events.append(UsageUpdate(usage(data["usage"], self._inputs)))
            raw = data["delta"].get("stop_reason")
            if raw is not None:
                reason = STOP_REASONS.get(raw, FinishReason.OTHER)
                events.append(Finish(reason, raw, self._model_id))
                self._finish_sent = True
            return events
        if kind == "message_stop":
            self.finished = True
            return () if self._finish_sent else (Finish(FinishReason.OTHER, None, self._model_id),)
        if kind == "error":
            return (StreamFailure(data),)
        return ()  # ping, content_block_stop, and event types added later

    def start(self, index: int, block: dict[str, Any]) -> tuple[StreamEvent, ...]:
        """The events a content block carries as it starts (all of it, in a whole message)."""
        kind = block["type"]
        if kind == "tool_use":
            given = json.dumps(block["input"]) if block.get("input") else ""
            return (ToolCallDelta(index, id=block["id"], name=block["name"], arguments=given),)
        if kind == "text":
            return (TextDelta(block["text"]),) if block.get("text") else ()
        if kind not in ("thinking", "redacted_thinking"):
            return ()
        number = self._thinking_blocks.setdefault(index, len(self._thinking_blocks))
        if kind == "redacted_thinking":
            return (ThinkingDelta(redacted=block["data"], block=number),)
        text, signature = block.get("thinking", ""), block.get("signature") or None
        return (ThinkingDelta(text, signature, block=number),) if text or signature else ()

    def _delta(self, index: int, delta: dict[str, Any]) -> tuple[StreamEvent, ...]:
        kind = delta["type"]
        if kind == "text_delta":
            return (TextDelta(delta["text"]),)
        if kind == "input_json_delta":
            return (ToolCallDelta(index, arguments=delta["partial_json"]),)
        if kind == "thinking_delta":
            return (ThinkingDelta(delta["thinking"], block=self._thinking_blocks[index]),)
        if kind == "signature_delta":
            return (
                ThinkingDelta(signature=delta["signature"], block=self._thinking_blocks[index]),
            )
        return ()  # citations_delta: not translated
