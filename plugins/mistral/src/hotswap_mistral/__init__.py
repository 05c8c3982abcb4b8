"""hotswap's Mistral provider: La Plateforme's chat completions, translated by hotswap-openai.

What Mistral does differently (provider-facts §6, docs.mistral.ai):

* endpoint ``https://api.mistral.ai/v1``; key ``MISTRAL_API_KEY`` or the credential
  ``mistral_key``;
* ``max_tokens``; ``seed`` is called ``random_seed``; no ``stream_options``: usage comes at the
  end of every stream unasked;
* tool-call ids must be nine letters or digits, so other ids (another provider's, from earlier
  in the conversation) are rewritten to a stable nine-character digest, the same for a call
  and its result;
* Magistral models always reason (a level is dropped) and send their reasoning as
  ``thinking`` chunks inside ``content``;
* errors: ``rate_limited`` / code ``1300`` is ``rate_limited``; "Service tier capacity
  exceeded" (code ``3505``, a 429 or 503) is ``overloaded``; a 422 ``detail`` list is
  ``invalid_request``; "too large for model with … maximum context length" is
  ``context_length``; a finish reason ``error`` is a ``server_error``.
"""

from __future__ import annotations

import hashlib
import re

from hotswap_openai.compat import (
    ErrorRule,
    OpenAICompatible,
    Quirks,
    Reasoning,
    api_key_auth,
    known,
)

from hotswap.plugin import Capabilities, ErrorKind, ProviderInfo

__all__ = ["Mistral", "plugin", "tool_call_id"]

_TOOL_ID = re.compile(r"[a-zA-Z0-9]{9}")


def tool_call_id(call_id: str) -> str:
    """``call_id`` as Mistral accepts it: itself if it is nine letters or digits, else the first
    nine hex digits of its SHA-256 (stable, so a call and its result keep matching)."""
    if _TOOL_ID.fullmatch(call_id):
        return call_id
    return hashlib.sha256(call_id.encode()).hexdigest()[:9]


class Mistral(OpenAICompatible):
    """Mistral's chat completions."""

    info = ProviderInfo(
        name="mistral",
        display_name="Mistral",
        base_url="https://api.mistral.ai/v1",
        auth=api_key_auth("MISTRAL_API_KEY", credential="mistral_key", pi_provider="mistral"),
        capabilities=Capabilities(tools=True, streaming=True, vision=True),
        models=(
            known("mistral-large-latest", 131_072, None, vision=True),
            known("mistral-medium-latest", 131_072, None, vision=True),
            known("mistral-small-latest", 131_072, None, vision=True),
            known("magistral-medium-latest", 131_072, None, thinking=True),
            known("magistral-small-latest", 131_072, None, thinking=True),
            known("codestral-latest", 256_000),
            known("devstral-medium-latest", 131_072),
            known("pixtral-large-latest", 131_072, None, vision=True),
            known("ministral-8b-latest", 131_072),
            known("open-mistral-nemo", 131_072),
        ),
    )
    quirks = Quirks(
        stream_usage=False,
        renamed={"seed": "random_seed"},
        tool_call_id=tool_call_id,
        reasoning=(Reasoning(r"magistral-.*"),),
        error_rules=(
            ErrorRule(ErrorKind.OVERLOADED, message=r"service tier capacity exceeded"),
            ErrorRule(ErrorKind.OVERLOADED, code="3505"),
            ErrorRule(ErrorKind.RATE_LIMITED, code="1300"),
            ErrorRule(ErrorKind.RATE_LIMITED, code="rate_limited"),
        ),
    )


plugin = Mistral()
