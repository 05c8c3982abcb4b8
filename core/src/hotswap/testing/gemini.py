"""Gemini's generativelanguage API (``POST /v1beta/models/{model}:generateContent`` and
``:streamGenerateContent?alt=sse``), as provider-facts §4 describes it.

The key comes in ``x-goog-api-key`` or ``?key=``: none is refused with 403
``PERMISSION_DENIED`` (Google's "unregistered callers" answer), a wrong one with 400
``INVALID_ARGUMENT`` / ``API_KEY_INVALID``. ``contents`` is required. Streams are data-only SSE
with no end marker: the last event carries ``finishReason`` and the usage; each function call
comes whole, in an event of its own. Thought parts are sent when
``generationConfig.thinkingConfig.includeThoughts`` is set. A stream asked for without
``alt=sse`` (a JSON array) is refused: every Gemini SDK asks for SSE.

The thinking rules are checked as Gemini checks them (:mod:`hotswap.testing.gemini_rules`):
``thinkingLevel`` only on Gemini 3 models and only the levels each accepts, ``thinkingBudget``
within each 2.5 model's range, never both. Gemini 3 models sign their answers
(``thoughtSignature`` on the first function call, else on the last part) and refuse a
function call in the current turn that comes back unsigned.

Once ``Simulator.serve_models("gemini", …)`` names the models, any other is a 404
``NOT_FOUND``, and ``GET /v1beta/models`` lists them.
"""

from __future__ import annotations

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
from hotswap.testing.gemini_rules import (
    describe_model,
    generation,
    signature_for,
    signature_refusal,
    thinking_refusal,
)
from hotswap.testing.replies import Answer, Finish
from hotswap.testing.wire import (
    BadJSON,
    ChatRequest,
    Dialect,
    Incoming,
    Outgoing,
    StreamBody,
    count_words,
    json_response,
    last_text,
    seconds_text,
    sse,
)

__all__ = ["Gemini"]

