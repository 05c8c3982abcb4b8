"""Scripts: what a model does, request after request.

A script is either a **sequence** ("fail twice with 429, then answer") or **chaos**: each
request draws one step by probability from a seeded random generator, so a chaos run is the
same every time for the same seed and the same order of requests. Scripts are addressed by
model id, with shell-style wildcards allowed (``claude-*``); ``*`` is the default for any model.
A model no script matches gets the default :class:`~hotswap.testing.replies.Reply`.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from collections.abc import Iterable
from typing import TypeAlias

from hotswap.testing.faults import Fault
from hotswap.testing.replies import Reply

__all__ = ["ANSWER", "Script", "ScriptBook", "Step"]

Step: TypeAlias = Reply | Fault
"""One request's fate: a reply, or a fault."""

ANSWER = Reply()
"""The default step: answer normally (``"echo: <last user text>"``)."""


class Script:
    """What one model (or a pattern of models) does, one step per request. Thread-safe.

    Build one with :meth:`sequence` or :meth:`chaos`; ``Simulator.script`` also takes a plain
    list of steps, as a sequence.
    """

    __slots__ = ("_lock", "_odds", "_otherwise", "_random", "_steps")

    def __init__(
        self,
        steps: Iterable[Step],
        then: Step,
        odds: Iterable[tuple[Step, float]] = (),
        seed: int = 0,
    ) -> None:
        self._steps = list(steps)
        self._otherwise = then
        self._odds = list(odds)
        self._random = random.Random(seed)  # noqa: S311 - reproducible chaos, not secrecy
        self._lock = threading.Lock()
        for step in (*self._steps, then, *(step for step, _ in self._odds)):
            if not isinstance(step, (Reply, Fault)):
                raise TypeError(f"a script step is a Reply or a fault, not {step!r}")

    @classmethod
    def sequence(cls, *steps: Step, then: Step = ANSWER) -> Script:
        """Take ``steps`` in order, one per request, then ``then`` for every request after."""
        return cls(steps, then)

    @classmethod
    def chaos(cls, *odds: tuple[Step, float], seed: int = 0, otherwise: Step = ANSWER) -> Script:
        """For each request, take each step with its probability, else ``otherwise``.

        :param odds: ``(step, probability)`` pairs; the probabilities must add up to 1 or less.
        :param seed: the random generator's seed.
        """
        total = 0.0
        for step, probability in odds:
            if not 0.0 <= probability <= 1.0:
                raise ValueError(f"probability of {step!r} must be 0 to 1, not {probability}")
            total += probability
        if total > 1.0 + 1e-9:
            raise ValueError(f"probabilities add up to {total:g}; at most 1 is possible")
        return cls((), otherwise, odds, seed)

    def next_step(self) -> Step:
        """The step for the next request."""
        with self._lock:
            if self._steps:
                return self._steps.pop(0)
            if self._odds:
                draw = self._random.random()
                for step, probability in self._odds:
                    if draw < probability:
                        return step
                    draw -= probability
            return self._otherwise


class ScriptBook:
    """The scripts by model: an exact model id first, then patterns in the order they were set,
    then none (the default reply). Thread-safe."""

    __slots__ = ("_lock", "_scripts")

    def __init__(self) -> None:
        self._scripts: dict[str, Script] = {}
        self._lock = threading.Lock()

    def set(self, model: str, script: Script) -> None:
        """Script ``model`` (an id or a pattern such as ``gpt-*`` or ``*``), replacing any
        script it had."""
        with self._lock:
            self._scripts.pop(model, None)
            self._scripts[model] = script

    def clear(self) -> None:
        with self._lock:
            self._scripts.clear()

    def next_step(self, model: str) -> Step:
        """The step for the next request to ``model``."""
        with self._lock:
            script = self._scripts.get(model)
            if script is None:
                script = next(
                    (s for key, s in self._scripts.items() if fnmatch.fnmatchcase(model, key)),
                    None,
                )
        return script.next_step() if script is not None else ANSWER
