"""OpenAI chat completions (``POST …/chat/completions``), as provider-facts §2 describes it.

One format for the whole OpenAI-compatible family: OpenAI's ``/v1``, Groq's ``/openai/v1``,
OpenRouter's ``/api/v1``, and xAI, Mistral, Ollama's ``/v1`` and custom servers, which all speak
it. Checks a bearer token, then ``model`` and a non-empty ``messages``. Streams end with
``data: [DONE]``; usage comes as a last ``choices: []`` chunk when
``stream_options.include_usage`` is set. OpenAI itself never returns reasoning text, but its
compatible servers do, so when a request asks for reasoning (``reasoning_effort`` other than
``none``, ``reasoning``, ``include_reasoning``) the thinking text comes back in
``message.reasoning`` (``delta.reasoning``), as Groq, OpenRouter and Ollama send it.

Where a compatible provider's wire differs, the simulator speaks its variant, told by the path
or the model id (provider-facts §3, §5, §6, §7):

* **Groq** (``/openai/v1/…``): the finish chunk of a stream carries ``x_groq.usage``.
* **OpenRouter** (``/api/v1/…``): a stream opens with a ``: OPENROUTER PROCESSING`` comment and
  always ends with a usage chunk; errors are ``{"error": {"code": <status>, "message",
  "metadata"}}``, out of credit is a 402, and an error after a stream began is a chunk with that
  ``error`` and ``finish_reason: "error"``.
* **Mistral** (``mistral-*``, ``magistral-*``, ``codestral-*``, ``devstral-*``, ``ministral-*``,
  ``pixtral-*``, ``open-mistral-*``): the finish chunk of a stream always carries ``usage``;
  errors are ``{"object": "error", "message", "type", "param", "code"}``, a rate limit
  ``rate_limited`` code ``1300``, overload "Service tier capacity exceeded" code ``3505``.
* **xAI** (``grok-*``): errors are ``{"code": "<grpc-ish>", "error": "<message>"}``; a refused
  key is a **400**; out of credit is a 429 about spending limits.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

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
_KEEP_ALIVE = b": OPENROUTER PROCESSING\n\n"
_MISTRAL_MODELS = re.compile(
    r"(mistral|magistral|codestral|devstral|ministral|pixtral|open-mistral)-"
)

Variant: TypeAlias = Literal["openai", "groq", "openrouter", "mistral", "xai"]


@dataclass(frozen=True, slots=True)
class CompatRequest(ChatRequest):
    """A chat request, and which provider's variant of the format answers it."""

    variant: Variant = "openai"


def variant_of(path: str, model: Any) -> Variant:
    """The provider a request is for, by its path (Groq, OpenRouter) or model id (Mistral,
    xAI); OpenAI's own format otherwise."""
    if path.startswith("/openai/v1/"):
        return "groq"
    if path.startswith("/api/v1/"):
        return "openrouter"
    if isinstance(model, str) and _MISTRAL_MODELS.match(model):
        return "mistral"
    if isinstance(model, str) and model.startswith("grok-"):
        return "xai"
    return "openai"


