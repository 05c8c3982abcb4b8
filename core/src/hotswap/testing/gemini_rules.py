"""The rules Gemini checks a request against beyond its shape: which thinking control each
model takes (provider-facts §4.5), and the thought signatures Gemini 3 requires back on function
calls (§4.1). Pure functions of the model id and the request body.

Where Google's exact wording of a refusal is not on record, the message here says the same
thing in the simulator's words.
"""

from __future__ import annotations

import base64
import re
from typing import Any

__all__ = [
    "SKIP_SIGNATURE",
    "describe_model",
    "generation",
    "signature_for",
    "signature_refusal",
    "thinking_refusal",
]

SKIP_SIGNATURE = "skip_thought_signature_validator"
"""The signature Google documents for function calls no Gemini model made (they pass)."""

_VERSION = re.compile(r"gemini-(\d+)(?:\.(\d+))?")
_ALL_LEVELS = frozenset(("MINIMAL", "LOW", "MEDIUM", "HIGH"))


def generation(model: str) -> float:
    """The model's family version (``gemini-2.5-flash``: 2.5; ``gemini-3.1-pro-preview``:
    3.1), or 0 for an id without one."""
    found = _VERSION.search(model)
    return float(f"{found[1]}.{found[2] or 0}") if found else 0.0


def _levels(model: str) -> frozenset[str]:
    """The thinking levels a Gemini 3 model accepts: Flash all four; Gemini 3 Pro LOW and
    HIGH; later Pro models no MINIMAL."""
    if "flash" in model:
        return _ALL_LEVELS
    if generation(model) == 3.0:
        return frozenset(("LOW", "HIGH"))
    return _ALL_LEVELS - {"MINIMAL"}


def _budget_refusal(model: str, budget: int) -> str | None:
    """Why a 2.5 model refuses ``budget``, or None (-1, dynamic, is always allowed)."""
    if budget == -1:
        return None
    if "flash-lite" in model:
        allowed = budget == 0 or 512 <= budget <= 24576
        ranges = "0 or 512 to 24576"
    elif "flash" in model:
        allowed, ranges = 0 <= budget <= 24576, "0 to 24576"
    elif "pro" in model:
        if budget == 0:
            return "Budget 0 is invalid. This model only works in thinking mode."
        allowed, ranges = 128 <= budget <= 32768, "128 to 32768"
    else:
        return None
    if allowed:
        return None
    return f"The thinking budget {budget} is invalid: {model} accepts {ranges} (or -1)."


def thinking_refusal(model: str, config: Any) -> str | None:
    """Why Gemini refuses ``generationConfig.thinkingConfig``, or None if it accepts it."""
    if not isinstance(config, dict):
        return None
    level, budget = config.get("thinkingLevel"), config.get("thinkingBudget")
    if level is not None and budget is not None:
        return "thinking_budget and thinking_level are mutually exclusive; set only one."
    if level is not None:
        if generation(model) < 3:
            return f"Thinking level is not supported for {model}; use a thinking budget."
        name = str(level).upper()
        if name not in _levels(model):
            accepted = ", ".join(sorted(_levels(model)))
            return f"Thinking level {level} is not supported for {model} (it takes {accepted})."
    if isinstance(budget, int) and 2.5 <= generation(model) < 3:
        return _budget_refusal(model, budget)
    return None


def signature_refusal(model: str, contents: list[Any]) -> str | None:
    """Why a Gemini 3 model refuses the conversation for an unsigned function call in the
    current turn (everything after the last user message with text), or None."""
    if generation(model) < 3:
        return None
    turns = [content if isinstance(content, dict) else {} for content in contents]
    start = 0
    for index, content in enumerate(turns):
        if content.get("role", "user") == "user" and _has_text(content.get("parts")):
            start = index + 1
    for index in range(start, len(turns)):
        parts = turns[index].get("parts") if turns[index].get("role") == "model" else None
        calls = [p for p in parts or () if isinstance(p, dict) and "functionCall" in p]
        if calls and not calls[0].get("thoughtSignature"):
            name = calls[0]["functionCall"].get("name", "")
            return (
                "Function call is missing a thought_signature in functionCall parts. This is "
                "required for tools to work correctly, and missing thought_signature may lead "
                f"to degraded model performance. Additional data, function call "
                f"`default_api:{name}` , position {index + 1}. Please refer to "
                "https://ai.google.dev/gemini-api/docs/thought-signatures for more details."
            )
    return None


def _has_text(parts: Any) -> bool:
    return isinstance(parts, list) and any(isinstance(p, dict) and "text" in p for p in parts)


def signature_for(ordinal: int) -> str:
    """The thought signature of the answer to request ``ordinal``: base64, as Google's are."""
    return base64.b64encode(f"hotswap-simulator-thought-{ordinal:04d}".encode()).decode()


def describe_model(model: str) -> dict[str, Any]:
    """One model as ``GET /v1beta/models`` describes it."""
    return {
        "name": f"models/{model}",
        "version": "001",
        "displayName": model,
        "description": "A model served by the hotswap simulator.",
        "inputTokenLimit": 1_048_576,
        "outputTokenLimit": 65_536,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
        "thinking": generation(model) >= 2.5,
    }
