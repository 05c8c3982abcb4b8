"""Every way the simulator can misbehave, as plain values a script is made of.

Three families:

* **Error answers** (:class:`ErrorFault`): the provider's own status, headers and body for
  that failure, e.g. :class:`RateLimit` is Anthropic's 429 ``rate_limit_error`` with
  ``retry-after`` and ``anthropic-ratelimit-*`` headers, OpenAI's 429
  ``rate_limit_exceeded`` with ``x-ratelimit-*`` headers, Gemini's 429
  ``RESOURCE_EXHAUSTED`` with a ``RetryInfo``. :class:`RawResponse` sends anything else.
* **Refusals inside a 200**: :class:`ContentFilter` and :class:`PromptBlocked`.
* **Transport faults**: :class:`Hang`, :class:`Stall`, :class:`Reset`, :class:`Cut`,
  :class:`StreamError`, :class:`Malformed`, :class:`Slow`. Those that let an answer begin
  carry the :class:`~hotswap.testing.replies.Reply` they start sending.

``after`` counts *frames* of a stream: SSE events (``message_start`` and ``ping`` included)
or NDJSON lines. On a non-streaming request, ``after=0`` acts right after the headers and any
larger ``after`` after the first half of the body.

A fault a provider has no way to express (a content filter on Ollama, whose API has none) is
answered with a 500 in that provider's error shape whose message says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from hotswap.testing.replies import Reply

__all__ = [
    "ContentFilter",
    "ContextTooLong",
    "Cut",
    "ErrorFault",
    "Fault",
    "Forbidden",
    "Hang",
    "Malformed",
    "Overloaded",
    "PromptBlocked",
    "QuotaExhausted",
    "RateLimit",
    "RawResponse",
    "Reset",
    "ServerFault",
    "Slow",
    "Stall",
    "StreamError",
    "Unauthorized",
]


class Fault:
    """Base of every fault. ``kind`` is its name in a TOML script file."""

    __slots__ = ()
    kind: ClassVar[str]


def _not_negative(name: str, value: float | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{name} must be 0 or more, not {value}")


# -- error answers ----------------------------------------------------------------------------


class ErrorFault(Fault):
    """A failure the provider reports with an error status and body (or, inside a stream, an
    error event: see :class:`StreamError`)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class RateLimit(ErrorFault):
    """429 with the provider's rate-limit error and headers.

    :param retry_after: the seconds sent in ``retry-after`` (Gemini: ``RetryInfo.retryDelay``).
    """

    kind: ClassVar[str] = "rate_limit"
    retry_after: float = 1.0

    def __post_init__(self) -> None:
        _not_negative("retry_after", self.retry_after)


@dataclass(frozen=True, slots=True)
class QuotaExhausted(ErrorFault):
    """Out of credit, not worth retrying: OpenAI 429 ``insufficient_quota``, Anthropic 400
    "credit balance is too low", Gemini 429 ``RESOURCE_EXHAUSTED`` on a per-day quota."""

    kind: ClassVar[str] = "quota_exhausted"


@dataclass(frozen=True, slots=True)
class Overloaded(ErrorFault):
    """Anthropic 529 ``overloaded_error``; 503 elsewhere (Gemini ``UNAVAILABLE``)."""

    kind: ClassVar[str] = "overloaded"


@dataclass(frozen=True, slots=True)
class ServerFault(ErrorFault):
    """A 5xx in the provider's error shape or, with ``html``, the HTML page a load balancer
    sends in front of it.

    :param status: 500 to 599.
    """

    kind: ClassVar[str] = "server_error"
    status: int = 500
    html: bool = False

    def __post_init__(self) -> None:
        if not 500 <= self.status <= 599:
            raise ValueError(f"a server error's status is 500 to 599, not {self.status}")


@dataclass(frozen=True, slots=True)
class Unauthorized(ErrorFault):
    """The key is refused: 401 (Gemini: 400 ``API_KEY_INVALID``, as Google answers)."""

    kind: ClassVar[str] = "unauthorized"


@dataclass(frozen=True, slots=True)
class Forbidden(ErrorFault):
    """403: the key may not use this model or region."""

    kind: ClassVar[str] = "forbidden"


