"""Gemini's failures as hotswap's error kinds: a ``google.rpc.Status`` by its ``status`` name
first and the HTTP status second, and the refusals Gemini sends as answers.

=======================  ================================================================
status                   kind
=======================  ================================================================
INVALID_ARGUMENT         ``invalid_request``; ``auth`` when ``ErrorInfo.reason`` is
                         ``API_KEY_INVALID``; ``context_length`` when the input token count
                         exceeds the maximum
FAILED_PRECONDITION      ``permission`` (no free tier in the region, billing not enabled)
UNAUTHENTICATED          ``auth``
PERMISSION_DENIED        ``permission``; ``auth`` when the key itself is refused (invalid,
                         reported as leaked)
NOT_FOUND                ``not_found``
RESOURCE_EXHAUSTED       ``rate_limited``, waiting the ``RetryInfo.retryDelay``; but
                         ``quota_exhausted`` for a daily quota (a ``PerDay`` quota id), a
                         quota of 0 (no free tier for the model), a delay over five minutes,
                         or HTTP 402 (prepaid credit used up); and ``overloaded`` when
                         ``ErrorInfo.reason`` is ``MODEL_CAPACITY_EXHAUSTED`` (Google's
                         capacity, not the caller's)
UNAVAILABLE              ``overloaded``
DEADLINE_EXCEEDED        ``timeout``
CANCELLED                ``connection``
INTERNAL, UNKNOWN, ...   ``server_error``; ``overloaded`` with status 503 or 529, or a message
                         saying the model is overloaded (:func:`hotswap.plugin.overload_wins`)
=======================  ================================================================

A blocked prompt (``promptFeedback.blockReason``) is ``content_filter``, with the reason; an
answer the model broke (``MALFORMED_FUNCTION_CALL``...) is ``server_error``, worth another try.
Both arrive with HTTP 200, as does an error inside a stream (``data: {"error": ...}``), which
is classified as any other, its ``code`` standing for the HTTP status.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hotswap.plugin import (
    ErrorClassification,
    ErrorKind,
    Failure,
    classify_status,
    duration_seconds,
    error_report,
    overload_wins,
    retry_after_seconds,
)
from hotswap_google.response import MODEL_ERRORS, blocked

KINDS = {
    "INVALID_ARGUMENT": ErrorKind.INVALID_REQUEST,
    "FAILED_PRECONDITION": ErrorKind.PERMISSION,
    "OUT_OF_RANGE": ErrorKind.INVALID_REQUEST,
    "UNAUTHENTICATED": ErrorKind.AUTH,
    "PERMISSION_DENIED": ErrorKind.PERMISSION,
    "NOT_FOUND": ErrorKind.NOT_FOUND,
    "ALREADY_EXISTS": ErrorKind.INVALID_REQUEST,
    "RESOURCE_EXHAUSTED": ErrorKind.RATE_LIMITED,
    "UNAVAILABLE": ErrorKind.OVERLOADED,
    "DEADLINE_EXCEEDED": ErrorKind.TIMEOUT,
    "CANCELLED": ErrorKind.CONNECTION,
    "ABORTED": ErrorKind.SERVER_ERROR,
    "INTERNAL": ErrorKind.SERVER_ERROR,
    "UNKNOWN": ErrorKind.SERVER_ERROR,
    "DATA_LOSS": ErrorKind.SERVER_ERROR,
    "UNIMPLEMENTED": ErrorKind.INVALID_REQUEST,
}
_RPC = "type.googleapis.com/google.rpc."
_KEY_REFUSED = frozenset(("API_KEY_INVALID", "API_KEY_SERVICE_BLOCKED"))
_NO_CAPACITY = "MODEL_CAPACITY_EXHAUSTED"
_KEY_MESSAGE = re.compile(r"API key (not valid|expired|was reported as leaked)", re.IGNORECASE)
_TOO_LONG = re.compile(r"input token count.*exceeds the maximum", re.IGNORECASE | re.DOTALL)
_NO_QUOTA = re.compile(r"limit: 0\b")
LONGEST_RATE_LIMIT_S = 300.0
"""A rate limit Gemini asks to wait out for longer than this is a spent quota."""


def classify(failure: Failure) -> ErrorClassification | None:
    """The verdict on ``failure``; None for a transport failure (the core knows those)."""
    report = error_report(failure)
    if report is None:
        return None
    payload = report.payload if isinstance(report.payload, Mapping) else {}
    if blocked(payload):
        return _blocked(payload["promptFeedback"])
    reason = _finish_reason(payload)
    if reason in MODEL_ERRORS:
        said = _candidate(payload).get("finishMessage") or "the model's answer was unusable"
        message = f"Gemini ended the answer with {reason}: {said}"
        return ErrorClassification(ErrorKind.SERVER_ERROR, message, code=reason)
    error = payload.get("error")
    error = error if isinstance(error, Mapping) else {}
    name = error.get("status") if isinstance(error.get("status"), str) else None
    details = [d for d in error.get("details") or () if isinstance(d, Mapping)]
    info = next((d for d in details if d.get("@type") == _RPC + "ErrorInfo"), {})
    message = report.message
    status = report.status
    if status is None or status < 300:  # an error in a stream or a 200 gives its status as code
        number = error.get("code")
        status = number if isinstance(number, int) and not isinstance(number, bool) else None
    if name in KINDS:
        kind = KINDS[name]
    elif status is not None and status >= 300:
        kind = classify_status(status)
    else:
        kind = ErrorKind.SERVER_ERROR  # an error inside a stream without a status or its name
    kind = overload_wins(kind, status, message)
    retry_after = _retry_delay(details)
    if retry_after is None:
        retry_after = retry_after_seconds(report.headers)
    if kind in (ErrorKind.INVALID_REQUEST, ErrorKind.PERMISSION) and (
        info.get("reason") in _KEY_REFUSED or _KEY_MESSAGE.search(message)
    ):
        kind = ErrorKind.AUTH
    elif kind is ErrorKind.INVALID_REQUEST and _TOO_LONG.search(message):
        kind = ErrorKind.CONTEXT_LENGTH
    elif kind is ErrorKind.RATE_LIMITED and info.get("reason") == _NO_CAPACITY:
        kind = ErrorKind.OVERLOADED
    elif kind is ErrorKind.RATE_LIMITED and (
        status == 402 or _spent(details, message, retry_after)
    ):
        kind = ErrorKind.QUOTA_EXHAUSTED
    code = info.get("reason") if isinstance(info.get("reason"), str) else name
    return ErrorClassification(kind, message, retry_after=retry_after, code=code)


def _blocked(feedback: Mapping[str, Any]) -> ErrorClassification:
    reason = str(feedback["blockReason"])
    said = feedback.get("blockReasonMessage")
    message = f"Gemini blocked the prompt ({reason})" + (f": {said}" if said else "")
    return ErrorClassification(ErrorKind.CONTENT_FILTER, message, code=reason)


def _candidate(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    candidates = payload.get("candidates")
    if isinstance(candidates, list) and candidates and isinstance(candidates[0], Mapping):
        return candidates[0]
    return {}


def _finish_reason(payload: Mapping[str, Any]) -> Any:
    return _candidate(payload).get("finishReason")


def _retry_delay(details: list[Mapping[str, Any]]) -> float | None:
    for detail in details:
        if detail.get("@type") == _RPC + "RetryInfo" and isinstance(detail.get("retryDelay"), str):
            return duration_seconds(detail["retryDelay"])
    return None


def _spent(details: list[Mapping[str, Any]], message: str, retry_after: float | None) -> bool:
    """Whether a RESOURCE_EXHAUSTED is a quota that waiting a little will not bring back."""
    quota_ids = [
        str(violation.get("quotaId", ""))
        for detail in details
        if detail.get("@type") == _RPC + "QuotaFailure"
        for violation in detail.get("violations") or ()
        if isinstance(violation, Mapping)
    ]
    if any("PerDay" in quota for quota in quota_ids) or _NO_QUOTA.search(message):
        return True
    return retry_after is not None and retry_after > LONGEST_RATE_LIMIT_S
