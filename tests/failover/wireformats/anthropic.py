"""Anthropic Messages (provider-facts §1): ``POST /v1/messages``, SSE with named events, a
prefilled assistant turn continued, and the error shapes of §1.4 and §12."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
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
    sse,
    user_texts,
)


def _anthropic_asked(path: str, query: Mapping[str, str], body: Any) -> Asked:
    messages = body.get("messages") or []
    users = user_texts(messages, "role", "user", lambda m: joined(m.get("content")))
    last = messages[-1] if messages else {}
    prefill = joined(last.get("content")) if last.get("role") == "assistant" else None
    return Asked(
        model=body.get("model", ""),
        stream=body.get("stream") is True,
        question=users[0] if users else "",
        turns=len(messages),
        prefill=prefill,
        input_words=count_words(messages),
    )


def _anthropic_event(name: str, value: dict[str, Any]) -> WireFrame:
    return WireFrame(dump(value), name)


def _anthropic_frames(asked: Asked, pieces: list[str], usage: Usage) -> Frames:
    message: dict[str, Any] = {
        "id": "msg_01FaultServer",
        "type": "message",
        "role": "assistant",
        "model": asked.model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": usage.input, "output_tokens": 1},
    }
    block = {"type": "text", "text": ""}
    return Frames(
        head=[
            _anthropic_event("message_start", {"type": "message_start", "message": message}),
            _anthropic_event(
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": block},
            ),
            _anthropic_event("ping", {"type": "ping"}),
        ],
        texts=[
            _anthropic_event(
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": 0,
                    "delta": {"type": "text_delta", "text": piece},
                },
            )
            for piece in pieces
        ],
        tail=[
            _anthropic_event("content_block_stop", {"type": "content_block_stop", "index": 0}),
            _anthropic_event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": usage.output},
                },
            ),
            _anthropic_event("message_stop", {"type": "message_stop"}),
        ],
    )


def _anthropic_whole(asked: Asked, text: str, usage: Usage) -> bytes:
    return dump(
        {
            "id": "msg_01FaultServer",
            "type": "message",
            "role": "assistant",
            "model": asked.model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {
                "input_tokens": usage.input,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": usage.output,
            },
        }
    )


def _anthropic_error(
    status: int, kind: str, message: str, *headers: tuple[str, str], **extra: Any
) -> Callable[[], Shape]:
    def build() -> Shape:
        error = {"type": kind, "message": message, **extra}
        body = {"type": "error", "error": error, "request_id": "req_01FaultServer"}
        return Shape(status, dump(body), headers)

    return build


def _anthropic_reset_in(seconds: float) -> Callable[[], Shape]:
    """A 429 with no retry-after: the wait is in the exhausted limit's reset timestamp."""

    def build() -> Shape:
        reset = datetime.now(timezone.utc) + timedelta(seconds=seconds)
        stamp = reset.strftime("%Y-%m-%dT%H:%M:%SZ")
        return _anthropic_error(
            429,
            "rate_limit_error",
            _ANTHROPIC_RATE,
            ("anthropic-ratelimit-requests-limit", "50"),
            ("anthropic-ratelimit-requests-remaining", "0"),
            ("anthropic-ratelimit-requests-reset", stamp),
        )()

    return build


_ANTHROPIC_RATE = (
    "Number of request tokens has exceeded your per-minute rate limit "
    "(https://docs.anthropic.com/en/api/rate-limits); see the response headers for current "
    "usage. Please reduce the prompt length or the maximum tokens requested, or try again later."
)
_CREDIT = (
    "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing "
    "to upgrade or purchase credits."
)

ANTHROPIC = WireFormat(
    name="anthropic",
    stream_type="text/event-stream; charset=utf-8",
    whole_type="application/json",
    render=sse,
    asked=_anthropic_asked,
    frames=_anthropic_frames,
    whole=_anthropic_whole,
    errors={
        ("rate_limited", "retry-after"): _anthropic_error(
            429, "rate_limit_error", _ANTHROPIC_RATE, ("retry-after", "20")
        ),
        ("rate_limited", "retry-after-ms"): _anthropic_error(
            429, "rate_limit_error", _ANTHROPIC_RATE, ("retry-after-ms", "20000")
        ),
        ("rate_limited", "ratelimit-reset"): _anthropic_reset_in(20),
        ("rate_limited", "retry-after-0"): _anthropic_error(
            429, "rate_limit_error", _ANTHROPIC_RATE, ("retry-after", "0")
        ),
        ("overloaded", "529"): _anthropic_error(529, "overloaded_error", "Overloaded"),
        ("server_error", "500"): _anthropic_error(500, "api_error", "Internal server error"),
        ("quota_exhausted", "credit-balance-400"): _anthropic_error(
            400, "invalid_request_error", _CREDIT
        ),
        ("quota_exhausted", "billing-402"): _anthropic_error(
            402, "billing_error", "Your payment method was declined. Update it in Billing."
        ),
        ("quota_exhausted", "spend-limit-429"): _anthropic_error(
            429,
            "rate_limit_error",
            "You have reached your specified workspace API usage limits.",
            details={"error_code": "enforced_spend_limit_reached"},
        ),
        ("auth", "401"): _anthropic_error(401, "authentication_error", "invalid x-api-key"),
        ("permission", "403"): _anthropic_error(
            403,
            "permission_error",
            "Your API key does not have permission to use the specified resource.",
        ),
    },
    stream_errors={
        "overloaded": _anthropic_event(
            "error",
            {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
        ),
        "server_error": _anthropic_event(
            "error", {"type": "error", "error": {"type": "api_error", "message": "Internal error"}}
        ),
    },
)
