"""OpenAI chat completions (``POST …/chat/completions``), as provider-facts §2 describes it.

One format for the whole OpenAI-compatible family: OpenAI's ``/v1``, Groq's ``/openai/v1``,
OpenRouter's ``/api/v1``, and xAI, Mistral, Ollama's ``/v1`` and custom servers, which all speak
it. Checks a bearer token, then ``model`` and a non-empty ``messages``. Streams end with
``data: [DONE]``; usage comes as a last ``choices: []`` chunk when
``stream_options.include_usage`` is set. OpenAI itself never returns reasoning text, but its
compatible servers do, so when a request asks for reasoning (``reasoning_effort`` other than
``none``, ``reasoning``, ``include_reasoning``) the thinking text comes back in
``message.reasoning`` (``delta.reasoning``), as Groq, OpenRouter and Ollama send it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, TypeAlias

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

__all__ = ["OpenAI", "go_duration"]

_FINISH_REASONS = {
    Finish.STOP: "stop",
    Finish.LENGTH: "length",
    Finish.TOOL_USE: "tool_calls",
    Finish.CONTENT_FILTER: "content_filter",
}
_DONE = b"data: [DONE]\n\n"
_KEYS_PAGE = "https://platform.openai.com/account/api-keys"


class OpenAI(Dialect):
    name = "openai"
    tool_id_prefix = "call_sim"
    refusals = frozenset((Finish.CONTENT_FILTER,))

    def authenticate(self, incoming: Incoming, keys: frozenset[str] | None) -> Outgoing | None:
        token = bearer_token(incoming.headers)
        if not token:
            message = (
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). "
                f"You can obtain an API key from {_KEYS_PAGE}."
            )
            return _error(401, message, "invalid_request_error", None, None, incoming.ordinal)
        if keys is not None and token not in keys:
            return _error(401, *_bad_key(token), incoming.ordinal)
        return None

    def parse(self, incoming: Incoming, payload: Any, model: str | None) -> ChatRequest | Outgoing:
        def invalid(message: str, param: str | None = None, code: str | None = None) -> Outgoing:
            return _error(400, message, "invalid_request_error", param, code, incoming.ordinal)

        if isinstance(payload, BadJSON):
            return invalid(
                "We could not parse the JSON body of your request. The OpenAI API expects a "
                f"JSON payload, but what was sent was not valid JSON ({payload.error})."
            )
        if not isinstance(payload, dict):
            return invalid("The request body must be a JSON object.")
        if not isinstance(payload.get("model"), str):
            return invalid("you must provide a model parameter")
        messages = payload.get("messages")
        if messages is None:
            missing = "Missing required parameter: 'messages'."
            return invalid(missing, "messages", "missing_required_parameter")
        if not isinstance(messages, list) or not messages:
            return invalid(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, "
                "but got an empty array instead.",
                "messages",
                "empty_array",
            )
        options = payload.get("stream_options")
        limit = payload.get("max_completion_tokens", payload.get("max_tokens"))
        return ChatRequest(
            model=payload["model"],
            stream=payload.get("stream") is True,
            prompt=last_text(messages, role_key="role", roles=("user",), parts_key="content"),
            input_words=count_words(messages),
            ordinal=incoming.ordinal,
            max_tokens=limit if isinstance(limit, int) else None,
            thinking=payload.get("reasoning_effort", "none") != "none"
            or isinstance(payload.get("reasoning"), dict)
            or payload.get("include_reasoning") is True,
            include_usage=isinstance(options, dict) and options.get("include_usage") is True,
        )

    def respond(self, request: ChatRequest, answer: Answer) -> Outgoing:
        message: dict[str, Any] = {"role": "assistant", "content": answer.text or None}
        message["refusal"] = None
        if answer.thinking is not None:
            message["reasoning"] = answer.thinking
        if answer.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments_json()},
                }
                for call in answer.tool_calls
            ]
        choice = {
            "index": 0,
            "message": message,
            "logprobs": None,
            "finish_reason": _FINISH_REASONS[answer.finish],
        }
        body = {
            **_envelope(request, "chat.completion"),
            "choices": [choice],
            "usage": _usage(answer),
        }
        return json_response(200, body, _request_id(request.ordinal))

    def stream(self, request: ChatRequest, answer: Answer) -> StreamBody:
        envelope = _envelope(request, "chat.completion.chunk")
        usage_field = {"usage": None} if request.include_usage else {}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            return sse({**envelope, "choices": [choice], **usage_field})

        frames = [chunk({"role": "assistant", "content": ""})]
        frames.extend(chunk({"reasoning": piece}) for piece in answer.thinking_pieces)
        frames.extend(chunk({"content": piece}) for piece in answer.text_pieces)
        for index, call in enumerate(answer.tool_calls):
            function = {"name": call.name, "arguments": ""}
            opening = {"index": index, "id": call.id, "type": "function", "function": function}
            frames.append(chunk({"tool_calls": [opening]}))
            frames.extend(
                chunk({"tool_calls": [{"index": index, "function": {"arguments": part}}]})
                for part in fragments(call.arguments_json())
            )
        frames.append(chunk({}, _FINISH_REASONS[answer.finish]))
        if request.include_usage:
            frames.append(sse({**envelope, "choices": [], "usage": _usage(answer)}))
        frames.append(_DONE)
        content_type = "text/event-stream; charset=utf-8"
        return StreamBody(content_type, tuple(frames), 1, _request_id(request.ordinal))

    def error(self, fault: ErrorFault, request: ChatRequest | None) -> Outgoing:
        status, fields, headers = _describe(fault, request)
        return _error(status, *fields, request.ordinal if request else 0, headers)

    def stream_error(self, fault: ErrorFault, request: ChatRequest) -> bytes:
        _, (message, kind, param, code), _ = _describe(fault, request)
        return sse({"error": {"message": message, "type": kind, "param": param, "code": code}})

    def unsupported(self, what: str, request: ChatRequest) -> Outgoing:
        message = f"hotswap simulator: OpenAI has no form for {what}; the script asked for one"
        return _error(500, message, "server_error", None, None, request.ordinal)


_Fields: TypeAlias = "tuple[str, str, str | None, str | None]"
"""An error body's message, type, param and code."""


