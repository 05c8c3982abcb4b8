"""Anthropic's failures as hotswap's error kinds, by ``error.type`` first and status second.

Beyond the type: what would be a ``server_error`` (``api_error``, an unknown type, a 5xx with
no type) is ``overloaded`` when its status is 503 or 529 or its message says so, as a 500
``api_error`` "Overloaded" does (:func:`hotswap.plugin.overload_wins`); a spend limit (429
``enforced_spend_limit_reached``, or a 400 about spend limits or credit balance) is
``quota_exhausted``, never retried; a 400 saying the prompt is too long is ``context_length``; a
refused subscription (OAuth) token is ``auth`` with a message that suggests an API key. A 429
without ``retry-after`` waits for the ``anthropic-ratelimit-*-reset`` of the exhausted limit
(else the earliest reset). Errors sent inside a stream carry the same body, so they are
classified the same way.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import datetime, timezone

from hotswap.plugin import (
    ErrorClassification,
    ErrorKind,
    Failure,
    classify_status,
    error_report,
    limit_reset_wait,
    overload_wins,
    retry_after_seconds,
)

KINDS = {
    "invalid_request_error": ErrorKind.INVALID_REQUEST,
    "authentication_error": ErrorKind.AUTH,
    "billing_error": ErrorKind.QUOTA_EXHAUSTED,
    "permission_error": ErrorKind.PERMISSION,
    "not_found_error": ErrorKind.NOT_FOUND,
    "conflict_error": ErrorKind.SERVER_ERROR,  # the SDKs retry it
    "request_too_large": ErrorKind.INVALID_REQUEST,
    "rate_limit_error": ErrorKind.RATE_LIMITED,
    "api_error": ErrorKind.SERVER_ERROR,
    "timeout_error": ErrorKind.TIMEOUT,
    "overloaded_error": ErrorKind.OVERLOADED,
}
SPEND_LIMIT = "enforced_spend_limit_reached"
_SPENT = re.compile(r"spend(?:ing)? limit|usage limit|credit balance", re.IGNORECASE)
_TOO_LONG = re.compile(r"prompt is too long|exceed context limit", re.IGNORECASE)
_OAUTH_REFUSAL = re.compile(r"oauth|bearer|only authorized for use with claude code", re.I)
OAUTH_ADVICE = (
    "Anthropic refused the Claude subscription (OAuth) token ({message}). Subscription tokens "
    "may not be accepted for direct API use: set ANTHROPIC_API_KEY, or the credential "
    "anthropic_key, to an API key from console.anthropic.com instead"
)


def classify(
    failure: Failure, *, oauth: bool = False, now: float | None = None
) -> ErrorClassification | None:
    """The verdict on ``failure``; None for a transport failure (the core knows those).

    :param oauth: whether the model may be sending an OAuth token (auth type ``oauth_token``
        or ``pi_auth``), so that a 401 or a bare 400 "Error" not about ``x-api-key`` is
        explained as the token's refusal.
    :param now: the current POSIX time, for rate-limit reset timestamps.
    """
    report = error_report(failure)
    if report is None:
        return None
    status, payload, message = report.status, report.payload, report.message
    error = payload.get("error") if isinstance(payload, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("type") if isinstance(error.get("type"), str) else None
    kind = KINDS.get(code or "") or (classify_status(status) if status else ErrorKind.SERVER_ERROR)
    kind = overload_wins(kind, status, message, code or "")
    details = error.get("details")
    if isinstance(details, dict) and details.get("error_code") == SPEND_LIMIT:
        return ErrorClassification(ErrorKind.QUOTA_EXHAUSTED, message, code=SPEND_LIMIT)
    if kind is ErrorKind.INVALID_REQUEST and _SPENT.search(message):
        kind = ErrorKind.QUOTA_EXHAUSTED
    elif kind is ErrorKind.INVALID_REQUEST and _TOO_LONG.search(message):
        kind = ErrorKind.CONTEXT_LENGTH
    refused = _OAUTH_REFUSAL.search(message) or (
        oauth and "x-api-key" not in message and (status == 401 or message == "Error")
    )
    if refused and kind in (ErrorKind.AUTH, ErrorKind.INVALID_REQUEST):
        kind, message = ErrorKind.AUTH, OAUTH_ADVICE.format(message=message)
    retry_after = retry_after_seconds(report.headers, now=now)
    if retry_after is None and kind is ErrorKind.RATE_LIMITED:
        retry_after = _reset_delay(report.headers, time.time() if now is None else now)
    return ErrorClassification(kind, message, retry_after=retry_after, code=code)


def _reset_delay(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until the exhausted limit resets (the latest, if several), else the earliest."""
    resets: dict[str, float] = {}
    for name, value in headers.items():
        if name.startswith("anthropic-ratelimit-") and name.endswith("-reset"):
            try:
                when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                continue
            when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
            resets[name[: -len("reset")]] = max(when.timestamp() - now, 0.0)
    return limit_reset_wait(resets, {limit: headers.get(limit + "remaining") for limit in resets})
