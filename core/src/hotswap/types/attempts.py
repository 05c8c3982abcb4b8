"""What each try of a chain did, and the errors that carry that record to the caller."""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict

from hotswap.types.errors import ErrorKind, HotswapError, ProviderError

__all__ = ["AllModelsFailedError", "Attempt", "Outcome", "StreamInterruptedError"]


class Outcome(str, enum.Enum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not sent: cooling down, or unable to do what the request needs."""
    CANCELLED = "cancelled"
    """The caller stopped it (closed the stream, cancelled the task)."""

    def __str__(self) -> str:
        return self.value


class Attempt(BaseModel):
    """One try of one model.

    :param model: the model's config name.
    :param provider: its provider.
    :param model_id: the id sent to the provider.
    :param outcome: what happened.
    :param kind: the error kind, for a failure (or the reason kind for a skip).
    :param status: the HTTP status, when there was one.
    :param message: the provider's message, or why the model was skipped.
    :param elapsed_ms: how long the try took.
    :param round: which pass over the chain (0 first, then one per backoff round).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    provider: str
    model_id: str
    outcome: Outcome
    kind: ErrorKind | None = None
    status: int | None = None
    message: str | None = None
    elapsed_ms: float = 0.0
    round: int = 0

    def describe(self) -> str:
        """One line for people: ``sonnet (anthropic): rate_limited 429 after 12 ms: ...``."""
        what = str(self.outcome) if self.kind is None else str(self.kind)
        status = f" {self.status}" if self.status is not None else ""
        message = f": {self.message}" if self.message else ""
        elapsed = f"{self.elapsed_ms:.0f} ms"
        return f"{self.model} ({self.provider}): {what}{status} after {elapsed}{message}"


class AllModelsFailedError(HotswapError):
    """Every model of the chain failed or was cooling down, through every backoff round.

    :ivar attempts: every try, in order.
    :ivar last_error: the last provider error seen, if any request was sent.
    :ivar reason: why the chain stopped before ``max_retries`` rounds, if it did (the call's
        deadline, or no model able to serve the request).
    """

    def __init__(
        self,
        attempts: list[Attempt],
        last_error: ProviderError | None,
        reason: str | None = None,
    ) -> None:
        self.attempts = attempts
        self.last_error = last_error
        self.reason = reason
        lines = "\n".join(f"  {a.describe()}" for a in attempts)
        why = f"; {reason}" if reason else ""
        super().__init__(f"every model failed ({len(attempts)} attempts{why}):\n{lines}")


class StreamInterruptedError(HotswapError):
    """A stream failed after it had shown content, and the chain's ``stream_recovery`` is
    ``raise``.

    :ivar partial_text: the text the caller already received.
    :ivar error: the provider error that interrupted it.
    :ivar attempts: every try, in order.
    """

    def __init__(self, partial_text: str, error: ProviderError, attempts: list[Attempt]) -> None:
        self.partial_text = partial_text
        self.error = error
        self.attempts = attempts
        self.kind: ErrorKind = error.kind
        super().__init__(
            f"the stream from {error.provider or 'the provider'} was interrupted after "
            f"{len(partial_text)} characters: {error}"
        )