@dataclass(frozen=True, slots=True)
class ContextTooLong(ErrorFault):
    """400 saying the prompt exceeds the model's context window, in the provider's words."""

    kind: ClassVar[str] = "context_too_long"


@dataclass(frozen=True, slots=True)
class RawResponse(Fault):
    """Any response, sent verbatim: for quirks no other fault covers (xAI's 400 for a bad key).

    :param headers: extra response headers.
    """

    kind: ClassVar[str] = "raw"
    status: int
    body: str = ""
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)


# -- refusals inside a 200 --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContentFilter(Fault):
    """The answer is withheld by a safety filter: Anthropic ``stop_reason: refusal``, OpenAI
    ``finish_reason: content_filter``, Gemini ``finishReason: SAFETY``, all with HTTP 200."""

    kind: ClassVar[str] = "content_filter"


@dataclass(frozen=True, slots=True)
class PromptBlocked(Fault):
    """Gemini refuses the prompt itself: no candidates, ``promptFeedback.blockReason: SAFETY``.
    Only Gemini has this form."""

    kind: ClassVar[str] = "prompt_blocked"


# -- transport faults -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hang(Fault):
    """Accept the request and never send a byte, until the client gives up or the simulator
    stops: the client's read timeout is what ends it."""

    kind: ClassVar[str] = "hang"


@dataclass(frozen=True, slots=True)
class Stall(Fault):
    """Start answering, then go silent after ``after`` frames, until the client gives up."""

    kind: ClassVar[str] = "stall"
    after: int = 0
    reply: Reply = field(default_factory=Reply)

    def __post_init__(self) -> None:
        _not_negative("after", self.after)


@dataclass(frozen=True, slots=True)
class Reset(Fault):
    """Reset the TCP connection (RST): before the headers when ``after`` is None, else after
    ``after`` frames. The client sees a connection error."""

    kind: ClassVar[str] = "reset"
    after: int | None = None
    reply: Reply = field(default_factory=Reply)

    def __post_init__(self) -> None:
        _not_negative("after", self.after)


@dataclass(frozen=True, slots=True)
class Cut(Fault):
    """End a stream cleanly after ``after`` frames but without its terminal event
    (``message_stop``, ``[DONE]``, ``finishReason``, ``done``). A non-streaming body is cut
    short of its ``content-length`` and the connection closed."""

    kind: ClassVar[str] = "cut"
    after: int = 1
    reply: Reply = field(default_factory=Reply)

    def __post_init__(self) -> None:
        _not_negative("after", self.after)


@dataclass(frozen=True, slots=True)
class StreamError(Fault):
    """Fail inside a 200 stream after ``after`` frames with the provider's error event
    (Anthropic ``event: error``, an OpenAI or Gemini ``{"error":…}`` event, an Ollama
    ``{"error":…}`` line), then end the stream. A non-streaming request gets ``error`` as an
    ordinary error answer."""

    kind: ClassVar[str] = "stream_error"
    after: int = 1
    error: ErrorFault = Overloaded()
    reply: Reply = field(default_factory=Reply)

    def __post_init__(self) -> None:
        _not_negative("after", self.after)


@dataclass(frozen=True, slots=True)
class Malformed(Fault):
    """Send broken JSON: the frame after ``after`` good ones is cut in half (the rest of the
    stream follows as usual); a non-streaming body is cut in half, ``content-length`` and all,
    so the HTTP exchange itself is complete."""

    kind: ClassVar[str] = "malformed"
    after: int = 0
    reply: Reply = field(default_factory=Reply)

    def __post_init__(self) -> None:
        _not_negative("after", self.after)


@dataclass(frozen=True, slots=True)
class Slow(Fault):
    """Answer correctly, slowly: the first ``after`` stream frames at once, then ``delay``
    seconds before each of the others; a non-streaming answer waits ``delay`` per word of its
    text."""

    kind: ClassVar[str] = "slow"
    delay: float = 0.05
    reply: Reply = field(default_factory=Reply)
    after: int = 0

    def __post_init__(self) -> None:
        _not_negative("delay", self.delay)
        _not_negative("after", self.after)
