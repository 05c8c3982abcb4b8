"""Anthropic's Messages API (``POST /v1/messages``), as provider-facts §1 describes it.

Checks, in the API's order: the key (``x-api-key``, or an OAuth ``Authorization: Bearer`` token,
which needs the ``oauth-2025-04-20`` beta), the ``anthropic-version`` header, then the body
(``model``, ``max_tokens``, ``messages``, a thinking budget of at least 1024 below
``max_tokens``, no trailing assistant turn for a model from Claude 4.6 on). Thinking blocks are
sent when the request turns thinking on; a trailing assistant turn is carried on from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from hotswap.testing.faults import (
    ContextTooLong,
    ErrorFault,
    Forbidden,
    Overloaded,
    QuotaExhausted,
    RateLimit,
    ServerFault,
    Unauthorized,
)
from hotswap.testing.replies import Answer, Finish, fragments
from hotswap.testing.wire import (
    BadJSON,
    ChatRequest,
    Dialect,
    Incoming,
    Outgoing,
    StreamBody,
    bearer_token,
    count_words,
    json_response,
    last_text,
    seconds_text,
    sse,
)

__all__ = ["OAUTH_BETA", "Anthropic", "takes_prefill"]

OAUTH_BETA = "oauth-2025-04-20"
"""The beta flag without which the API refuses OAuth tokens."""

SIGNATURE = "c2ltdWxhdGVkIHNpZ25hdHVyZQ=="
"""The opaque signature every simulated thinking block carries."""

_STOP_REASONS = {
    Finish.STOP: "end_turn",
    Finish.LENGTH: "max_tokens",
    Finish.TOOL_USE: "tool_use",
    Finish.CONTENT_FILTER: "refusal",
}
_SSE_TYPE = "text/event-stream; charset=utf-8"
_VERSION = re.compile(r"claude-(?:[a-z]+-)?(\d+)(?:-(\d{1,2})(?!\d))?")


def takes_prefill(model: str) -> bool:
    """Whether a model carries on from a trailing assistant turn: Claude models before 4.6
    (``claude-sonnet-4-5``, ``claude-opus-4-20250514``, ``claude-3-5-haiku-latest``) do; from
    4.6 on the API refuses the request."""
    found = _VERSION.match(model)
    if found is None:
        return False
    major, minor = int(found.group(1)), int(found.group(2) or 0)
    return (major, minor) < (4, 6)


class Anthropic(Dialect):
    name = "anthropic"
    tool_id_prefix = "toolu_sim"
    refusals = frozenset((Finish.CONTENT_FILTER,))

    def authenticate(self, incoming: Incoming, keys: frozenset[str] | None) -> Outgoing | None:
        headers = incoming.headers
        api_key = headers.get("x-api-key", "")
        token = bearer_token(headers)
        if api_key:
            # An OAuth token is never a valid API key, whatever keys are configured.
            if "sk-ant-oat" in api_key or (keys is not None and api_key not in keys):
                return _error(401, "authentication_error", "invalid x-api-key", incoming.ordinal)
            return None
        if token:
            betas = {beta.strip() for beta in headers.get("anthropic-beta", "").split(",")}
            if OAUTH_BETA not in betas:
                message = "OAuth authentication is currently not supported."
                return _error(401, "authentication_error", message, incoming.ordinal)
            if keys is not None and token not in keys:
                return _error(401, "authentication_error", "Invalid bearer token", incoming.ordinal)
            return None
        return _error(401, "authentication_error", "x-api-key header is required", incoming.ordinal)

    def parse(self, incoming: Incoming, payload: Any, model: str | None) -> ChatRequest | Outgoing:
        def invalid(message: str) -> Outgoing:
            return _error(400, "invalid_request_error", message, incoming.ordinal)

        if "anthropic-version" not in incoming.headers:
            return invalid("anthropic-version: header is required")
        if isinstance(payload, BadJSON):
            return invalid(f"There was an error parsing the body of your request: {payload.error}")
        if not isinstance(payload, dict):
            return invalid("The request body must be a JSON object")
        for name in ("model", "max_tokens", "messages"):
            if name not in payload:
                return invalid(f"{name}: Field required")
        if not isinstance(payload["model"], str):
            return invalid("model: Input should be a valid string")
        max_tokens = payload["max_tokens"]
        if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
            return invalid("max_tokens: Input should be an integer greater than or equal to 1")
        messages = payload["messages"]
        if not isinstance(messages, list) or not messages:
            return invalid("messages: at least one message is required")
        thinking = payload.get("thinking")
        thinking_on = isinstance(thinking, dict) and thinking.get("type") in ("enabled", "adaptive")
        if thinking_on and isinstance(thinking, dict) and thinking.get("type") == "enabled":
            budget = thinking.get("budget_tokens")
            if not isinstance(budget, int) or budget < 1024:
                return invalid(
                    "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
                )
            if budget >= max_tokens:
                return invalid("`max_tokens` must be greater than `thinking.budget_tokens`")
        prefill = None
        last = messages[-1]
        if isinstance(last, dict) and last.get("role") == "assistant":
            if not takes_prefill(payload["model"]):
                return invalid(
                    "This model does not support assistant message prefill. The conversation "
                    "must end with a user message."
                )
            prefill = last_text([last], role_key="role", roles=("assistant",), parts_key="content")
        return ChatRequest(
            model=payload["model"],
            stream=payload.get("stream") is True,
            prompt=last_text(messages, role_key="role", roles=("user",), parts_key="content"),
            prefill=prefill,
            input_words=count_words(payload.get("system")) + count_words(messages),
            ordinal=incoming.ordinal,
            max_tokens=max_tokens,
            thinking=thinking_on,
        )

    def respond(self, request: ChatRequest, answer: Answer) -> Outgoing:
        content: list[dict[str, Any]] = []
        if answer.thinking is not None:
            content.append(
                {"type": "thinking", "thinking": answer.thinking, "signature": SIGNATURE}
            )
        if answer.text:
            content.append({"type": "text", "text": answer.text})
        for call in answer.tool_calls:
            content.append(
                {
                    "type": "tool_use",
                    "id": call.id,
                    "name": call.name,
                    "input": dict(call.arguments),
                }
            )
        body = {
            **_message(request),
            "content": content,
            "stop_reason": _STOP_REASONS[answer.finish],
            "stop_sequence": None,
            "usage": {**_input_usage(answer), "output_tokens": answer.output_tokens},
        }
        return json_response(200, body, _request_id(request.ordinal))

    def stream(self, request: ChatRequest, answer: Answer) -> StreamBody:
        start = {
            **_message(request),
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {**_input_usage(answer), "output_tokens": 1},
        }
        frames = [sse({"type": "message_start", "message": start}, "message_start")]
        blocks: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        if answer.thinking is not None:
            deltas = [{"type": "thinking_delta", "thinking": p} for p in answer.thinking_pieces]
            deltas.append({"type": "signature_delta", "signature": SIGNATURE})
            blocks.append(({"type": "thinking", "thinking": "", "signature": ""}, deltas))
        if answer.text:
            deltas = [{"type": "text_delta", "text": p} for p in answer.text_pieces]
            blocks.append(({"type": "text", "text": ""}, deltas))
        for call in answer.tool_calls:
            block: dict[str, Any] = {
                "type": "tool_use",
                "id": call.id,
                "name": call.name,
                "input": {},
            }
            deltas = [
                {"type": "input_json_delta", "partial_json": part}
                for part in fragments(call.arguments_json())
            ]
            blocks.append((block, deltas))
        for index, (block, deltas) in enumerate(blocks):
            frames.append(_event("content_block_start", index=index, content_block=block))
            if index == 0:
                frames.append(_PING)
            frames.extend(_event("content_block_delta", index=index, delta=d) for d in deltas)
            frames.append(_event("content_block_stop", index=index))
        if not blocks:
            frames.append(_PING)
        delta = {"stop_reason": _STOP_REASONS[answer.finish], "stop_sequence": None}
        usage = {"output_tokens": answer.output_tokens}
        frames.append(_event("message_delta", delta=delta, usage=usage))
        frames.append(_event("message_stop"))
        headers = {"cache-control": "no-cache", **_request_id(request.ordinal)}
        return StreamBody(_SSE_TYPE, tuple(frames), 1, headers)

    def error(self, fault: ErrorFault, request: ChatRequest | None) -> Outgoing:
        status, kind, message, headers = _describe(fault, request)
        ordinal = request.ordinal if request else 0
        return _error(status, kind, message, ordinal, headers)

    def stream_error(self, fault: ErrorFault, request: ChatRequest) -> bytes:
        _, kind, message, _ = _describe(fault, request)
        return sse({"type": "error", "error": {"type": kind, "message": message}}, "error")

    def unsupported(self, what: str, request: ChatRequest) -> Outgoing:
        message = f"hotswap simulator: Anthropic has no form for {what}; the script asked for one"
        return _error(500, "api_error", message, request.ordinal)


def _describe(
    fault: ErrorFault, request: ChatRequest | None
) -> tuple[int, str, str, Mapping[str, str]]:
    """Status, ``error.type``, message and extra headers for an error fault."""
    if isinstance(fault, RateLimit):
        message = (
            "This request would exceed the rate limit for your organization of 50 requests per "
            "minute. For details, refer to: https://docs.claude.com/en/api/rate-limits."
        )
        return 429, "rate_limit_error", message, _rate_limit_headers(fault.retry_after)
    if isinstance(fault, QuotaExhausted):
        message = (
            "Your credit balance is too low to access the Anthropic API. "
            "Please go to Plans & Billing to upgrade or purchase credits."
        )
        return 400, "invalid_request_error", message, {}
    if isinstance(fault, Overloaded):
        return 529, "overloaded_error", "Overloaded", {}
    if isinstance(fault, ServerFault):
        if fault.status == 504:
            return 504, "timeout_error", "Request timeout", {}
        if fault.status == 529:
            return 529, "overloaded_error", "Overloaded", {}
        return fault.status, "api_error", "Internal server error", {}
    if isinstance(fault, Unauthorized):
        return 401, "authentication_error", "invalid x-api-key", {}
    if isinstance(fault, Forbidden):
        message = "Your API key does not have permission to use the specified resource."
        return 403, "permission_error", message, {}
    if isinstance(fault, ContextTooLong):
        tokens = 200_000 + max(1, request.input_words if request else 1)
        return (
            400,
            "invalid_request_error",
            f"prompt is too long: {tokens} tokens > 200000 maximum",
            {},
        )
    raise TypeError(f"not an error fault: {fault!r}")


def _rate_limit_headers(retry_after: float) -> dict[str, str]:
    reset = datetime.now(timezone.utc) + timedelta(seconds=retry_after)
    stamp = reset.strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = {"retry-after": seconds_text(retry_after)}
    for name, limit in (("requests", 50), ("tokens", 40_000), ("input-tokens", 30_000)):
        prefix = f"anthropic-ratelimit-{name}"
        headers.update({f"{prefix}-limit": str(limit), f"{prefix}-remaining": "0"})
        headers[f"{prefix}-reset"] = stamp
    return headers


def _error(
    status: int, kind: str, message: str, ordinal: int, headers: Mapping[str, str] | None = None
) -> Outgoing:
    body = {
        "type": "error",
        "error": {"type": kind, "message": message},
        "request_id": f"req_sim{ordinal:04d}",
    }
    return json_response(status, body, {**_request_id(ordinal), **(headers or {})})


def _request_id(ordinal: int) -> dict[str, str]:
    return {"request-id": f"req_sim{ordinal:04d}"}


def _message(request: ChatRequest) -> dict[str, Any]:
    return {
        "id": f"msg_sim{request.ordinal:04d}",
        "type": "message",
        "role": "assistant",
        "model": request.model,
    }


def _input_usage(answer: Answer) -> dict[str, int]:
    return {
        "input_tokens": answer.input_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }


def _event(name: str, **fields: Any) -> bytes:
    return sse({"type": name, **fields}, name)


_PING = _event("ping")
