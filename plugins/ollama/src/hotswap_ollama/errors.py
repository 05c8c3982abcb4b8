"""Ollama's failures as hotswap's error kinds, with messages that say what to do.

Ollama's errors are ``{"error": "<message>"}``; the status says the rest, as the core's rules
read it (429 ``rate_limited``, 503 ``overloaded``, 5xx ``server_error``, 401 ``auth``...), and
a server error whose message says "server busy" or "overloaded" is ``overloaded``, as is such an
error sent inside a stream (an ``{"error": ...}`` line) or a 200 body
(:func:`hotswap.plugin.overload_wins`). What Ollama means beyond that:

* a refused connection is Ollama not running: ``connection``, saying how to start it;
* a 404 ``model "x" not found`` is a model not pulled: ``not_found``, with the ``ollama pull``
  command;
* a 400 saying the model ``does not support thinking`` (or ``tools``) is ``invalid_request``,
  saying what to change in the request or the config.

Ollama has no context-length error (it truncates to ``num_ctx`` silently) and no content filter.
"""

from __future__ import annotations

import re

from hotswap.plugin import (
    ErrorClassification,
    ErrorKind,
    Failure,
    ModelConfig,
    StreamFailure,
    TransportFailure,
    classify_status,
    message_in,
    overload_wins,
    provider_message,
)
from hotswap_ollama.provider import HOST_VARIABLE, server_url

_NOT_PULLED = re.compile(r"model .{0,200} not found", re.IGNORECASE)
_CANNOT = re.compile(r"does not support (thinking|tools)", re.IGNORECASE)

NOT_RUNNING = (
    "could not connect to Ollama at {url} ({detail}). Is it running? Start it with "
    "`ollama serve` (or open the Ollama app), or point the model's base_url or {variable} at "
    "the server"
)
NOT_PULLED = (
    "the Ollama server at {url} does not have model {model!r} ({message}). Pull it with: "
    "ollama pull {model}"
)
CANNOT = {
    "thinking": '{message}: this model does not think; set its thinking_level to "off" (or '
    "leave it out), or ask a model that reasons",
    "tools": "{message}: this model cannot call tools; send the request without tools, or ask "
    "a model that supports them",
}


def classify(model: ModelConfig, failure: Failure) -> ErrorClassification | None:
    """The verdict on ``failure``, where Ollama means more than the core's rules say; None
    leaves it to them."""
    if isinstance(failure, TransportFailure):
        if failure.kind is ErrorKind.CONNECTION and failure.phase == "connect":
            message = NOT_RUNNING.format(
                url=server_url(model), detail=failure.detail, variable=HOST_VARIABLE
            )
            return ErrorClassification(ErrorKind.CONNECTION, message, code="not_running")
        return None
    if isinstance(failure, StreamFailure):
        message = message_in(failure.payload) or "the stream reported an error"
        return ErrorClassification(overload_wins(ErrorKind.SERVER_ERROR, None, message), message)
    message = provider_message(failure)
    if 200 <= failure.status < 300:  # an error sent where the answer should be
        return ErrorClassification(overload_wins(ErrorKind.SERVER_ERROR, None, message), message)
    kind = classify_status(failure.status)
    if failure.status == 404 and _NOT_PULLED.search(message):
        text = NOT_PULLED.format(url=server_url(model), model=model.model, message=message)
        return ErrorClassification(ErrorKind.NOT_FOUND, text, code="model_not_found")
    cannot = _CANNOT.search(message) if kind is ErrorKind.INVALID_REQUEST else None
    if cannot:
        what = cannot.group(1).lower()
        return ErrorClassification(kind, CANNOT[what].format(message=message), code=f"no_{what}")
    return None
