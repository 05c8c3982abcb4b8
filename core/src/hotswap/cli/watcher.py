"""Watching a chain at work through the engine's observer hooks, for the commands: a dim line
when one model fails and another takes over, the spinner's label, and the tries seen so far.

The hooks go to one relay registered once per plugin host (the host keeps what is registered
for the life of the process); each command points the relay at its own :class:`ChainWatcher`
for as long as it runs.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from hotswap.plugin.specs import hookimpl

if TYPE_CHECKING:
    from hotswap.cli.terminal import Spinner
    from hotswap.config import ModelConfig
    from hotswap.plugin.host import PluginHost
    from hotswap.types.attempts import Attempt

__all__ = ["ChainWatcher", "failover_notice", "is_account_problem", "watching"]


# What each account problem (ErrorKind.is_account_problem) means, for a notice shown as a warning.
_ACCOUNT_PROBLEMS = {
    "auth": "'s key was refused",
    "permission": " may not be used with this key",
    "quota_exhausted": "'s account is out of credit or quota",
}


def failover_notice(attempt: Attempt, next_model: str) -> str:
    """``sonnet failed (rate_limited 429), gpt4o took over``; for a model passed over,
    ``sonnet skipped (cooling down for 58.2 s more after rate_limited), gpt4o took over``; for
    an account that cannot use the model, what is wrong and where to look:
    ``sonnet's key was refused (auth 401), gpt4o took over; check it with: hotswap doctor``."""
    if str(attempt.outcome) == "skipped":
        why = attempt.message or (str(attempt.kind) if attempt.kind else "unavailable")
        return f"{attempt.model} skipped ({why}), {next_model} took over"
    what = str(attempt.kind) if attempt.kind is not None else str(attempt.outcome)
    status = f" {attempt.status}" if attempt.status is not None else ""
    problem = _ACCOUNT_PROBLEMS.get(what)
    if problem is None:
        return f"{attempt.model} failed ({what}{status}), {next_model} took over"
    if what == "auth" and attempt.status is None:
        problem = " has no usable credential"
    return (
        f"{attempt.model}{problem} ({what}{status}), {next_model} took over; "
        "check it with: hotswap doctor"
    )


def is_account_problem(attempt: Attempt) -> bool:
    """Whether ``attempt`` failed because the account cannot use the model."""
    kind = attempt.kind
    return str(attempt.outcome) == "failed" and kind is not None and kind.is_account_problem()


class ChainWatcher:
    """What one command wants to hear from the chain it runs.

    :param spinner: the spinner whose label follows the model being asked, and above which
        failover notices are printed; None to say nothing.
    """

    def __init__(self, spinner: Spinner | None = None) -> None:
        self.spinner = spinner
        self.failed: list[Attempt] = []
        """Every failed or skipped try, in order: the record for an error that has none."""

    def started(self, model: ModelConfig) -> None:
        if self.spinner is not None:
            self.spinner.update(f"asking {model.name}")

    def attempt_failed(self, attempt: Attempt) -> None:
        self.failed.append(attempt)

    def failover(self, attempt: Attempt, next_model: ModelConfig) -> None:
        if self.spinner is not None:
            notice = failover_notice(attempt, next_model.name)
            self.spinner.note(notice, warning=is_account_problem(attempt))


class _Relay:
    """The plugin the host calls; it passes each event to the current watcher, if any."""

    def __init__(self) -> None:
        self.watcher: ChainWatcher | None = None

    @hookimpl
    def hotswap_attempt_started(self, model: ModelConfig) -> None:
        if self.watcher is not None:
            self.watcher.started(model)

    @hookimpl
    def hotswap_attempt_failed(self, attempt: Attempt) -> None:
        if self.watcher is not None:
            self.watcher.attempt_failed(attempt)

    @hookimpl
    def hotswap_failover(self, attempt: Attempt, next_model: ModelConfig) -> None:
        if self.watcher is not None:
            self.watcher.failover(attempt, next_model)


_relays: weakref.WeakKeyDictionary[PluginHost, _Relay] = weakref.WeakKeyDictionary()


@contextmanager
def watching(host: PluginHost, watcher: ChainWatcher) -> Iterator[ChainWatcher]:
    """Let ``watcher`` hear what chains using ``host`` do inside the block."""
    relay = _relays.get(host)
    if relay is None:
        relay = _relays[host] = _Relay()
        host.add_observer(relay)
        # The watcher shows each failover itself; the engine's warnings would say it twice.
        logging.getLogger("hotswap.engine").addHandler(logging.NullHandler())
    previous, relay.watcher = relay.watcher, watcher
    try:
        yield watcher
    finally:
        relay.watcher = previous
