"""``thinking_level`` as Gemini's ``thinkingConfig``, within each model family's rules.

Gemini 3 models take a ``thinkingLevel`` and cannot stop thinking altogether (``off`` is their
lowest level); Flash and Flash-Lite take all four levels, Gemini 3.1 Pro and later Pro models no
``MINIMAL``, and Gemini 3 Pro only ``LOW`` and ``HIGH``:

=========  ==================  =============  ============
level      Flash, Flash-Lite   Pro (3.1+)     3 Pro
=========  ==================  =============  ============
off        MINIMAL             LOW            LOW
minimal    MINIMAL             LOW            LOW
low        LOW                 LOW            LOW
medium     MEDIUM              MEDIUM         HIGH
high       HIGH                HIGH           HIGH
xhigh      HIGH                HIGH           HIGH
=========  ==================  =============  ============

Gemini 2.5 models, and ids that name no version (``gemini-flash-latest``, for which Gemini 3
also accepts a budget), take a ``thinkingBudget`` in tokens: minimal 512, low 2048, medium
8192, high 16384, xhigh the most the model allows (24576; 32768 on Pro). ``off`` is 0, except
on 2.5 Pro, which cannot stop thinking and gets its minimum, 128. Sending both controls is an
error, so only one is ever sent.

Except at ``off``, ``includeThoughts`` asks for the thought summaries. ``max_tokens`` is the room
for the *answer*: Gemini counts thinking inside ``maxOutputTokens``, so the level's budget (for
a level, the budget of the same name) is added, capped at the model's output limit.
"""

from __future__ import annotations

from typing import Any

from hotswap.plugin import ThinkingLevel
from hotswap_google.provider import generation

BUDGETS = {
    ThinkingLevel.OFF: 0,
    ThinkingLevel.MINIMAL: 512,
    ThinkingLevel.LOW: 2048,
    ThinkingLevel.MEDIUM: 8192,
    ThinkingLevel.HIGH: 16384,
    ThinkingLevel.XHIGH: 24576,
}
PRO_LIMITS = (128, 32768)
"""Gemini 2.5 Pro's budget range: it cannot stop thinking, and may think longer than Flash."""

LEVELS = {
    ThinkingLevel.OFF: "MINIMAL",
    ThinkingLevel.MINIMAL: "MINIMAL",
    ThinkingLevel.LOW: "LOW",
    ThinkingLevel.MEDIUM: "MEDIUM",
    ThinkingLevel.HIGH: "HIGH",
    ThinkingLevel.XHIGH: "HIGH",
}


def thinking_level(level: ThinkingLevel, model_id: str) -> str:
    """The ``thinkingLevel`` a Gemini 3 model takes for ``level``."""
    name = LEVELS[level]
    if "flash" in model_id:
        return name
    if name == "MINIMAL":
        return "LOW"
    if name == "MEDIUM" and generation(model_id) == 3.0:  # Gemini 3 Pro: LOW and HIGH only
        return "HIGH"
    return name


def thinking_budget(level: ThinkingLevel, model_id: str) -> int:
    """The ``thinkingBudget`` a Gemini 2.5 (or unversioned) model takes for ``level``."""
    budget = BUDGETS[level]
    if "pro" not in model_id or generation(model_id) >= 3:
        return budget
    low, high = PRO_LIMITS
    return high if level is ThinkingLevel.XHIGH else max(budget, low)


def generation_fields(
    level: ThinkingLevel | None,
    max_tokens: int | None,
    model_id: str,
    output_limit: int | None,
) -> dict[str, Any]:
    """``maxOutputTokens`` and ``thinkingConfig`` for ``generationConfig`` (either may be
    absent: with no level and no ``max_tokens``, nothing)."""
    fields: dict[str, Any] = {}
    if level is None:
        if max_tokens is not None:
            fields["maxOutputTokens"] = max_tokens
        return fields
    config: dict[str, Any]
    if generation(model_id) >= 3:
        config = {"thinkingLevel": thinking_level(level, model_id)}
        budget = BUDGETS[level]
    else:
        budget = thinking_budget(level, model_id)
        config = {"thinkingBudget": budget}
    if level is not ThinkingLevel.OFF:
        config["includeThoughts"] = True
    if max_tokens is not None:
        total = max_tokens + budget
        fields["maxOutputTokens"] = min(total, output_limit) if output_limit else total
    fields["thinkingConfig"] = config
    return fields
