"""Provider-neutral error classification: the verdict when no plugin knows better.

The core registers :func:`classify_failure` as the last ``hotswap_classify_error``
implementation. Plugins call the same helpers (:func:`classify_status`,
:func:`retry_after_seconds`, :func:`provider_message`, :func:`overload_wins`) for everything
their provider does not do differently, so the common rules live once.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hotswap.types.errors import ErrorClassification, ErrorKind
from hotswap.types.events import StreamFailure
from hotswap.types.http import Failure, HttpResponse, TransportFailure

__all__ = [
    "ErrorReport",
    "classify_failure",
    "classify_status",
    "duration_seconds",
    "error_report",
    "limit_reset_wait",
    "message_in",
    "overload_wins",
    "provider_message",
    "retry_after_seconds",
]

_BY_STATUS = {
    401: ErrorKind.AUTH,
    402: ErrorKind.QUOTA_EXHAUSTED,
    403: ErrorKind.PERMISSION,
    404: ErrorKind.NOT_FOUND,
    408: ErrorKind.TIMEOUT,
    413: ErrorKind.INVALID_REQUEST,
    429: ErrorKind.RATE_LIMITED,
    499: ErrorKind.CONNECTION,
    503: ErrorKind.OVERLOADED,
    504: ErrorKind.TIMEOUT,
    529: ErrorKind.OVERLOADED,
}


def classify_status(status: int) -> ErrorKind:
    """The kind an HTTP status means when nothing in the body says more."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ErrorKind.SERVER_ERROR
    if status >= 400:
        return ErrorKind.INVALID_REQUEST
    return ErrorKind.UNKNOWN


_OVERLOAD_STATUSES = frozenset((503, 529))
_OVERLOAD_WORDS = re.compile(
    r"overloaded|\bbusy\b|(?:at|over|no) capacity|capacity[ _]exceeded", re.IGNORECASE
)


def overload_wins(kind: ErrorKind, status: int | None, *said: str) -> ErrorKind:
    """``kind``, unless it is the generic ``server_error`` and the failure says the provider is
    overloaded, by status 503 or 529 or in its words (``overloaded``, ``overloaded_error``,
    ``server_is_overloaded``, "server busy", "at capacity", "capacity exceeded"): then
    ``overloaded``. Every other kind is kept, since a quota, rate limit or context length the
    provider named is the more specific verdict.

    :param kind: the verdict so far, from the provider's error type, code or status.
    :param status: the HTTP status, or the status number an error in a 200 carries; None if none.
    :param said: the provider's message and its error codes or types.
    """
    if kind is not ErrorKind.SERVER_ERROR:
        return kind
    if status in _OVERLOAD_STATUSES or any(_OVERLOAD_WORDS.search(words) for words in said):
        return ErrorKind.OVERLOADED
    return kind


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait a response asked for, in seconds, from ``retry-after-ms`` (milliseconds), then
    ``retry-after`` (seconds, or an HTTP date). None when absent or unreadable; never negative.

    :param headers: response headers with lower-case names.
    :param now: the current POSIX time, for HTTP dates (injectable for tests).
    """
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|us|µs|ns|m|s)")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def limit_reset_wait(
    resets: Mapping[str, float], remaining: Mapping[str, str | None]
) -> float | None:
    """The wait before a 429 lifts, from a provider's per-limit reset headers (requests,
    tokens...): the reset of the limit that is used up (the latest, if several are), else the
    soonest reset; None when no reset was given.

    :param resets: seconds until each limit resets, by limit name.
    :param remaining: each limit's ``remaining`` header as sent (``"0"`` when used up).
    """
    spent = [wait for limit, wait in resets.items() if remaining.get(limit) == "0"]
    if spent:
        return max(spent)
    return min(resets.values(), default=None)


def duration_seconds(text: str) -> float | None:
    """Seconds in a duration written as Go and protobuf write them: ``6m0s``, ``1.5s``,
    ``20ms``, ``2m59.56s``, ``1h2m``, ``37s`` (OpenAI's and Groq's ``x-ratelimit-reset-*``
    headers, Gemini's ``retryDelay``). None when ``text`` is not such a duration."""
    text = text.strip()
    pieces = _DURATION.findall(text)
    if not pieces or "".join(number + unit for number, unit in pieces) != text:
        return None
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in pieces)


_TITLE = re.compile(rb"<title>\s*(.*?)\s*</title>", re.IGNORECASE | re.DOTALL)


def provider_message(response: HttpResponse) -> str:
    """The provider's own words from an error body: ``error.message``, ``message``,
    ``error`` or ``detail`` in JSON, the ``<title>`` of an HTML page, or the start of the text."""
    found = message_in(response.json())
    if found:
        return found
    title = _TITLE.search(response.body)
    if title:
        return title.group(1).decode("utf-8", errors="replace")
    text = response.text.strip()
    return text[:300] if text else f"HTTP {response.status} with an empty body"


def message_in(payload: Any) -> str | None:
    """The human message inside a decoded error payload of any common shape, if there is one."""
    if isinstance(payload, str):
        return payload or None
    if isinstance(payload, list) and payload:
        return message_in(payload[0])
    if not isinstance(payload, dict):
        return None
    for key in ("error", "message", "detail", "msg"):
        value = payload.get(key)
        if isinstance(value, (dict, list)):
            nested = message_in(value)
            if nested:
                return nested
        elif isinstance(value, str) and value:
            return value
    return None


@dataclass(frozen=True, slots=True)
class ErrorReport:
    """What a provider said when it failed, whichever way it said it.

    :param status: the HTTP status; None for an error sent inside a stream.
    :param headers: the response headers (empty for an error inside a stream).
    :param payload: the decoded error body or stream event (None if the body is not JSON).
    :param message: the provider's own words (see :func:`provider_message`).
    """

    status: int | None
    payload: Any
    message: str
    headers: Mapping[str, str] = field(default_factory=dict)


def error_report(failure: Failure) -> ErrorReport | None:
    """The status, headers, decoded body and message of an error response or an error sent
    inside a stream; None for a transport failure, which carries no provider words."""
    if isinstance(failure, TransportFailure):
        return None
    if isinstance(failure, StreamFailure):
        message = message_in(failure.payload) or "the provider reported an error mid-stream"
        return ErrorReport(None, failure.payload, message)
    return ErrorReport(failure.status, failure.json(), provider_message(failure), failure.headers)


def classify_failure(failure: Failure) -> ErrorClassification:
    """The provider-neutral verdict on any failure."""
    if isinstance(failure, TransportFailure):
        return ErrorClassification(failure.kind, failure.detail)
    if isinstance(failure, StreamFailure):
        message = message_in(failure.payload) or "the provider reported an error mid-stream"
        return ErrorClassification(overload_wins(ErrorKind.SERVER_ERROR, None, message), message)
    message = provider_message(failure)
    return ErrorClassification(
        overload_wins(classify_status(failure.status), failure.status, message),
        message,
        retry_after=retry_after_seconds(failure.headers),
    )
