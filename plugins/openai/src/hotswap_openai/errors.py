"""OpenAI-compatible failures as hotswap's error kinds.

The error may be ``{"error": {"message", "type", "code", "param"}}`` (OpenAI, Groq, Mistral),
``{"error": {"code": <status>, "message", "metadata"}}`` (OpenRouter, also inside a 200),
``{"code": "...", "error": "<message>"}`` (xAI), ``{"message", "type", "code"}`` (Mistral),
``{"detail": [...]}`` (a 422) or a stream chunk's ``x_groq.error`` (Groq). The provider's own
rules are tried first, then the family's (:data:`FAMILY_RULES`), then the status; an error
inside a 200 body or stream with nothing to go on is a ``server_error``. Last, a
``server_error`` so found (the family's generic ``server_error`` type included) is
``overloaded`` when the status is 503 or 529 or the words say so
(:func:`hotswap.plugin.overload_wins`), while a specific meaning found first (a quota, a rate
limit, a context length) stands whatever the status.

The wait comes from ``retry-after-ms`` or ``retry-after``, else, on a rate limit, from the
``x-ratelimit-reset-requests`` / ``-tokens`` header of the exhausted limit (Go durations such
as ``6m0s``, ``1.5s``, ``20ms``), else from "Please try again in 1.5s" in the message.
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
    limit_reset_wait,
    overload_wins,
    retry_after_seconds,
)
from hotswap_openai.quirks import ErrorRule

__all__ = ["FAMILY_RULES", "classify"]

_K = ErrorKind
FAMILY_RULES: tuple[ErrorRule, ...] = (
    ErrorRule(_K.QUOTA_EXHAUSTED, code="insufficient_quota"),
    ErrorRule(_K.QUOTA_EXHAUSTED, code="credit_balance_exhausted"),
    ErrorRule(_K.QUOTA_EXHAUSTED, message=r"exceeded your current quota"),
    ErrorRule(_K.CONTEXT_LENGTH, code="context_length_exceeded"),
    ErrorRule(
        _K.CONTEXT_LENGTH,
        message=r"maximum context length|context window|reduce the length of the messages|"
        r"maximum prompt length|too large for model with",
    ),
    ErrorRule(_K.RATE_LIMITED, code="rate_limit_exceeded"),
    ErrorRule(_K.CONTENT_FILTER, code="content_policy_violation"),
    ErrorRule(_K.CONTENT_FILTER, code="content_filter"),
    ErrorRule(_K.CONTENT_FILTER, code="invalid_prompt"),
    ErrorRule(_K.AUTH, code="invalid_api_key"),
    ErrorRule(_K.AUTH, message=r"incorrect api key provided"),
    ErrorRule(_K.PERMISSION, code="unsupported_country_region_territory"),
    ErrorRule(_K.NOT_FOUND, code="model_not_found"),
    ErrorRule(_K.OVERLOADED, code="server_is_overloaded"),
    ErrorRule(_K.OVERLOADED, code="slow_down"),
    # The generic type, which overload_wins() still makes overloaded on a 503 or 529.
    ErrorRule(_K.SERVER_ERROR, code="server_error"),
)
"""What the whole family means by its codes and messages (provider-facts §2, §12)."""

_TRY_AGAIN = re.compile(r"try again in ((?:\d+(?:\.\d+)?(?:h|ms|m|s))+)", re.IGNORECASE)
_RESETS = ("requests", "tokens")


def classify(
    failure: Failure, rules: tuple[ErrorRule, ...] = (), *, now: float | None = None
) -> ErrorClassification | None:
    """The verdict on ``failure``; None for a transport failure (the core knows those).

    :param rules: the provider's own rules, tried before :data:`FAMILY_RULES`.
    :param now: the current POSIX time, for an HTTP-date ``retry-after``.
    """
    report = error_report(failure)
    if report is None:
        return None
    status, headers, message = report.status, report.headers, report.message
    codes, status_in_body, detail = _codes(report.payload)
    if status is None or status < 300:
        status = status_in_body  # an error inside a 200 (OpenRouter numbers it)
    if detail:
        message = f"{message} ({detail})"
    rule = next((r for r in (*rules, *FAMILY_RULES) if _matches(r, status, codes, message)), None)
    if rule is not None:
        kind = rule.kind
    elif status is not None and status >= 400:
        kind = classify_status(status)
    else:
        kind = ErrorKind.SERVER_ERROR
    kind = overload_wins(kind, status, message, *codes)
    code = next(iter(codes), None)
    return ErrorClassification(
        kind, message, retry_after=_wait(kind, headers, message, now), code=code
    )


def _codes(payload: Any) -> tuple[list[str], int | None, str | None]:
    """The error's code words, the status number it carries, and the words its message leaves
    out: the upstream provider's (OpenRouter's ``metadata.raw``) or Groq's ``x_groq.error``."""
    if not isinstance(payload, dict):
        return [], None, None
    error = payload.get("error")
    x_groq = payload.get("x_groq")
    if isinstance(error, dict):
        source: Mapping[str, Any] = error
    elif isinstance(x_groq, dict):
        said = x_groq.get("error")
        return [], None, said if isinstance(said, str) and said else None
    else:
        source = payload  # xAI's {"code", "error"} and Mistral's {"message", "type", "code"}
    codes = [str(source[key]) for key in ("code", "type") if isinstance(source.get(key), str)]
    number = source.get("code")
    status = number if isinstance(number, int) and not isinstance(number, bool) else None
    metadata = source.get("metadata")
    detail = None
    if isinstance(metadata, dict) and isinstance(metadata.get("raw"), str):
        upstream = metadata.get("provider_name")
        detail = f"{upstream}: {metadata['raw']}" if upstream else metadata["raw"]
    return codes, status, detail


def _matches(rule: ErrorRule, status: int | None, codes: list[str], message: str) -> bool:
    if rule.status is not None and rule.status != status:
        return False
    if rule.code is not None and rule.code not in codes:
        return False
    return rule.message is None or re.search(rule.message, message, re.IGNORECASE) is not None


def _wait(
    kind: ErrorKind, headers: Mapping[str, str], message: str, now: float | None
) -> float | None:
    asked = retry_after_seconds(headers, now=now)
    if asked is not None or kind is not ErrorKind.RATE_LIMITED:
        return asked
    resets = {
        limit: wait
        for limit in _RESETS
        if (wait := duration_seconds(headers.get(f"x-ratelimit-reset-{limit}", ""))) is not None
    }
    remaining = {limit: headers.get(f"x-ratelimit-remaining-{limit}") for limit in resets}
    if resets:
        return limit_reset_wait(resets, remaining)
    found = _TRY_AGAIN.search(message)
    return duration_seconds(found.group(1)) if found else None