def _variant(request: ChatRequest | None) -> Variant:
    return request.variant if isinstance(request, CompatRequest) else "openai"


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
            payload = _model_in(incoming.body)
            if variant_of(incoming.path, payload) == "xai":
                return _xai_error(400, f"Incorrect API key provided: {_masked(token)}.")
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
        return CompatRequest(
            variant=variant_of(incoming.path, payload["model"]),
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
        variant = _variant(request)
        usage_chunk = request.include_usage or variant == "openrouter"
        usage_field = {"usage": None} if usage_chunk else {}

        def chunk(delta: dict[str, Any], finish: str | None = None, **more: Any) -> bytes:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            return sse({**envelope, "choices": [choice], **usage_field, **more})

        frames = [_KEEP_ALIVE] if variant == "openrouter" else []
        frames.append(chunk({"role": "assistant", "content": ""}))
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
        finish_usage: dict[str, Any] = {}
        if variant == "groq":
            finish_usage["x_groq"] = {
                "id": f"req_sim{request.ordinal:04d}",
                "usage": _usage(answer),
            }
        elif variant == "mistral":
            finish_usage["usage"] = _usage(answer)
        frames.append(chunk({}, _FINISH_REASONS[answer.finish], **finish_usage))
        if usage_chunk:
            frames.append(sse({**envelope, "choices": [], "usage": _usage(answer)}))
        frames.append(_DONE)
        content_type = "text/event-stream; charset=utf-8"
        return StreamBody(content_type, tuple(frames), 1, _request_id(request.ordinal))

    def error(self, fault: ErrorFault, request: ChatRequest | None) -> Outgoing:
        variant = _variant(request)
        if variant in ("openrouter", "mistral", "xai"):
            status, body, headers = _VARIANT_ERRORS[variant](fault, request)
            return json_response(status, body, headers)
        status, fields, headers = _describe(fault, request)
        return _error(status, *fields, request.ordinal if request else 0, headers)

    def stream_error(self, fault: ErrorFault, request: ChatRequest) -> bytes:
        if _variant(request) == "openrouter":
            _, body, _ = _openrouter_error(fault, request)
            choice = {"index": 0, "delta": {"content": ""}, "finish_reason": "error"}
            envelope = _envelope(request, "chat.completion.chunk")
            return sse({**envelope, **body, "choices": [choice]})
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
    message = (
        f"Incorrect API key provided: {_masked(key)}. You can find your API key at {_KEYS_PAGE}."
    )
    return message, "invalid_request_error", None, "invalid_api_key"


def _masked(key: str) -> str:
    return f"{key[:3]}{'*' * 8}{key[-4:]}" if len(key) > 8 else "*" * len(key)


def _model_in(body: bytes) -> Any:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    return payload.get("model") if isinstance(payload, dict) else None


# -- the compatible providers' own error shapes ---------------------------------------------------

_Described: TypeAlias = "tuple[int, dict[str, Any], Mapping[str, str]]"
"""An error answer's status, body and extra headers."""


def _openrouter_error(fault: ErrorFault, request: ChatRequest | None) -> _Described:
    """OpenRouter's ``{"error": {"code", "message", "metadata"}}``: OpenAI's statuses and
    messages, except that being out of credit is a 402 and upstream failures name the
    provider."""
    status, (message, *_), headers = _describe(fault, request)
    metadata: dict[str, Any] = {}
    if isinstance(fault, QuotaExhausted):
        status, headers = 402, {}
        message = "Insufficient credits. Add more using https://openrouter.ai/settings/credits"
    elif isinstance(fault, RateLimit):
        headers = {"retry-after": seconds_text(fault.retry_after)}
    elif isinstance(fault, (Overloaded, ServerFault)):
        metadata = {"provider_name": "Simulated", "raw": message}
        message = "Provider returned error"
    body: dict[str, Any] = {"code": status, "message": message}
    if metadata:
        body["metadata"] = metadata
    return status, {"error": body}, headers


def _mistral_error(fault: ErrorFault, request: ChatRequest | None) -> _Described:
    """Mistral's ``{"object": "error", "message", "type", "param", "code"}``."""
    status, (message, kind, param, code), headers = _describe(fault, request)
    if isinstance(fault, RateLimit):
        message, kind, code = "Rate limit exceeded", "rate_limited", "1300"
        headers = {"retry-after": seconds_text(fault.retry_after)}
    elif isinstance(fault, Overloaded):
        message = "Service tier capacity exceeded for this model."
        kind, code = "service_tier_capacity_exceeded", "3505"
    elif isinstance(fault, ContextTooLong):
        tokens = 131_072 + max(1, request.input_words if request else 1)
        message = (
            f"Prompt contains {tokens} tokens and 0 draft tokens, too large for model with "
            "131072 maximum context length"
        )
        kind, code = "invalid_request_message_order", "3051"
    body = {"object": "error", "message": message, "type": kind, "param": param, "code": code}
    return status, body, headers


def _xai_error(status: int, message: str, code: str = "invalid-argument") -> Outgoing:
    return json_response(status, {"code": code, "error": message})


def _xai_described(fault: ErrorFault, request: ChatRequest | None) -> _Described:
    """xAI's ``{"code", "error"}``: a refused key is a 400; out of credit a 429 about limits."""
    status, (message, *_), headers = _describe(fault, request)
    code = {400: "invalid-argument", 403: "permission-denied", 429: "resource-exhausted"}
    if isinstance(fault, Unauthorized):
        status = 400
        message = "Incorrect API key provided: xa***ey. You can obtain an API key from "
        message += "https://console.x.ai."
    elif isinstance(fault, QuotaExhausted):
        message = (
            "Your team sim-team has either used all available credits or reached its monthly "
            "spending limit. To continue making API requests, please purchase more credits or "
            "raise your spending limit."
        )
    elif isinstance(fault, RateLimit):
        message = "Too many requests for team sim-team: requests per minute (actual/limit): 61/60"
    elif isinstance(fault, ContextTooLong):
        tokens = 131_072 + max(1, request.input_words if request else 1)
        message = (
            f"This model's maximum prompt length is 131072 but the request contains {tokens} "
            "tokens."
        )
    return status, {"code": code.get(status, "internal"), "error": message}, headers


_VARIANT_ERRORS = {
    "openrouter": _openrouter_error,
    "mistral": _mistral_error,
    "xai": _xai_described,
}


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
