"""The quirks an OpenAI-compatible provider declares: what it does differently from OpenAI.

Plain frozen data (plus one id-rewriting function), read by the shared translation in
:mod:`hotswap_openai.request`, :mod:`hotswap_openai.response` and :mod:`hotswap_openai.errors`.
Import them from :mod:`hotswap_openai.compat`, which is the stable API.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from hotswap.plugin import ErrorKind, ThinkingLevel

__all__ = ["EFFORT_LADDER", "ErrorRule", "Quirks", "Reasoning", "efforts_within"]


EFFORT_LADDER = ("none", "minimal", "low", "medium", "high", "xhigh")
"""The family's ``reasoning_effort`` words, least thinking first."""


def efforts_within(*accepted: str) -> dict[ThinkingLevel, str | None]:
    """Each ``thinking_level`` as the nearest effort a model accepts (``accepted`` are words of
    :data:`EFFORT_LADDER`): a level the model has is sent as itself; ``minimal`` rounds up and
    ``xhigh`` down to the nearest accepted; ``off`` is ``none`` or else ``minimal`` where
    accepted, and otherwise not sent (the model cannot stop thinking)."""
    unknown = [word for word in accepted if word not in EFFORT_LADDER]
    if unknown or not accepted:
        raise ValueError(f"efforts must be among {EFFORT_LADDER}, not {accepted}")
    table: dict[ThinkingLevel, str | None] = {
        ThinkingLevel.OFF: next((w for w in ("none", "minimal") if w in accepted), None)
    }
    thinking = [w for w in EFFORT_LADDER[1:] if w in accepted] or list(accepted)
    for level in ThinkingLevel:
        if level is ThinkingLevel.OFF:
            continue
        rank = EFFORT_LADDER.index(level.value)
        # Nearest on the ladder; on a tie, the one that thinks more.
        table[level] = min(
            thinking, key=lambda w: (abs(EFFORT_LADDER.index(w) - rank), -EFFORT_LADDER.index(w))
        )
    return table


@dataclass(frozen=True)
class Reasoning:
    """How the models whose id matches ``pattern`` (a regex, matched in full) take
    ``thinking_level``.

    :param pattern: model ids of the family, e.g. ``r"o\\d.*"``.
    :param efforts: the value sent for each level (None for a level not to send); None when
        the models reason but have no control for it, so a level is dropped with a debug log.
    """

    pattern: str
    efforts: Mapping[ThinkingLevel, str | None] | None = None

    def matches(self, model_id: str) -> bool:
        return re.fullmatch(self.pattern, model_id) is not None


@dataclass(frozen=True)
class ErrorRule:
    """One way a provider signals an error kind. It matches a failure when every condition
    given matches; rules are tried in order and the first match wins.

    :param kind: the kind it means.
    :param status: the HTTP status (or, for an error inside a 200, the ``code`` number in it).
    :param code: the provider's ``error.code`` or ``error.type`` (or xAI's top-level ``code``).
    :param message: a regex searched, case-insensitively, in the provider's message.
    """

    kind: ErrorKind
    status: int | None = None
    code: str | None = None
    message: str | None = None


_FAMILIES_KEPT = 256
"""Model ids whose reasoning family a provider's quirks keep."""


@dataclass(frozen=True)
class Quirks:
    """What an OpenAI-compatible provider does differently from OpenAI's own API. Every field
    has the default that suits a generic compatible server.

    :param max_tokens_field: the body field ``max_tokens`` goes in (OpenAI and Groq:
        ``max_completion_tokens``).
    :param stream_usage: whether to send ``stream_options: {"include_usage": true}`` when
        streaming (providers that report usage in streams anyway, or refuse the field: False).
    :param reasoning: the reasoning model families, first match wins; a model none matches
        takes no ``thinking_level`` (dropped with a debug log).
    :param reasoning_field: where the effort goes; a dotted name nests (``reasoning.effort``).
    :param reasoning_rejects: fields the reasoning models refuse, never sent to them.
    :param rejected: fields the provider refuses, never sent (from options either).
    :param renamed: fields the provider names otherwise (``{"seed": "random_seed"}``).
    :param option_headers: options sent as headers instead of body fields
        (``{"app_url": "HTTP-Referer"}``).
    :param tool_call_id: rewrites tool-call ids into the form the provider accepts; the same
        id always gives the same result, so calls and their results still match.
    :param error_rules: the provider's own error signals, tried before the family's.
    :param usage_fields: where in a chunk usage may be, dotted names, first found wins.
    """

    max_tokens_field: str = "max_tokens"
    stream_usage: bool = True
    reasoning: tuple[Reasoning, ...] = ()
    reasoning_field: str = "reasoning_effort"
    reasoning_rejects: frozenset[str] = frozenset()
    rejected: frozenset[str] = frozenset()
    renamed: Mapping[str, str] = field(default_factory=dict)
    option_headers: Mapping[str, str] = field(default_factory=dict)
    tool_call_id: Callable[[str], str] | None = None
    error_rules: tuple[ErrorRule, ...] = ()
    usage_fields: tuple[str, ...] = ("usage",)

    def reasoning_for(self, model_id: str) -> Reasoning | None:
        """The reasoning family ``model_id`` belongs to, if any."""
        families = self._families
        if model_id not in families:
            if len(families) >= _FAMILIES_KEPT:
                families.clear()
            families[model_id] = next((f for f in self.reasoning if f.matches(model_id)), None)
        return families[model_id]

    @cached_property
    def _families(self) -> dict[str, Reasoning | None]:
        # Each model id's family, found once: every request asks, and each family is a regex
        # to match (OpenAI's four took 9.8k instructions a request).
        return {}
