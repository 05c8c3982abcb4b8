"""Gemini's answers as hotswap's types: one ``GenerateContentResponse``, or an SSE stream of
partial ones.

Each part of the first candidate becomes an event: text is ``TextDelta``; a thought
(``"thought": true``) is ``ThinkingDelta``, consecutive thought parts forming one block; a
``functionCall`` arrives whole and is a ``ToolCallDelta`` of its own, numbered in order, its
``thoughtSignature`` (with the model that made it) and any ``id`` kept in ``extra``. A signature
on a text part is kept as a reasoning block of its own with no text, so it can go back.

Finish reasons: ``STOP`` is ``stop``, or ``tool_calls`` when the model called functions (Gemini
has no reason of its own for that); ``MAX_TOKENS`` is ``length``; ``SAFETY``, ``RECITATION``,
``BLOCKLIST``, ``PROHIBITED_CONTENT``, ``SPII`` and the ``IMAGE_*`` refusals are
``content_filter``; anything else is ``other``, the raw word kept. A finish reason is what ends
a stream (Gemini sends no end marker). A prompt Gemini blocked (``promptFeedback.blockReason``,
no candidates) and an answer the model broke (``MALFORMED_FUNCTION_CALL``,
``UNEXPECTED_TOOL_CALL``, ``TOO_MANY_TOOL_CALLS``) are errors, not answers: they go to
:mod:`~hotswap_google.errors` to be classified.

Usage: ``promptTokenCount`` (plus ``toolUsePromptTokenCount``) is the input, cached content
included and also given as ``cache_read_tokens`` (``cachedContentTokenCount``); the output is
``candidatesTokenCount`` plus ``thoughtsTokenCount``, which is also given as ``thinking_tokens``.
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
from hotswap_google.provider import PROVIDER
from hotswap_google.request import CALL_ID, SIGNATURE, SIGNED_BY

FILTERED = frozenset(
    (
        "SAFETY",
        "RECITATION",
        "BLOCKLIST",
        "PROHIBITED_CONTENT",
        "SPII",
        "IMAGE_SAFETY",
        "IMAGE_PROHIBITED_CONTENT",
        "IMAGE_RECITATION",
    )
)
MODEL_ERRORS = frozenset(("MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS"))
FINISH_REASONS = {
    "STOP": FinishReason.STOP,
    "MAX_TOKENS": FinishReason.LENGTH,
    **dict.fromkeys(FILTERED, FinishReason.CONTENT_FILTER),
}


def parse_generate(body: Any, model_id: str, model: str = "") -> Completion | None:
    """The completion a ``generateContent`` body holds, its parts read as a stream's are,
    answered by the configured ``model``; None for a blocked prompt or a broken answer
    (classified as errors instead)."""
    answer = GenerateStream(model_id)
    assembler = StreamAssembler()
    for event in answer.read(body):
        if type(event) is StreamFailure:  # final: a failing isinstance costs five times as much
            return None
        assembler.add(event)
    if not answer.finished:
        assembler.add(Finish(FinishReason.OTHER, None, body.get("modelVersion")))
    return assembler.completion(model=model, provider=PROVIDER, raw=body)


def blocked(payload: Any) -> bool:
    """Whether a response body says Gemini blocked the prompt."""
    # dict, not Mapping: decoded JSON, and an ABC's isinstance costs several times as much.
    feedback = payload.get("promptFeedback") if isinstance(payload, dict) else None
    return isinstance(feedback, dict) and bool(feedback.get("blockReason"))


class GenerateStream:
    """Translates one ``streamGenerateContent?alt=sse`` stream.

    :param model_id: the model asked, recorded with the thought signatures it makes.
    """

    framing: Framing = "sse"

    def __init__(self, model_id: str) -> None:
        self.finished = False
        self._model_id = model_id
        self._calls = 0
        self._blocks = 0
        self._thinking = False  # whether the last part was a thought, so the next continues it

    def translate(self, frame: Frame) -> Iterable[StreamEvent | StreamFailure]:
        return self.read(frame.json())

    def read(self, data: Any) -> list[StreamEvent | StreamFailure]:
        """The events one response (a whole one, or one streamed piece) carries."""
        if "error" in data or blocked(data):
            return [StreamFailure(data)]
        events: list[StreamEvent | StreamFailure] = []
        candidates = data.get("candidates") or [{}]
        candidate = candidates[0]
        for part in (candidate.get("content") or {}).get("parts") or ():
            text = part.get("text")
            if len(part) == 1 and type(text) is str:  # text alone, as most parts are
                self._thinking = False
                if text:
                    events.append(TextDelta(text))
            else:
                events.extend(self._part(part))
        raw = candidate.get("finishReason")
        if raw in MODEL_ERRORS:
            return [*events, StreamFailure(data)]
        if data.get("usageMetadata"):
            events.append(UsageUpdate(usage(data["usageMetadata"])))
        if raw and not self.finished:
            self.finished = True
            reason = FINISH_REASONS.get(raw, FinishReason.OTHER)
            if reason is FinishReason.STOP and self._calls:
                reason = FinishReason.TOOL_CALLS
            events.append(Finish(reason, raw, data.get("modelVersion")))
        return events

    def _part(self, part: Mapping[str, Any]) -> list[StreamEvent]:
        signature = part.get(SIGNATURE) or None
        if part.get("thought"):
            if not self._thinking:
                self._thinking, self._blocks = True, self._blocks + 1
            return [ThinkingDelta(part.get("text", ""), signature, block=self._blocks - 1)]
        self._thinking = False
        if "functionCall" in part:
            return [self._call(part["functionCall"], signature)]
        events: list[StreamEvent] = []
        if part.get("text"):
            events.append(TextDelta(part["text"]))
        if signature and "text" in part:
            events.append(ThinkingDelta(signature=signature, block=self._blocks))
            self._blocks += 1
        return events

    def _call(self, call: Mapping[str, Any], signature: str | None) -> ToolCallDelta:
        extra: dict[str, Any] = {}
        if signature:
            extra.update({SIGNATURE: signature, SIGNED_BY: self._model_id})
        if call.get("id"):
            extra[CALL_ID] = call["id"]
        index, self._calls = self._calls, self._calls + 1
        return ToolCallDelta(
            index,
            id=call.get("id") or None,
            name=call["name"],
            arguments=json.dumps(call.get("args") or {}),
            extra=extra or None,
        )


def usage(reported: Mapping[str, Any]) -> Usage:
    """The counts ``usageMetadata`` holds, and only those."""
    fields: dict[str, int] = {}
    prompt, tools = reported.get("promptTokenCount"), reported.get("toolUsePromptTokenCount")
    if prompt is not None or tools is not None:
        fields["input_tokens"] = (prompt or 0) + (tools or 0)
    answer, thoughts = reported.get("candidatesTokenCount"), reported.get("thoughtsTokenCount")
    if answer is not None or thoughts is not None:
        fields["output_tokens"] = (answer or 0) + (thoughts or 0)
    if thoughts is not None:
        fields["thinking_tokens"] = thoughts
    if reported.get("cachedContentTokenCount") is not None:
        fields["cache_read_tokens"] = reported["cachedContentTokenCount"]
    return Usage(**fields)
