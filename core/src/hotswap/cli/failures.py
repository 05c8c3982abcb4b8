"""How a command ends when something goes wrong: one message that says what to do, and an exit
status a script can act on.

* ``1``: the request was made and no answer came back whole: every model failed, a model
  refused in a way that does not fail over (``invalid_request``, ``content_filter``...), or the
  answer was cut off.
* ``2``: nothing could be asked: a usage, config, plugin or credential problem, or a provider
  refusing the key (``auth``, ``permission``), including a chain every one of whose models
  failed that way. The message names what to fix.

With ``--json`` the same failure is one JSON object on stdout (see
:func:`~hotswap.cli.records.failure_record`) instead of the message on stderr.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from hotswap.cli.records import dumps, failure_record

if TYPE_CHECKING:
    from hotswap.types.attempts import Attempt

__all__ = [
    "ANSWER_FAILED",
    "SETUP_PROBLEM",
    "Failure",
    "FailureReport",
    "failure_from",
    "reporting",
    "usage_problem",
]

ANSWER_FAILED = 1
SETUP_PROBLEM = 2

# Provider refusals that say the key is wrong: the user must fix their setup, not retry.
_SETUP_KINDS = frozenset({"auth", "permission"})
_DOCTOR_HINT = "Check every model's provider and credential with: hotswap doctor"


@dataclass(frozen=True)
class Failure:
    """What went wrong, ready to show.

    :param code: the exit status.
    :param kind: a word for scripts: ``all_models_failed``, ``interrupted``, ``config``,
        ``credential``, ``plugin``, ``usage``, or a provider error kind (``auth``...).
    :param message: what happened and what to do, for people.
    :param attempts: what each try did, when any was made.
    :param partial_text: for an answer cut off mid-stream, what had arrived.
    """

    code: int
    kind: str
    message: str
    attempts: Sequence[Attempt] = ()
    partial_text: str | None = None


def failure_from(error: Exception, attempts: Sequence[Attempt] = ()) -> Failure | None:
    """The :class:`Failure` an error of hotswap's means, or None for any other exception.

    :param attempts: the tries seen so far, for an error that does not carry its own.
    """
    from hotswap.types.attempts import AllModelsFailedError, StreamInterruptedError
    from hotswap.types.errors import ConfigError, CredentialError, PluginError, ProviderError

    if isinstance(error, AllModelsFailedError):
        message = str(error)
        failed = [a for a in error.attempts if str(a.outcome) == "failed"]
        if failed and all(str(a.kind) in _SETUP_KINDS for a in failed):
            # No provider had a bad minute: every model asked refused this setup.
            return Failure(
                SETUP_PROBLEM, str(failed[-1].kind), f"{message}\n{_DOCTOR_HINT}", error.attempts
            )
        if error.last_error is not None and str(error.last_error.kind) in _SETUP_KINDS:
            message += f"\n{_DOCTOR_HINT}"
        return Failure(ANSWER_FAILED, "all_models_failed", message, error.attempts)
    if isinstance(error, StreamInterruptedError):
        return Failure(
            ANSWER_FAILED,
            "interrupted",
            f"the answer was cut off: {error}",
            error.attempts,
            partial_text=error.partial_text,
        )
    if isinstance(error, ProviderError):
        kind = str(error.kind)
        if kind in _SETUP_KINDS:
            return Failure(SETUP_PROBLEM, kind, f"{error}\n{_DOCTOR_HINT}", attempts)
        return Failure(ANSWER_FAILED, kind, str(error), attempts)
    if isinstance(error, ConfigError):
        return Failure(SETUP_PROBLEM, "config", str(error))
    if isinstance(error, CredentialError):
        return Failure(SETUP_PROBLEM, "credential", f"{error}\n{_DOCTOR_HINT}")
    if isinstance(error, PluginError):
        return Failure(SETUP_PROBLEM, "plugin", str(error))
    return None


def usage_problem(message: str) -> Failure:
    """A mistake in how the command was called."""
    return Failure(SETUP_PROBLEM, "usage", message)


class FailureReport:
    """What :func:`reporting` hands the command: the attempts to attach to an error that has
    none of its own, and a way to end with a failure it built itself."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.attempts: Sequence[Attempt] = ()

    def fail(self, failure: Failure) -> typer.Exit:
        """Show ``failure`` and return the exit to raise."""
        if self.as_json:
            record = failure_record(
                failure.kind, failure.message, failure.attempts, partial_text=failure.partial_text
            )
            typer.echo(dumps(record))
        else:
            typer.secho(f"hotswap: {failure.message}", err=True, fg="red")
        return typer.Exit(failure.code)


@contextmanager
def reporting(as_json: bool = False) -> Iterator[FailureReport]:
    """Turn hotswap's errors raised inside the block into a message (or a JSON object) and the
    matching exit status; anything else propagates as the bug it is."""
    report = FailureReport(as_json)
    try:
        yield report
    except Exception as error:
        failure = failure_from(error, report.attempts)
        if failure is None:
            raise
        raise report.fail(failure) from None
