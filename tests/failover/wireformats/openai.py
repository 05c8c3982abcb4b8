"""OpenAI chat completions (provider-facts §2): ``POST /v1/chat/completions``, data-only SSE ending
in ``[DONE]``, usage in a last chunk when ``stream_options.include_usage`` asks, and the error
shapes of OpenAI (§2.4) and OpenRouter (§7)."""

from __future__ import annotations

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
    sse,
    user_texts,
)


def _openai_asked(path: str, query: Mapping[str, str], body: Any) -> Asked:
    messages = body.get("messages") or []
    users = user_texts(messages, "role", "user", lambda m: joined(m.get("content")))
    options = body.get("stream_options") or {}
    return Asked(
        model=body.get("model", ""),
        stream=body.get("stream") is True,
        question=users[0] if users else "",
        turns=len(messages),
        include_usage=options.get("include_usage") is True,
        input_words=count_words(messages),
    )


def _openai_chunk(asked: Asked, choices: list[Any], **extra: Any) -> WireFrame:
    chunk: dict[str, Any] = {
        "id": "chatcmpl-FaultServer",
        "object": "chat.completion.chunk",
        "created": 1767225600,
        "model": asked.model,
        "system_fingerprint": "fp_faultserver",
        "choices": choices,
    }
    if asked.include_usage:
        chunk["usage"] = None
    chunk.update(extra)
    return WireFrame(dump(chunk))


def _openai_choice(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}


def _openai_usage(usage: Usage) -> dict[str, Any]:
    return {
        "prompt_tokens": usage.input,
        "completion_tokens": usage.output,
        "total_tokens": usage.input + usage.output,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
    }


def _openai_frames(asked: Asked, pieces: list[str], usage: Usage) -> Frames:
    role = {"role": "assistant", "content": "", "refusal": None}
    tail = [_openai_chunk(asked, [_openai_choice({}, "stop")])]
    if asked.include_usage:
        tail.append(_openai_chunk(asked, [], usage=_openai_usage(usage)))
    tail.append(WireFrame(b"[DONE]"))
    return Frames(
        head=[_openai_chunk(asked, [_openai_choice(role)])],
        texts=[_openai_chunk(asked, [_openai_choice({"content": piece})]) for piece in pieces],
        tail=tail,
    )


def _openai_whole(asked: Asked, text: str, usage: Usage) -> bytes:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": text,
        "refusal": None,
        "annotations": [],
    }
    return dump(
        {
            "id": "chatcmpl-FaultServer",
            "object": "chat.completion",
            "created": 1767225600,
            "model": asked.model,
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
            ],
            "usage": _openai_usage(usage),
            "service_tier": "default",
            "system_fingerprint": "fp_faultserver",
        }
    )


def _openai_error(
    status: int, message: str, kind: str | None, code: str | None, *headers: tuple[str, str]
) -> Callable[[], Shape]:
    body = dump({"error": {"message": message, "type": kind, "param": None, "code": code}})
    return lambda: Shape(status, body, headers)


_OPENAI_RATE = (
    "Rate limit reached for gpt-4.1 in organization org-faultserver on requests per min (RPM): "
    "Limit 500, Used 500, Requested 1. Please try again in 20s."
)
_OPENAI_LIMITS = (
    ("x-ratelimit-limit-requests", "500"),
    ("x-ratelimit-remaining-requests", "0"),
    ("x-ratelimit-reset-requests", "20s"),
    ("x-ratelimit-limit-tokens", "30000"),
    ("x-ratelimit-remaining-tokens", "29000"),
    ("x-ratelimit-reset-tokens", "2s"),
)
_QUOTA = (
    "You exceeded your current quota, please check your plan and billing details. For more "
    "information on this error, read the docs: "
    "https://platform.openai.com/docs/guides/error-codes/api-errors."
)

OPENAI = WireFormat(
    name="openai",
    stream_type="text/event-stream; charset=utf-8",
    whole_type="application/json",
    render=sse,
    asked=_openai_asked,
    frames=_openai_frames,
    whole=_openai_whole,
    errors={
        ("rate_limited", "retry-after"): _openai_error(
            429, _OPENAI_RATE, "requests", "rate_limit_exceeded", ("retry-after", "20")
        ),
        ("rate_limited", "retry-after-ms"): _openai_error(
            429, _OPENAI_RATE, "requests", "rate_limit_exceeded", ("retry-after-ms", "20000")
        ),
        ("rate_limited", "x-ratelimit"): _openai_error(
            429, _OPENAI_RATE, "requests", "rate_limit_exceeded", *_OPENAI_LIMITS
        ),
        ("rate_limited", "retry-after-0"): _openai_error(
            429, _OPENAI_RATE, "requests", "rate_limit_exceeded", ("retry-after", "0")
        ),
        ("overloaded", "server_error-overloaded"): _openai_error(
            503, "The server is overloaded or not ready yet.", "server_error", "overloaded"
        ),
        ("overloaded", "server_is_overloaded"): _openai_error(
            503,
            "The engine is currently overloaded, please try again later",
            "service_unavailable_error",
            "server_is_overloaded",
        ),
        ("overloaded", "slow_down"): _openai_error(
            503, "Please reduce your request rate.", "service_unavailable_error", "slow_down"
        ),
        ("server_error", "500"): _openai_error(
            500,
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
            None,
        ),
        ("quota_exhausted", "insufficient_quota"): _openai_error(
            429, _QUOTA, "insufficient_quota", "insufficient_quota"
        ),
        ("quota_exhausted", "openrouter-402"): lambda: Shape(
            402,
            dump(
                {
                    "error": {
                        "code": 402,
                        "message": "Insufficient credits. Add more using "
                        "https://openrouter.ai/settings/credits",
                        "metadata": {},
                    }
                }
            ),
        ),
        ("auth", "401"): _openai_error(
            401,
            "Incorrect API key provided: sk-fault***0001. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
        ),
        ("permission", "403"): _openai_error(
            403,
            "Country, region, or territory not supported",
            "request_forbidden",
            "unsupported_country_region_territory",
        ),
    },
    stream_errors={
        "server_error": WireFrame(
            dump(
                {
                    "error": {
                        "message": "The server had an error while processing your request.",
                        "type": "server_error",
                        "param": None,
                        "code": None,
                    }
                }
            )
        ),
        # OpenRouter's: the upstream status in ``code``, and a finish reason ``error``.
        "overloaded": WireFrame(
            dump(
                {
                    "id": "gen-FaultServer",
                    "object": "chat.completion.chunk",
                    "error": {"code": 503, "message": "Provider overloaded", "metadata": {}},
                    "choices": [_openai_choice({"content": ""}, "error")],
                }
            )
        ),
    },
)
