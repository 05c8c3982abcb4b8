"""hotswap's Groq provider: Groq's OpenAI-compatible API, translated by hotswap-openai.

What Groq does differently (provider-facts §3, console.groq.com/docs/openai):

* endpoint ``https://api.groq.com/openai/v1``; key ``GROQ_API_KEY`` or the credential
  ``groq_key``;
* ``max_completion_tokens``; ``logprobs``, ``logit_bias``, ``top_logprobs`` and ``n`` are
  refused with a 400, so never sent;
* usage arrives unasked in ``x_groq.usage`` on a stream's finish chunk, so ``stream_options``
  is not sent;
* ``reasoning_effort``: gpt-oss takes ``low|medium|high``, qwen3 ``none|default``;
* errors: 498 ``capacity_exceeded`` (flex tier) is ``overloaded``; 400 ``tool_use_failed`` and
  ``json_validate_failed`` (the model wrote a bad call) are ``server_error``, so another try or
  model can do better; a 413 about tokens is ``context_length``; a stream stopped by
  ``x_groq.error`` is a ``server_error``.
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

from hotswap.plugin import ErrorKind, ProviderInfo, ThinkingLevel

__all__ = ["Groq", "plugin"]

_QWEN3_EFFORTS = dict.fromkeys(ThinkingLevel, "default") | {ThinkingLevel.OFF: "none"}


class Groq(OpenAICompatible):
    """Groq's chat completions."""

    info = ProviderInfo(
        name="groq",
        display_name="Groq",
        base_url="https://api.groq.com/openai/v1",
        auth=api_key_auth("GROQ_API_KEY", credential="groq_key", pi_provider="groq"),
        models=(
            known("openai/gpt-oss-120b", 131_072, 65_536, thinking=True),
            known("openai/gpt-oss-20b", 131_072, 65_536, thinking=True),
            known("qwen/qwen3-32b", 131_072, 40_960, thinking=True),
            known("llama-3.3-70b-versatile", 131_072, 32_768),
            known("llama-3.1-8b-instant", 131_072, 131_072),
            known("meta-llama/llama-4-maverick-17b-128e-instruct", 131_072, 8_192, vision=True),
            known("meta-llama/llama-4-scout-17b-16e-instruct", 131_072, 8_192, vision=True),
            known("moonshotai/kimi-k2-instruct-0905", 262_144, 16_384),
        ),
    )
    quirks = Quirks(
        max_tokens_field="max_completion_tokens",
        stream_usage=False,
        rejected=frozenset({"logprobs", "logit_bias", "top_logprobs", "n"}),
        reasoning=(
            Reasoning(r"openai/gpt-oss-.*", efforts_within("low", "medium", "high")),
            Reasoning(r"qwen/qwen3-.*", _QWEN3_EFFORTS),
        ),
        usage_fields=("usage", "x_groq.usage"),
        error_rules=(
            ErrorRule(ErrorKind.OVERLOADED, status=498),
            ErrorRule(ErrorKind.SERVER_ERROR, code="tool_use_failed"),
            ErrorRule(ErrorKind.SERVER_ERROR, code="json_validate_failed"),
            ErrorRule(ErrorKind.CONTEXT_LENGTH, status=413, message=r"tokens"),
        ),
    )


plugin = Groq()
