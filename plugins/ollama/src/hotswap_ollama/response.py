"""Ollama's answers as hotswap's types: one ``/api/chat`` object, or its NDJSON stream.

Every line of a stream is a partial message (``content``, ``thinking``, whole ``tool_calls``);
the last has ``"done": true`` with ``done_reason`` and the counts, and is what ends the stream
(one that stops before it is cut short). A whole answer is the same object read as a stream of
one line, so the two cannot disagree. A line ``{"error": ...}`` is an error the server sent
after the answer had begun.

``done_reason``: ``stop`` is ``stop``, or ``tool_calls`` when the model called tools (Ollama
has no reason of its own for that); ``length`` is ``length``; anything else is ``other``, the
raw word kept. Usage: ``prompt_eval_count`` is the input, ``eval_count`` the output (thinking
included; Ollama does not count it apart).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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
from hotswap_ollama.provider import PROVIDER

DONE_REASONS = {"stop": FinishReason.STOP, "length": FinishReason.LENGTH}


def parse_chat(body: Any, model: str = "") -> Completion | None:
    """The completion one ``/api/chat`` object holds, answered by the configured ``model``;
    None for an error sent with a 2xx."""
    chat = ChatStream()
    assembler = StreamAssembler()
    for event in chat.read(body):
        if type(event) is StreamFailure:  # final: a failing isinstance costs five times as much
            return None
        assembler.add(event)
    if not chat.finished:
        raise ValueError("the answer is not marked done")
    return assembler.completion(model=model, provider=PROVIDER, raw=body)


class ChatStream:
    """Translates one ``/api/chat`` NDJSON stream. Tool calls are numbered in the order they
    arrive, since each comes whole."""

    framing: Framing = "ndjson"

    def __init__(self) -> None:
        self.finished = False
        self._calls = 0

    def translate(self, frame: Frame) -> Iterable[StreamEvent | StreamFailure]:
        data = frame.json()
        message = data.get("message")
        # A line of text alone, as nearly every line is, read here rather than through read().
        if message and data.get("done") is False and "error" not in data:
            content = message.get("content")
            if content and len(message) == 2 and "role" in message:
                return (TextDelta(content),)
        return self.read(data)

    def read(self, data: Any) -> list[StreamEvent | StreamFailure]:
        """The events one decoded line (or a whole answer) carries."""
        if "error" in data:
            return [StreamFailure(data)]
        message = data.get("message") or {}
        content = message.get("content")
        events: list[StreamEvent | StreamFailure] = []
        if message.get("thinking"):
            events.append(ThinkingDelta(message["thinking"]))
        if content:
            events.append(TextDelta(content))
        for call in message.get("tool_calls") or ():
            function = call["function"]
            events.append(
                ToolCallDelta(
                    self._calls,
                    id=call.get("id") or None,
                    name=function["name"],
                    arguments=json.dumps(function.get("arguments") or {}),
                )
            )
            self._calls += 1
        if data.get("done"):
            self.finished = True
            events.append(UsageUpdate(_usage(data)))
            raw = data.get("done_reason")
            reason = DONE_REASONS.get(raw, FinishReason.OTHER)
            if reason is FinishReason.STOP and self._calls:
                reason = FinishReason.TOOL_CALLS
            events.append(Finish(reason, raw, data.get("model")))
        return events


def _usage(data: dict[str, Any]) -> Usage:
    """The counts the last line reports, and only those."""
    fields: dict[str, int] = {}
    if data.get("prompt_eval_count") is not None:
        fields["input_tokens"] = data["prompt_eval_count"]
    if data.get("eval_count") is not None:
        fields["output_tokens"] = data["eval_count"]
    return Usage(**fields)
