"""Chat-completions answers as hotswap's types: a whole ``chat.completion``, or its chunk stream.

A whole answer is read as one chunk of a stream whose ``delta`` is the ``message``, through the
same translation and the core's assembler, so the two cannot disagree.

* **Text**: ``content`` as a string, or a list of ``text`` chunks (Mistral's reasoning models).
  A ``refusal`` is the text, and the answer finishes ``content_filter``.
* **Reasoning text**: ``reasoning`` (Groq, OpenRouter, Ollama), ``reasoning_content`` (xAI,
  DeepSeek, vLLM) or ``thinking`` chunks in ``content`` (Mistral).
* **Tool calls**: fragments keyed by ``index`` (or, where a provider leaves it out, by their
  ``id``); ``arguments`` given as an object rather than a JSON string are accepted.
* **Finish reasons**: ``stop`` → ``stop``; ``length`` and ``model_length`` → ``length``;
  ``tool_calls`` and ``function_call`` → ``tool_calls``; ``content_filter`` →
  ``content_filter``; anything else → ``other``, the raw word kept. ``error`` is no finish:
  the answer failed (Mistral, OpenRouter).
* **Usage**: ``prompt_tokens`` (with ``prompt_tokens_details.cached_tokens``) and
  ``completion_tokens`` (with ``completion_tokens_details.reasoning_tokens``), wherever the
  provider's quirks say a chunk carries it.
* **Errors in a 200**: a body or chunk with an ``error`` (or a finish reason ``error``) is
  handed back for classification, never read as an answer.
* **The end**: the stream is finished once a finish reason arrives; ``data: [DONE]`` may follow
  or not. The :class:`~hotswap.plugin.Finish` event is held back until the usage that follows
  the finish reason (or ``[DONE]``), so a stream's events end with it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from hotswap_openai.quirks import Quirks

__all__ = ["FINISH_REASONS", "ChatStream", "parse_completion", "usage"]

FINISH_REASONS = {
    "stop": FinishReason.STOP,
    "length": FinishReason.LENGTH,
    "model_length": FinishReason.LENGTH,
    "tool_calls": FinishReason.TOOL_CALLS,
    "function_call": FinishReason.TOOL_CALLS,
    "content_filter": FinishReason.CONTENT_FILTER,
}
_FAILED = "error"


def usage(reported: Mapping[str, Any]) -> Usage:
    """The counts ``reported`` holds, and only those."""
    fields: dict[str, int] = {}
    if isinstance(reported.get("prompt_tokens"), int):
        fields["input_tokens"] = reported["prompt_tokens"]
    if isinstance(reported.get("completion_tokens"), int):
        fields["output_tokens"] = reported["completion_tokens"]
    details = reported.get("prompt_tokens_details")
    if details and isinstance(cached := details.get("cached_tokens"), int):
        fields["cache_read_tokens"] = cached
    details = reported.get("completion_tokens_details")
    if details and isinstance(reasoning := details.get("reasoning_tokens"), int):
        fields["thinking_tokens"] = reasoning
    return Usage(**fields)


def parse_completion(
    body: Any, quirks: Quirks, *, provider: str, model: str = ""
) -> Completion | None:
    """The completion a ``chat.completion`` body holds, answered by the configured ``model``;
    None for an error sent with a 2xx."""
    if not isinstance(body, dict) or not body.get("choices"):
        return None
    # Every choice is kept, so the chunk's check for an error covers them all, as the body's.
    first, *others = body["choices"]
    chunk = {**body, "choices": [{**first, "delta": first.get("message") or {}}, *others]}
    stream = ChatStream(quirks)
    assembler = StreamAssembler()
    for event in (*stream.translate_chunk(chunk), *stream.close()):
        if type(event) is StreamFailure:  # final: a failing isinstance costs five times as much
            return None
        assembler.add(event)
    return assembler.completion(model=model, provider=provider, raw=body)


def failed(chunk: Mapping[str, Any]) -> bool:
    """Whether a body or chunk reports an error rather than an answer."""
    error = chunk.get("error")
    if error is not None and error != "" and error != {}:
        return True
    x_groq = chunk.get("x_groq")
    if isinstance(x_groq, dict) and x_groq.get("error"):
        return True
    # A loop, not any() over a generator: this runs on every answer, and starting a
    # generator costs more than the one or two choices it would look at.
    for choice in chunk.get("choices") or ():  # noqa: SIM110
        if choice.get("finish_reason") == _FAILED:
            return True
    return False


class ChatStream:
    """Translates one chat-completions SSE stream."""

    framing: Framing = "sse"

    def __init__(self, quirks: Quirks) -> None:
        self.finished = False
        self._quirks = quirks
        self._finish: Finish | None = None  # held back until usage or [DONE]
        self._model_id: str | None = None
        self._refused = False
        self._indexes: dict[str, int] = {}  # tool-call id -> index, for chunks without one
        self._last_index = -1
        self._usage_paths = paths = _usage_paths(quirks.usage_fields)
        # Usage's one top-level place, where it has one: translate() then looks only there.
        self._usage_at = paths[0][0] if len(paths) == 1 and not paths[0][1] else None

    def translate(self, frame: Frame) -> Iterable[StreamEvent | StreamFailure]:
        try:
            chunk = frame.json()
        except ValueError:
            # ``[DONE]``, the last frame, is the one that is not JSON: read as such only then.
            if frame.data.strip() == "[DONE]":
                return self.close()
            raise
        # A chunk of text alone, as nearly every chunk is, read here rather than through
        # translate_chunk(): one choice, no error, finish or usage, a delta of content only.
        # Usage is looked for at its one place; a provider with several always reads in full.
        choices = chunk.get("choices")
        usage_at = self._usage_at
        if (
            choices
            and len(choices) == 1
            and usage_at
            and chunk.get(usage_at) is None
            and "error" not in chunk
            and "x_groq" not in chunk
        ):
            choice = choices[0]
            delta = choice.get("delta")
            if delta and len(delta) == 1 and not choice.get("finish_reason"):
                content = delta.get("content")
                if content and content.__class__ is str:
                    self._model_id = chunk.get("model") or self._model_id
                    return (TextDelta(content),)
        return self.translate_chunk(chunk)

    def close(self) -> tuple[StreamEvent, ...]:
        """The held-back finish, at ``[DONE]`` (or the end of a whole answer)."""
        self.finished = True
        finish, self._finish = self._finish, None
        return (finish,) if finish else ()

    def translate_chunk(self, chunk: dict[str, Any]) -> list[StreamEvent | StreamFailure]:
        """The events one decoded chunk carries."""
        choices = chunk.get("choices") or ()
        choice = choices[0] if choices else {}
        # A chunk of text, the most common by far, cannot be a failure: the full check only
        # runs for a chunk that has an error field, several choices or a finish reason.
        raw = choice.get("finish_reason")
        if (raw or len(choices) != 1 or "error" in chunk or "x_groq" in chunk) and failed(chunk):
            return [StreamFailure(chunk)]
        model_id = chunk.get("model")
        if model_id:
            self._model_id = model_id
        events: list[StreamEvent | StreamFailure] = []
        delta = choice.get("delta")
        if delta:
            content = delta.get("content")
            if len(delta) == 1 and type(content) is str:  # text alone, as most chunks carry
                if content:
                    events.append(TextDelta(content))
            else:
                self._delta(delta, events)
        if raw:
            reason = FINISH_REASONS.get(raw, FinishReason.OTHER)
            if self._refused:
                reason, raw = FinishReason.CONTENT_FILTER, "refusal"
            self._finish = Finish(reason, raw, self._model_id)
            self.finished = True
        for first, rest in self._usage_paths:
            value = chunk.get(first)
            if value is None:  # absent or null, as on most chunks
                continue
            for name in rest:
                value = value.get(name) if isinstance(value, dict) else None
            if isinstance(value, dict):
                events.append(UsageUpdate(usage(value)))
                if self._finish is not None:
                    events.extend(self.close())
                break
        return events

    def _delta(self, delta: Mapping[str, Any], events: list[StreamEvent | StreamFailure]) -> None:
        reasoning = delta.get("reasoning") or delta.get("reasoning_content")
        if isinstance(reasoning, str) and reasoning:
            events.append(ThinkingDelta(reasoning))
        content = delta.get("content")
        if isinstance(content, str):
            if content:
                events.append(TextDelta(content))
        elif isinstance(content, list):
            events.extend(_chunks(content))
        refusal = delta.get("refusal")
        if isinstance(refusal, str) and refusal:
            self._refused = True
            events.append(TextDelta(refusal))
        for position, call in enumerate(delta.get("tool_calls") or ()):
            events.append(self._tool_call(position, call))

    def _tool_call(self, position: int, call: Mapping[str, Any]) -> ToolCallDelta:
        function = call.get("function") or {}
        call_id = call.get("id") or None
        index = call.get("index")
        if not isinstance(index, int):
            # No index (whole calls, several in one chunk): a new id opens a new call.
            if call_id is not None and call_id not in self._indexes:
                index = max(self._last_index + 1, position)
            else:
                index = self._indexes.get(call_id or "", self._last_index)
        if call_id is not None:
            self._indexes.setdefault(call_id, index)
        self._last_index = max(self._last_index, index)
        arguments = function.get("arguments") or ""
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments)
        return ToolCallDelta(
            index, id=call_id, name=function.get("name") or None, arguments=arguments
        )


@functools.cache
def _usage_paths(fields: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each dotted name as its first key and the keys under it: worked out once per provider,
    not for every answer."""
    return tuple((first, tuple(rest)) for first, *rest in (f.split(".") for f in fields))


def _chunks(content: list[Any]) -> list[StreamEvent]:
    """Events of a content list: ``text`` chunks, and ``thinking`` chunks whose ``thinking`` is
    itself a list of ``text`` chunks (Mistral)."""
    events: list[StreamEvent] = []
    for chunk in content:
        if not isinstance(chunk, dict):
            continue
        if chunk.get("type") == "text" and chunk.get("text"):
            events.append(TextDelta(chunk["text"]))
        elif chunk.get("type") == "thinking":
            inner = chunk.get("thinking")
            parts = inner if isinstance(inner, list) else [{"text": inner}]
            text = "".join(p.get("text") or "" for p in parts if isinstance(p, dict))
            if text:
                events.append(ThinkingDelta(text))
    return events
