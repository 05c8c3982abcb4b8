"""Gemini ``generateContent`` (provider-facts §4): ``:generateContent`` and
``:streamGenerateContent?alt=sse``, the finish reason on the last text and no end marker, and
``google.rpc.Status`` errors (§4.4)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from .base import (
    Asked,
    Frames,
    Shape,
    Usage,
    WireFormat,
    WireFrame,
    count_words,
    dump,
    joined,
    sse_crlf,
    user_texts,
)

_GEMINI_MODEL = re.compile(r"^/v1beta/models/(?P<model>[^/:]+):(?P<method>\w+)$")
_RPC = "type.googleapis.com/google.rpc."


def gemini_route(path: str) -> tuple[str, str] | None:
    """The model and method a Gemini path names, or None."""
    found = _GEMINI_MODEL.match(path)
    return (found["model"], found["method"]) if found else None


def _gemini_asked(path: str, query: Mapping[str, str], body: Any) -> Asked:
    model, method = gemini_route(path) or ("", "")
    contents = body.get("contents") or []
    users = user_texts(contents, "role", "user", lambda c: joined(c.get("parts")))
    return Asked(
        model=model,
        stream=method == "streamGenerateContent",
        question=users[0] if users else "",
        turns=len(contents),
        input_words=count_words(contents),
    )


def _gemini_response(asked: Asked, text: str, usage: Usage, *, last: bool) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"parts": [{"text": text}], "role": "model"}}
    metadata: dict[str, Any] = {"promptTokenCount": usage.input}
    if last:
        candidate["finishReason"] = "STOP"
        metadata.update(
            candidatesTokenCount=usage.output, totalTokenCount=usage.input + usage.output
        )
    candidate["index"] = 0
    return {
        "candidates": [candidate],
        "usageMetadata": metadata,
        "modelVersion": asked.model,
        "responseId": "FaultServer",
    }


def _gemini_frames(asked: Asked, pieces: list[str], usage: Usage) -> Frames:
    # No end marker: the last text comes with the finish reason, then the body ends.
    pieces = pieces or [""]
    texts = [
        WireFrame(dump(_gemini_response(asked, piece, usage, last=i == len(pieces) - 1)))
        for i, piece in enumerate(pieces)
    ]
    return Frames(head=[], texts=texts, tail=[])


def _gemini_whole(asked: Asked, text: str, usage: Usage) -> bytes:
    return dump(_gemini_response(asked, text, usage, last=True))


def _gemini_status(status: int, name: str, message: str, *details: dict[str, Any]) -> bytes:
    error: dict[str, Any] = {"code": status, "message": message, "status": name}
    if details:
        error["details"] = list(details)
    return dump({"error": error})


def _gemini_error(
    status: int, name: str, message: str, *details: dict[str, Any]
) -> Callable[[], Shape]:
    body = _gemini_status(status, name, message, *details)
    return lambda: Shape(status, body, (), "application/json; charset=UTF-8")


def _quota(quota_id: str) -> dict[str, Any]:
    metric = "generativelanguage.googleapis.com/generate_content_free_tier_requests"
    return {
        "@type": _RPC + "QuotaFailure",
        "violations": [{"quotaMetric": metric, "quotaId": quota_id}],
    }


def _retry(delay: str) -> dict[str, Any]:
    return {"@type": _RPC + "RetryInfo", "retryDelay": delay}


_EXHAUSTED = "Resource has been exhausted (e.g. check quota)."
_PER_MINUTE = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"

GEMINI = WireFormat(
    name="gemini",
    stream_type="text/event-stream",
    whole_type="application/json; charset=UTF-8",
    render=sse_crlf,
    asked=_gemini_asked,
    frames=_gemini_frames,
    whole=_gemini_whole,
    errors={
        ("rate_limited", "retry-info"): _gemini_error(
            429, "RESOURCE_EXHAUSTED", _EXHAUSTED, _quota(_PER_MINUTE), _retry("20s")
        ),
        ("rate_limited", "retry-info-0s"): _gemini_error(
            429, "RESOURCE_EXHAUSTED", _EXHAUSTED, _quota(_PER_MINUTE), _retry("0s")
        ),
        ("overloaded", "503"): _gemini_error(
            503, "UNAVAILABLE", "The model is overloaded. Please try again later."
        ),
        ("server_error", "500"): _gemini_error(
            500, "INTERNAL", "An internal error has occurred. Please retry or report the problem."
        ),
        ("quota_exhausted", "per-day-429"): _gemini_error(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
            _quota("GenerateRequestsPerDayPerProjectPerModel-FreeTier"),
        ),
        ("quota_exhausted", "prepaid-402"): _gemini_error(
            402, "RESOURCE_EXHAUSTED", "Your prepaid credits are used up."
        ),
        ("auth", "api-key-invalid-400"): _gemini_error(
            400,
            "INVALID_ARGUMENT",
            "API key not valid. Please pass a valid API key.",
            {
                "@type": _RPC + "ErrorInfo",
                "reason": "API_KEY_INVALID",
                "domain": "googleapis.com",
                "metadata": {"service": "generativelanguage.googleapis.com"},
            },
        ),
        ("auth", "401"): _gemini_error(
            401, "UNAUTHENTICATED", "Request had invalid authentication credentials."
        ),
        ("permission", "403"): _gemini_error(
            403, "PERMISSION_DENIED", "The caller does not have permission"
        ),
    },
    stream_errors={
        "overloaded": WireFrame(
            _gemini_status(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")
        ),
        "server_error": WireFrame(
            _gemini_status(500, "INTERNAL", "An internal error has occurred.")
        ),
    },
    garbage=b"data: garbage after the end\r\n\r\n",
)
