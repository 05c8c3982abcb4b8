"""Ollama's native chat API (``POST /api/chat``), as provider-facts §8 describes it.

Ollama's OpenAI-compatible ``/v1/chat/completions`` is the OpenAI dialect. Locally Ollama needs
no key; once keys are configured (``Simulator.accept_keys("ollama", …)``) a bearer token is
required, as on ollama.com. ``stream`` defaults to true: the answer is NDJSON, one line per
word, tool calls whole in one line, and a last line with ``"done": true``, ``done_reason`` and
the counts. Thinking comes back in ``message.thinking`` when ``think`` is set. Every error is
``{"error": "<message>"}``. Ollama has no content filter, no quota and no context-length error
(it truncates silently), so scripts asking for those get the simulator's "no form" 500.

Once ``Simulator.serve_models("ollama", …)`` names the models that are pulled, a chat naming
any other is refused as Ollama refuses it (404, "try pulling it first"), and ``GET /api/tags``
lists them; a name without a tag means ``:latest``, as in Ollama.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from typing import Any

from hotswap.testing.faults import (
    ErrorFault,
    Forbidden,
    Overloaded,
    RateLimit,
    ServerFault,
    Unauthorized,
)
from hotswap.testing.replies import Answer, Finish
from hotswap.testing.wire import (
    BadJSON,
    ChatRequest,
    Dialect,
    Incoming,
    Outgoing,
    StreamBody,
    bearer_token,
    count_words,
    dumps,
    json_response,
    last_text,
)

__all__ = ["Ollama"]

_JSON = "application/json; charset=utf-8"


class Ollama(Dialect):
    name = "ollama"
    tool_id_prefix = "call_sim"
    refusals: frozenset[Finish] = frozenset()

    def authenticate(self, incoming: Incoming, keys: frozenset[str] | None) -> Outgoing | None:
        if keys is None or bearer_token(incoming.headers) in keys:
            return None
        return _error(401, "unauthorized")

    def parse(self, incoming: Incoming, payload: Any, model: str | None) -> ChatRequest | Outgoing:
        if isinstance(payload, BadJSON):
            return _error(400, f"invalid JSON: {payload.error}")
        if not isinstance(payload, dict):
            return _error(400, "invalid request: the body must be a JSON object")
        if not isinstance(payload.get("model"), str) or not payload["model"]:
            return _error(400, "model is required")
        messages = payload.get("messages")
        options = payload.get("options")
        limit = options.get("num_predict") if isinstance(options, dict) else None
        return ChatRequest(
            model=payload["model"],
            stream=payload.get("stream") is not False,
            prompt=last_text(messages, role_key="role", roles=("user",), parts_key="content"),
            input_words=count_words(messages),
            ordinal=incoming.ordinal,
            max_tokens=limit if isinstance(limit, int) and limit > 0 else None,
            thinking=payload.get("think") not in (None, False),
        )

    def respond(self, request: ChatRequest, answer: Answer) -> Outgoing:
        message: dict[str, Any] = {"role": "assistant", "content": answer.text}
        if answer.thinking is not None:
            message["thinking"] = answer.thinking
        if answer.tool_calls:
            message["tool_calls"] = _tool_calls(answer)
        return json_response(200, _final(request, answer, message), content_type=_JSON)

    def stream(self, request: ChatRequest, answer: Answer) -> StreamBody:
        def line(message: dict[str, Any]) -> bytes:
            return dumps({**_header(request), "message": message, "done": False}) + b"\n"

        frames = [
            line({"role": "assistant", "content": "", "thinking": piece})
            for piece in answer.thinking_pieces
        ]
        frames.extend(line({"role": "assistant", "content": p}) for p in answer.text_pieces)
        if answer.tool_calls:
            calls = _tool_calls(answer)
            frames.append(line({"role": "assistant", "content": "", "tool_calls": calls}))
        last = {"role": "assistant", "content": ""}
        frames.append(dumps(_final(request, answer, last)) + b"\n")
        return StreamBody("application/x-ndjson", tuple(frames), 1)

    def error(self, fault: ErrorFault, request: ChatRequest | None) -> Outgoing:
        described = _describe(fault)
        if described is None:
            return _error(500, _no_form(fault.kind))
        return _error(*described)

    def stream_error(self, fault: ErrorFault, request: ChatRequest) -> bytes:
        _, message = _describe(fault) or (500, _no_form(fault.kind))
        return dumps({"error": message}) + b"\n"

    def unsupported(self, what: str, request: ChatRequest) -> Outgoing:
        return _error(500, _no_form(what))

    def refuse_model(self, request: ChatRequest, served: frozenset[str]) -> Outgoing | None:
        if _tagged(request.model) in {_tagged(name) for name in served}:
            return None
        return _error(404, f'model "{request.model}" not found, try pulling it first')

    def list_models(self, incoming: Incoming, served: frozenset[str] | None) -> Outgoing:
        models = [_tag_entry(name) for name in sorted({_tagged(n) for n in served or ()})]
        return json_response(200, {"models": models}, content_type=_JSON)


def _describe(fault: ErrorFault) -> tuple[int, str] | None:
    """Status and message for an error fault, or None for one Ollama never reports."""
    if isinstance(fault, RateLimit):
        return 429, "too many requests, please retry later"
    if isinstance(fault, Overloaded):
        return 503, "server busy, please try again.  maximum pending requests exceeded"
    if isinstance(fault, ServerFault):
        return fault.status, "an internal error occurred"
    if isinstance(fault, Unauthorized):
        return 401, "unauthorized"
    if isinstance(fault, Forbidden):
        return 403, "forbidden"
    return None


def _tagged(name: str) -> str:
    """A model name with its tag: ``llama3.2`` is ``llama3.2:latest``."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


