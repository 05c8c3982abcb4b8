"""The translation between hotswap's types and the wire format of
{{ cookiecutter.display_name }}.

Every function here is pure: hotswap's types in, plain data out, or the provider's decoded JSON
in, hotswap's types out. hotswap's core sends the requests, decodes the stream framing, assembles
tool calls, retries and fails over; nothing here may open a socket, sleep, retry or log a key.

The four places to fill in are marked ``TRANSLATE``. As generated, they speak a simple JSON
chat API (the shape of Ollama's native ``POST /api/chat``, which hotswap's simulator serves,
so the tests pass from the first minute):

* request:  ``{"model", "messages": [{"role", "content"}], "stream", "tools", "think",
  "options": {"temperature", "top_p", "stop", "num_predict"}}``;
* answer:   ``{"model", "message": {"content", "thinking", "tool_calls"}, "done": true,
  "done_reason", "prompt_eval_count", "eval_count"}``;
* stream:   the same objects, one per line (NDJSON), the last with ``"done": true``;
* errors:   ``{"error": "message"}``, with an HTTP status.

Replace each example with what the provider sends and expects, then change the tests in
``tests/test_translation.py`` to match, keeping their names: they are the specification.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from hotswap.plugin import (
    Completion,
    CompletionRequest,
    ErrorClassification,
    ErrorKind,
    Failure,
    Finish,
    FinishReason,
    Frame,
    Framing,
    HttpResponse,
    Message,
    StreamAssembler,
    StreamEvent,
    StreamFailure,
    TextDelta,
    ThinkingDelta,
    ThinkingLevel,
    ToolCallDelta,
    Usage,
    UsageUpdate,
)

__all__ = ["CHAT_PATH", "AnswerStream", "build_body", "classify", "parse_answer"]

log = logging.getLogger(__name__)

CHAT_PATH = "/api/chat"
"""Where chat requests go, relative to the base URL."""


# =================================================================================================
# TRANSLATE 1 of 4: the request body
# =================================================================================================


def build_body(
    model_id: str, request: CompletionRequest, *, stream: bool, extra: dict[str, Any]
) -> dict[str, Any]:
    """The JSON body that asks ``model_id`` to answer ``request``.

    :param stream: whether to ask for a streamed answer.
    :param extra: provider fields from the model's ``options`` and the request's
        ``options.extra``, merged in last as given.
    """
    options = request.options
    body: dict[str, Any] = {
        "model": model_id,
        "messages": [_message(message) for message in request.messages],
        "stream": stream,
    }
    if options.tools:
        body["tools"] = [
            {
                "type": "function",
                "function": {
                    "name": tool.name,
                    "description": tool.description,
                    "parameters": tool.parameters,
                },
            }
            for tool in options.tools
        ]
    # Send only the sampling options the caller set: the provider's defaults apply otherwise.
    sampling: dict[str, Any] = {}
    if options.temperature is not None:
        sampling["temperature"] = options.temperature
    if options.top_p is not None:
        sampling["top_p"] = options.top_p
    if options.stop:
        sampling["stop"] = list(options.stop)
    if options.max_tokens is not None:
        sampling["num_predict"] = options.max_tokens
    if sampling:
        body["options"] = sampling
    # thinking_level is hotswap's one reasoning control; map it to the provider's (a budget, an
    # effort, an on/off switch). Where a model has none, drop it with a debug log, never an error.
    level = options.thinking_level
    if level is not None:
        body["think"] = level is not ThinkingLevel.OFF
        log.debug("thinking_level %s sent as think=%s", level, body["think"])
    body.update(extra)
    return body


def _message(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role, "content": message.text}
    if message.tool_calls:
        out["tool_calls"] = [
            {"function": {"name": call.name, "arguments": call.arguments}}
            for call in message.tool_calls
        ]
    if message.role == "tool" and message.name:
        out["tool_name"] = message.name
    return out


# =================================================================================================
# TRANSLATE 2 of 4: a whole (non-streamed) answer
# =================================================================================================


def parse_answer(payload: dict[str, Any]) -> Completion | None:
    """The completion in a 2xx body, or None when the body is an error sent with status 200
    (hotswap then classifies the body as an error: see :func:`classify`).

    A missing field raises ``KeyError``, which hotswap reports as a ``server_error`` (the
    provider sent something unreadable), so there is no need to check every field.
    """
    if "error" in payload:
        return None
    # One translation for both paths: the answer is read as a stream of one object, so a
    # whole answer and a streamed one cannot disagree.
    assembler = StreamAssembler()
    for event in AnswerStream().events(payload):
        if isinstance(event, StreamFailure):
            return None
        assembler.add(event)
    return assembler.completion(model_id=payload.get("model", ""), raw=payload)


# =================================================================================================
# TRANSLATE 3 of 4: a streamed answer
# =================================================================================================

_FINISH = {"stop": FinishReason.STOP, "length": FinishReason.LENGTH}


def _finish_reason(raw: str | None, *, tool_calls: bool) -> FinishReason:
    """hotswap's word for why the answer ended; the provider's own is kept beside it."""
    if tool_calls:
        return FinishReason.TOOL_CALLS
    return _FINISH.get(raw, FinishReason.OTHER) if raw else FinishReason.OTHER


class AnswerStream:
    """Turns one streamed answer's frames into hotswap's stream events. hotswap makes one per
    stream, so it may keep state between frames.

    :ivar framing: how the provider frames its stream: ``"ndjson"`` (one JSON object per line)
        or ``"sse"`` (server-sent events; ``frame.event`` is then the ``event:`` name).
    :ivar finished: set when the provider says the answer is complete. A stream whose body ends
        before that is a ``connection`` error, never a truncated success.
    """

    framing: Framing = "ndjson"

    def __init__(self) -> None:
        self.finished = False
        self._calls = 0

    def translate(self, frame: Frame) -> Iterable[StreamEvent | StreamFailure]:
        """The events one frame carries: often one, sometimes none."""
        return self.events(frame.json())

    def events(self, data: dict[str, Any]) -> list[StreamEvent | StreamFailure]:
        """The events one decoded object carries."""
        if "error" in data:
            # An error after the answer began; hotswap classifies the payload (see classify).
            return [StreamFailure(data)]
        events: list[StreamEvent | StreamFailure] = []
        message = data.get("message") or {}
        if message.get("thinking"):
            events.append(ThinkingDelta(message["thinking"]))
        if message.get("content"):
            events.append(TextDelta(message["content"]))
        for call in message.get("tool_calls") or ():
            # Tool calls may arrive whole or in pieces; hotswap joins pieces with the same index.
            function = call["function"]
            events.append(
                ToolCallDelta(
                    index=self._calls,
                    id=call.get("id"),
                    name=function["name"],
                    arguments=json.dumps(function.get("arguments") or {}),
                )
            )
            self._calls += 1
        if data.get("done"):
            self.finished = True
            usage = Usage(
                input_tokens=data.get("prompt_eval_count", 0),
                output_tokens=data.get("eval_count", 0),
            )
            raw = data.get("done_reason")
            reason = _finish_reason(raw, tool_calls=self._calls > 0)
            events += [UsageUpdate(usage), Finish(reason, raw, data.get("model"))]
        return events


# =================================================================================================
# TRANSLATE 4 of 4: errors
# =================================================================================================

# Phrases in the provider's error messages that mean more than the HTTP status says.
_MESSAGE_KINDS = (
    ("context length", ErrorKind.CONTEXT_LENGTH),
    ("quota", ErrorKind.QUOTA_EXHAUSTED),
    ("not found", ErrorKind.NOT_FOUND),
)


def classify(failure: Failure) -> ErrorClassification | None:
    """The error kind of a failure, where the provider's words say more than hotswap's
    provider-neutral rules, or None to let those rules decide.

    hotswap's own rules already map statuses (401 auth, 403 permission, 404 not_found, 429
    rate_limited, 503 and 529 overloaded, other 5xx server_error, other 4xx invalid_request),
    make a server error (or an error inside a stream) whose message says "overloaded" or
    "busy" overloaded, read ``retry-after``, take the message from
    ``error``/``message``/``detail``, and treat timeouts and dropped connections. The kind
    decides what a chain does: ``rate_limited``, ``overloaded``, ``server_error``, ``timeout``
    and ``connection`` fail over at once; ``invalid_request`` and ``content_filter`` are raised
    to the caller.

    :param failure: an :class:`~hotswap.plugin.HttpResponse` (an error status, or a 200 carrying
        an error), a :class:`~hotswap.plugin.TransportFailure`, or a
        :class:`~hotswap.plugin.StreamFailure` from :class:`AnswerStream`.
    """
    if isinstance(failure, HttpResponse):
        payload = failure.json()
    elif isinstance(failure, StreamFailure):
        payload = failure.payload
    else:
        return None  # timeouts and dropped connections mean the same for every provider
    message = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(message, str):
        return None
    for phrase, kind in _MESSAGE_KINDS:
        if phrase in message.lower():
            return ErrorClassification(kind, message)
    return None
