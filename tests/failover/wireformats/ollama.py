"""Ollama's native chat (provider-facts §8): ``POST /api/chat``, an NDJSON stream whose last line
is ``done: true`` (or one JSON object when ``stream`` is false), and ``{"error": ...}``."""

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
    ndjson_line,
    user_texts,
)


def _ollama_asked(path: str, query: Mapping[str, str], body: Any) -> Asked:
    messages = body.get("messages") or []
    users = user_texts(messages, "role", "user", lambda m: joined(m.get("content")))
    return Asked(
        model=body.get("model", ""),
        stream=body.get("stream", True) is not False,  # Ollama streams unless told not to
        question=users[0] if users else "",
        turns=len(messages),
        input_words=count_words(messages),
    )


_CREATED_AT = "2026-01-01T00:00:00.000000000Z"


def _ollama_done(asked: Asked, text: str, usage: Usage) -> dict[str, Any]:
    return {
        "model": asked.model,
        "created_at": _CREATED_AT,
        "message": {"role": "assistant", "content": text},
        "done": True,
        "done_reason": "stop",
        "total_duration": 4883583458,
        "load_duration": 1334875,
        "prompt_eval_count": usage.input,
        "prompt_eval_duration": 342546000,
        "eval_count": usage.output,
        "eval_duration": 4535599000,
    }


def _ollama_frames(asked: Asked, pieces: list[str], usage: Usage) -> Frames:
    def line(piece: str) -> WireFrame:
        message = {"role": "assistant", "content": piece}
        return WireFrame(
            dump(
                {"model": asked.model, "created_at": _CREATED_AT, "message": message, "done": False}
            )
        )

    return Frames(
        head=[],
        texts=[line(piece) for piece in pieces],
        tail=[WireFrame(dump(_ollama_done(asked, "", usage)))],
    )


def _ollama_whole(asked: Asked, text: str, usage: Usage) -> bytes:
    return dump(_ollama_done(asked, text, usage))


def _ollama_error(status: int, message: str) -> Callable[[], Shape]:
    body = dump({"error": message})
    return lambda: Shape(status, body)


OLLAMA = WireFormat(
    name="ollama",
    stream_type="application/x-ndjson",
    whole_type="application/json; charset=utf-8",
    render=ndjson_line,
    asked=_ollama_asked,
    frames=_ollama_frames,
    whole=_ollama_whole,
    errors={
        ("rate_limited", "429"): _ollama_error(429, "too many requests, please slow down"),
        ("overloaded", "503"): _ollama_error(
            503, "server busy, please try again.  maximum pending requests exceeded"
        ),
        ("server_error", "500"): _ollama_error(
            500, "llama runner process has terminated: exit status 2"
        ),
        ("auth", "401"): _ollama_error(401, "unauthorized"),
        ("permission", "403"): _ollama_error(403, "forbidden"),
    },
    stream_errors={
        "server_error": WireFrame(
            dump({"error": "an error was encountered while running the model: unexpected EOF"})
        ),
    },
    garbage=b"garbage after the end\n",
)