_FAMILY = re.compile(r"[a-z]+")


def _tag_entry(name: str) -> dict[str, Any]:
    """One model as ``/api/tags`` describes it, with made-up but deterministic details."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    family = _FAMILY.match(name.rsplit("/", 1)[-1])
    return {
        "name": name,
        "model": name,
        "modified_at": "2025-01-01T00:00:00Z",
        "size": 1_000_000_000 + int(digest[:6], 16),
        "digest": digest,
        "details": {
            "parent_model": "",
            "format": "gguf",
            "family": family.group(0) if family else "unknown",
            "families": [family.group(0) if family else "unknown"],
            "parameter_size": "8B",
            "quantization_level": "Q4_K_M",
        },
    }


def _no_form(what: str) -> str:
    return f"hotswap simulator: Ollama has no form for {what}; the script asked for one"


def _error(status: int, message: str) -> Outgoing:
    return json_response(status, {"error": message}, content_type=_JSON)


def _tool_calls(answer: Answer) -> list[dict[str, Any]]:
    return [
        {"function": {"index": index, "name": call.name, "arguments": dict(call.arguments)}}
        for index, call in enumerate(answer.tool_calls)
    ]


def _header(request: ChatRequest) -> dict[str, Any]:
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
    return {"model": request.model, "created_at": now}


def _final(request: ChatRequest, answer: Answer, message: dict[str, Any]) -> dict[str, Any]:
    """The last (or only) object: the answer's message, why it ended, and deterministic counts
    and durations (1 ms per input word, 10 ms per output word)."""
    prompt_ns = answer.input_tokens * 1_000_000
    eval_ns = answer.output_tokens * 10_000_000
    load_ns = 1_000_000
    return {
        **_header(request),
        "message": message,
        "done": True,
        "done_reason": "length" if answer.finish is Finish.LENGTH else "stop",
        "total_duration": load_ns + prompt_ns + eval_ns,
        "load_duration": load_ns,
        "prompt_eval_count": answer.input_tokens,
        "prompt_eval_duration": prompt_ns,
        "eval_count": answer.output_tokens,
        "eval_duration": eval_ns,
    }
