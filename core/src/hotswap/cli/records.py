"""The JSON the commands print with ``--json``: one object per answer or failure.

Nothing here can hold a secret: attempts carry provider messages, which the core redacts, and
errors are hotswap's own, whose messages are redacted when they are made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotswap.types.attempts import Attempt
    from hotswap.types.completion import Completion

__all__ = ["answer_record", "attempt_record", "dumps", "failure_record"]


def attempt_record(attempt: Attempt) -> dict[str, Any]:
    """One try: ``model``, ``provider``, ``model_id``, ``outcome`` (ok, failed, skipped,
    cancelled), ``kind`` (the error kind, or null), ``status``, ``message``, ``elapsed_ms``,
    ``round``."""
    return {
        "model": attempt.model,
        "provider": attempt.provider,
        "model_id": attempt.model_id,
        "outcome": str(attempt.outcome),
        "kind": str(attempt.kind) if attempt.kind is not None else None,
        "status": attempt.status,
        "message": attempt.message,
        "elapsed_ms": round(attempt.elapsed_ms, 1),
        "round": attempt.round,
    }


def answer_record(completion: Completion) -> dict[str, Any]:
    """An answer: ``text``, the config name of the ``model`` that gave it, its ``provider`` and
    ``model_id``, ``finish_reason``, ``usage`` and every ``attempts`` record."""
    return {
        "text": completion.text,
        "model": completion.model,
        "provider": completion.provider,
        "model_id": completion.model_id,
        "finish_reason": str(completion.finish_reason),
        "usage": completion.usage.model_dump(),
        "attempts": [attempt_record(a) for a in completion.attempts],
    }


def failure_record(
    kind: str,
    message: str,
    attempts: Iterable[Attempt] = (),
    *,
    partial_text: str | None = None,
) -> dict[str, Any]:
    """A failure: ``error`` (its ``kind`` and ``message``), every ``attempts`` record, and for
    an answer cut off mid-stream, the ``partial_text`` already received."""
    record: dict[str, Any] = {
        "error": {"kind": kind, "message": message},
        "attempts": [attempt_record(a) for a in attempts],
    }
    if partial_text is not None:
        record["partial_text"] = partial_text
    return record


def dumps(record: dict[str, Any]) -> str:
    """``record`` as indented JSON, non-ASCII text kept readable."""
    return json.dumps(record, indent=2, ensure_ascii=False)