def _describe(
    fault: ErrorFault, request: ChatRequest | None
) -> tuple[int, _Fields, Mapping[str, str]]:
    """Status, body fields and extra headers for an error fault."""
    model = request.model if request else "this model"
    if isinstance(fault, RateLimit):
        wait = seconds_text(fault.retry_after)
        message = (
            f"Rate limit reached for {model} in organization org-simulator on requests per min "
            f"(RPM): Limit 500, Used 500, Requested 1. Please try again in {wait}s. "
            "Visit https://platform.openai.com/account/rate-limits to learn more."
        )
        fields: _Fields = (message, "requests", None, "rate_limit_exceeded")
        return 429, fields, _rate_limit_headers(fault.retry_after)
    if isinstance(fault, QuotaExhausted):
        message = (
            "You exceeded your current quota, please check your plan and billing details. "
            "For more information on this error, read the docs: "
            "https://platform.openai.com/docs/guides/error-codes/api-errors."
        )
        return 429, (message, "insufficient_quota", None, "insufficient_quota"), {}
    if isinstance(fault, Overloaded):
        message = "The engine is currently overloaded, please try again later."
        return 503, (message, "service_unavailable_error", None, "server_is_overloaded"), {}
    if isinstance(fault, ServerFault):
        message = "The server had an error while processing your request. Sorry about that!"
        return fault.status, (message, "server_error", None, None), {}
    if isinstance(fault, Unauthorized):
        return 401, _bad_key("sk-simulated-key"), {}
    if isinstance(fault, Forbidden):
        message = "Country, region, or territory not supported"
        return 403, (message, "request_forbidden", None, "unsupported_country_region_territory"), {}
    if isinstance(fault, ContextTooLong):
        tokens = 128_000 + max(1, request.input_words if request else 1)
        message = (
            f"This model's maximum context length is 128000 tokens. However, your messages "
            f"resulted in {tokens} tokens. Please reduce the length of the messages."
        )
        return 400, (message, "invalid_request_error", "messages", "context_length_exceeded"), {}
    raise TypeError(f"not an error fault: {fault!r}")


def _bad_key(key: str) -> _Fields:
    masked = f"{key[:3]}{'*' * 8}{key[-4:]}" if len(key) > 8 else "*" * len(key)
    message = f"Incorrect API key provided: {masked}. You can find your API key at {_KEYS_PAGE}."
    return message, "invalid_request_error", None, "invalid_api_key"


def _rate_limit_headers(retry_after: float) -> dict[str, str]:
    return {
        "retry-after": seconds_text(retry_after),
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": go_duration(retry_after),
        "x-ratelimit-limit-tokens": "30000",
        "x-ratelimit-remaining-tokens": "29000",
        "x-ratelimit-reset-tokens": "2s",
    }


def go_duration(seconds: float) -> str:
    """Seconds written as a Go duration, as OpenAI's reset headers are: ``12ms``, ``1.5s``,
    ``6m0s``."""
    if seconds == 0:
        return "0s"
    if seconds < 1:
        return f"{round(seconds * 1000)}ms"
    minutes, rest = divmod(seconds, 60)
    text = f"{rest:.3f}".rstrip("0").rstrip(".") + "s"
    return f"{int(minutes)}m{text}" if minutes else text


def _error(
    status: int,
    message: str,
    kind: str,
    param: str | None,
    code: str | None,
    ordinal: int,
    headers: Mapping[str, str] | None = None,
) -> Outgoing:
    body = {"error": {"message": message, "type": kind, "param": param, "code": code}}
    return json_response(status, body, {**_request_id(ordinal), **(headers or {})})


def _request_id(ordinal: int) -> dict[str, str]:
    return {"x-request-id": f"req_sim{ordinal:04d}"}


def _envelope(request: ChatRequest, kind: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-sim{request.ordinal:04d}",
        "object": kind,
        "created": int(time.time()),
        "model": request.model,
    }


def _usage(answer: Answer) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": answer.input_tokens,
        "completion_tokens": answer.output_tokens,
        "total_tokens": answer.input_tokens + answer.output_tokens,
    }
    if answer.thinking is not None:
        usage["completion_tokens_details"] = {"reasoning_tokens": answer.thinking_tokens}
    return usage