_FINISH_REASONS = {
    Finish.STOP: "STOP",
    Finish.LENGTH: "MAX_TOKENS",
    Finish.TOOL_USE: "STOP",
    Finish.CONTENT_FILTER: "SAFETY",
}
_TYPE = "type.googleapis.com/google.rpc."
_JSON = "application/json; charset=UTF-8"
_BLOCKED_RATINGS = [
    {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True},
    {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
]
_STATUS_NAMES = {503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
_SERVER_MESSAGES = {
    503: "The service is currently unavailable.",
    504: "Deadline expired before operation could complete.",
}


class Gemini(Dialect):
    name = "gemini"
    tool_id_prefix = "fc_sim"
    refusals = frozenset((Finish.CONTENT_FILTER, Finish.PROMPT_BLOCKED))

    def authenticate(self, incoming: Incoming, keys: frozenset[str] | None) -> Outgoing | None:
        key = incoming.headers.get("x-goog-api-key") or incoming.query.get("key", "")
        if not key:
            message = (
                "Method doesn't allow unregistered callers (callers without established "
                "identity). Please use API Key or other form of API consumer identity to call "
                "this API."
            )
            return _error(403, "PERMISSION_DENIED", message)
        if keys is not None and key not in keys:
            return _error(*_bad_key())
        return None

    def parse(self, incoming: Incoming, payload: Any, model: str | None) -> ChatRequest | Outgoing:
        stream = incoming.path.endswith(":streamGenerateContent")
        if stream and incoming.query.get("alt") != "sse":
            return _error(
                400,
                "INVALID_ARGUMENT",
                "hotswap simulator: streamGenerateContent is served as SSE only; add ?alt=sse",
            )
        if isinstance(payload, BadJSON):
            return _error(
                400, "INVALID_ARGUMENT", f"Invalid JSON payload received. {payload.error}"
            )
        if not isinstance(payload, dict):
            return _error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        contents = payload.get("contents")
        if not isinstance(contents, list) or not contents:
            message = "* GenerateContentRequest.contents: contents is not specified\n"
            return _error(400, "INVALID_ARGUMENT", message)
        config = payload.get("generationConfig")
        config = config if isinstance(config, dict) else {}
        thinking = config.get("thinkingConfig")
        limit = config.get("maxOutputTokens")
        refusal = thinking_refusal(model or "", thinking) or signature_refusal(
            model or "", contents
        )
        if refusal is not None:
            return _error(400, "INVALID_ARGUMENT", refusal)
        return ChatRequest(
            model=model or "",
            stream=stream,
            prompt=last_text(contents, role_key="role", roles=("user",), parts_key="parts"),
            input_words=count_words(contents) + count_words(payload.get("systemInstruction")),
            ordinal=incoming.ordinal,
            max_tokens=limit if isinstance(limit, int) else None,
            thinking=isinstance(thinking, dict) and thinking.get("includeThoughts") is True,
        )

    def respond(self, request: ChatRequest, answer: Answer) -> Outgoing:
        parts: list[dict[str, Any]] = []
        if answer.thinking is not None:
            parts.append({"text": answer.thinking, "thought": True})
        if answer.text:
            parts.append({"text": answer.text})
        parts.extend(_function_calls(answer))
        _sign(request, parts)
        return json_response(200, _response(request, answer, parts), content_type=_JSON)

    def stream(self, request: ChatRequest, answer: Answer) -> StreamBody:
        groups: list[list[dict[str, Any]]] = [
            [{"text": piece, "thought": True}] for piece in answer.thinking_pieces
        ]
        groups.extend([{"text": piece}] for piece in answer.text_pieces)
        groups.extend([call] for call in _function_calls(answer))
        if not groups:
            groups.append([{"text": ""}])
        _sign(request, [part for group in groups for part in group])
        frames = [sse(_chunk(request, parts), end=b"\r\n\r\n") for parts in groups[:-1]]
        final = _response(request, answer, groups[-1])
        frames.append(sse(final, end=b"\r\n\r\n"))
        return StreamBody("text/event-stream", tuple(frames), 1)

    def error(self, fault: ErrorFault, request: ChatRequest | None) -> Outgoing:
        return _error(*_describe(fault, request))

    def stream_error(self, fault: ErrorFault, request: ChatRequest) -> bytes:
        status, name, message, details = _describe(fault, request)
        return sse(_status_body(status, name, message, details), end=b"\r\n\r\n")

    def unsupported(self, what: str, request: ChatRequest) -> Outgoing:
        message = f"hotswap simulator: Gemini has no form for {what}; the script asked for one"
        return _error(500, "INTERNAL", message)

    def refuse_model(self, request: ChatRequest, served: frozenset[str]) -> Outgoing | None:
        if request.model in served:
            return None
        message = (
            f"models/{request.model} is not found for API version v1beta, or is not supported "
            "for generateContent. Call ListModels to see the list of available models and "
            "their supported methods."
        )
        return _error(404, "NOT_FOUND", message)

    def list_models(self, incoming: Incoming, served: frozenset[str] | None) -> Outgoing:
        models = [describe_model(name) for name in sorted(served or ())]
        return json_response(200, {"models": models}, content_type=_JSON)


_Status = tuple[int, str, str, list[dict[str, Any]]]


def _describe(fault: ErrorFault, request: ChatRequest | None) -> _Status:
    """HTTP status, ``google.rpc`` status name, message and details for an error fault."""
    if isinstance(fault, RateLimit):
        details = [
            _quota_failure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"),
            {"@type": _TYPE + "RetryInfo", "retryDelay": f"{seconds_text(fault.retry_after)}s"},
        ]
        message = "Resource has been exhausted (e.g. check quota)."
        return 429, "RESOURCE_EXHAUSTED", message, details
    if isinstance(fault, QuotaExhausted):
        details = [_quota_failure("GenerateRequestsPerDayPerProjectPerModel-FreeTier")]
        message = "You exceeded your current quota, please check your plan and billing details."
        return 429, "RESOURCE_EXHAUSTED", message, details
    if isinstance(fault, Overloaded):
        return 503, "UNAVAILABLE", "The model is overloaded. Please try again later.", []
    if isinstance(fault, ServerFault):
        name = _STATUS_NAMES.get(fault.status, "INTERNAL")
        message = _SERVER_MESSAGES.get(
            fault.status, "An internal error has occurred. Please retry or report the problem."
        )
        return fault.status, name, message, []
    if isinstance(fault, Unauthorized):
        return _bad_key()
    if isinstance(fault, Forbidden):
        return 403, "PERMISSION_DENIED", "The caller does not have permission", []
    if isinstance(fault, ContextTooLong):
        tokens = 1_048_576 + max(1, request.input_words if request else 1)
        message = (
            f"The input token count ({tokens}) exceeds the maximum number of tokens allowed "
            "(1048576)."
        )
        return 400, "INVALID_ARGUMENT", message, []
    raise TypeError(f"not an error fault: {fault!r}")


def _bad_key() -> _Status:
    info = {
        "@type": _TYPE + "ErrorInfo",
        "reason": "API_KEY_INVALID",
        "domain": "googleapis.com",
        "metadata": {"service": "generativelanguage.googleapis.com"},
    }
    return 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [info]


def _quota_failure(quota_id: str) -> dict[str, Any]:
    metric = "generativelanguage.googleapis.com/generate_content_free_tier_requests"
    return {
        "@type": _TYPE + "QuotaFailure",
        "violations": [{"quotaMetric": metric, "quotaId": quota_id}],
    }


def _status_body(
    status: int, name: str, message: str, details: list[dict[str, Any]]
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": status, "message": message, "status": name}
    if details:
        error["details"] = details
    return {"error": error}


def _error(
    status: int, name: str, message: str, details: list[dict[str, Any]] | None = None
) -> Outgoing:
    body = _status_body(status, name, message, details or [])
    return json_response(status, body, content_type=_JSON)


def _function_calls(answer: Answer) -> list[dict[str, Any]]:
    return [
        {"functionCall": {"name": call.name, "args": dict(call.arguments)}}
        for call in answer.tool_calls
    ]


def _sign(request: ChatRequest, parts: list[dict[str, Any]]) -> None:
    """Sign ``parts`` as a Gemini 3 model does: the first function call, else the last part."""
    if generation(request.model) < 3 or not parts:
        return
    calls = [part for part in parts if "functionCall" in part]
    signed = calls[0] if calls else parts[-1]
    signed["thoughtSignature"] = signature_for(request.ordinal)


def _chunk(request: ChatRequest, parts: list[dict[str, Any]]) -> dict[str, Any]:
    candidate = {"content": {"parts": parts, "role": "model"}, "index": 0}
    return {"candidates": [candidate], **_identity(request)}


def _response(request: ChatRequest, answer: Answer, parts: list[dict[str, Any]]) -> dict[str, Any]:
    """A whole response, or a stream's last event: ``parts`` plus how it ended and the usage."""
    usage: dict[str, Any] = {
        "promptTokenCount": answer.input_tokens,
        "candidatesTokenCount": answer.output_tokens - answer.thinking_tokens,
        "totalTokenCount": answer.input_tokens + answer.output_tokens,
    }
    if answer.thinking is not None:
        usage["thoughtsTokenCount"] = answer.thinking_tokens
    if answer.finish is Finish.PROMPT_BLOCKED:
        feedback = {"blockReason": "SAFETY", "safetyRatings": _BLOCKED_RATINGS}
        return {"promptFeedback": feedback, "usageMetadata": usage, **_identity(request)}
    finish = _FINISH_REASONS[answer.finish]
    candidate: dict[str, Any]
    if answer.finish is Finish.CONTENT_FILTER:
        candidate = {"finishReason": finish, "index": 0, "safetyRatings": _BLOCKED_RATINGS}
    else:
        content = {"parts": parts, "role": "model"}
        candidate = {"content": content, "finishReason": finish, "index": 0}
    return {"candidates": [candidate], "usageMetadata": usage, **_identity(request)}


def _identity(request: ChatRequest) -> dict[str, str]:
    return {"modelVersion": request.model, "responseId": f"sim{request.ordinal:04d}"}
