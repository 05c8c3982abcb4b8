"""``thinking_level`` as Anthropic's thinking control, within the API's rules.

=========  ==============  =====================
level      budget_tokens   effort (Claude 4.6+)
=========  ==============  =====================
off        no thinking     no thinking
minimal    1024            low
low        2048            low
medium     8192            medium
high       16384           high
xhigh      32768           max
=========  ==============  =====================

Models from Claude 4.6 on (``claude-opus-4-6``, ``claude-sonnet-4-6``, ``claude-opus-4-7``...)
get adaptive thinking, ``{"type": "adaptive", "display": "summarized"}`` with
``output_config.effort``; Opus 4.7 refuses budgets. Older models get ``budget_tokens``.

``max_tokens`` is the room for the *answer* (8192 when the caller sets none). Anthropic counts
thinking inside ``max_tokens``, so the level's budget is added on top; where the model's output
limit is known the sum is capped at it, the budget giving way first but never below the API's
minimum of 1024 (so the budget always stays below ``max_tokens``).
"""

from __future__ import annotations

import re
from typing import Any

from hotswap.plugin import ThinkingLevel

BUDGETS = {
    ThinkingLevel.MINIMAL: 1024,
    ThinkingLevel.LOW: 2048,
    ThinkingLevel.MEDIUM: 8192,
    ThinkingLevel.HIGH: 16384,
    ThinkingLevel.XHIGH: 32768,
}
EFFORTS = {
    ThinkingLevel.MINIMAL: "low",
    ThinkingLevel.LOW: "low",
    ThinkingLevel.MEDIUM: "medium",
    ThinkingLevel.HIGH: "high",
    ThinkingLevel.XHIGH: "max",
}
MIN_BUDGET = 1024
DEFAULT_ANSWER_TOKENS = 8192

# The family version in an id: claude-opus-4-6 -> (4, 6); claude-sonnet-4-20250514 -> (4, 0).
_VERSION = re.compile(r"claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?!\d)")


def is_adaptive(model_id: str) -> bool:
    """Whether the model thinks adaptively (Claude 4.6 and later) rather than to a budget."""
    found = _VERSION.search(model_id)
    return found is not None and (int(found[1]), int(found[2] or 0)) >= (4, 6)


def thinking_fields(
    level: ThinkingLevel | None, max_tokens: int | None, model_id: str, output_limit: int | None
) -> dict[str, Any]:
    """The body fields for ``level``: ``max_tokens``, and ``thinking`` (and ``output_config``)
    unless the level is off."""
    answer = max_tokens or min(DEFAULT_ANSWER_TOKENS, output_limit or DEFAULT_ANSWER_TOKENS)
    if level is None or level is ThinkingLevel.OFF:
        return {"max_tokens": answer}
    budget = BUDGETS[level]
    total = answer + budget
    if output_limit and total > output_limit:
        total = max(output_limit, MIN_BUDGET + 1)
        budget = max(min(budget, total - answer), MIN_BUDGET)
    if is_adaptive(model_id):
        return {
            "max_tokens": total,
            "thinking": {"type": "adaptive", "display": "summarized"},
            "output_config": {"effort": EFFORTS[level]},
        }
    return {"max_tokens": total, "thinking": {"type": "enabled", "budget_tokens": budget}}
