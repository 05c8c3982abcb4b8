"""hotswap's xAI provider: Grok through xAI's OpenAI-compatible API, translated by
hotswap-openai.

What xAI does differently (provider-facts §5, docs.x.ai):

* endpoint ``https://api.x.ai/v1``; key ``XAI_API_KEY`` or the credential ``xai_key``;
* ``max_completion_tokens``; ``store`` is refused, so never sent;
* reasoning: grok-3-mini takes ``reasoning_effort`` ``low|high``; grok-4 and the other
  reasoning models refuse it (a level is dropped) and refuse ``stop``, ``presence_penalty``
  and ``frequency_penalty``, which are never sent to them; reasoning text comes back as
  ``reasoning_content``;
* errors are often ``{"code": "...", "error": "<message>"}``: a bad key is a **400** "Incorrect
  API key provided" (``auth``); "used all available credits", "monthly spending limit" (429) and
  "doesn't have any credits or licenses" (403) are ``quota_exhausted``; "maximum prompt length"
  is ``context_length``; the code ``The service is currently unavailable`` (gRPC's
  UNAVAILABLE, sent with a 503 or inside a stream) is ``overloaded``, as are a 503 and a model
  "at capacity".
"""

from __future__ import annotations

from hotswap_openai.compat import (
    ErrorRule,
    OpenAICompatible,
    Quirks,
    Reasoning,
    api_key_auth,
    efforts_within,
    known,
)

from hotswap.plugin import Capabilities, ErrorKind, ProviderInfo

__all__ = ["XAI", "plugin"]


class XAI(OpenAICompatible):
    """xAI's chat completions."""

    info = ProviderInfo(
        name="xai",
        display_name="xAI",
        base_url="https://api.x.ai/v1",
        auth=api_key_auth("XAI_API_KEY", credential="xai_key", pi_provider="xai"),
        capabilities=Capabilities(tools=True, streaming=True, thinking=True, vision=True),
        models=(
            known("grok-4", 256_000, None, "grok-4-0709", vision=True, thinking=True),
            known("grok-4-1-fast-reasoning", 2_000_000, None, vision=True, thinking=True),
            known("grok-4-1-fast-non-reasoning", 2_000_000, None, vision=True),
            known("grok-4-fast-reasoning", 2_000_000, None, vision=True, thinking=True),
            known("grok-4-fast-non-reasoning", 2_000_000, None, vision=True),
            known("grok-code-fast-1", 256_000, None, thinking=True),
            known("grok-3", 131_072),
            known("grok-3-mini", 131_072, None, thinking=True),
        ),
    )
    quirks = Quirks(
        max_tokens_field="max_completion_tokens",
        rejected=frozenset({"store"}),
        reasoning=(
            Reasoning(r"grok-3-mini.*", efforts_within("low", "high")),
            Reasoning(r"grok-(4|code)(?!.*non-reasoning).*"),
        ),
        reasoning_rejects=frozenset({"stop", "presence_penalty", "frequency_penalty"}),
        error_rules=(
            ErrorRule(ErrorKind.QUOTA_EXHAUSTED, message=r"used all available credits"),
            ErrorRule(ErrorKind.QUOTA_EXHAUSTED, message=r"monthly spending limit"),
            ErrorRule(ErrorKind.QUOTA_EXHAUSTED, message=r"credits or licenses"),
            ErrorRule(ErrorKind.OVERLOADED, code="The service is currently unavailable"),
        ),
    )


plugin = XAI()
