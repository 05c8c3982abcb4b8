"""hotswap's OpenRouter provider: one key for many vendors' models, through OpenRouter's
OpenAI-compatible API, translated by hotswap-openai.

What OpenRouter does differently (provider-facts §7, openrouter.ai/docs):

* endpoint ``https://openrouter.ai/api/v1``; key ``OPENROUTER_API_KEY`` or the credential
  ``openrouter_key``; model ids are ``vendor/model`` (``anthropic/claude-sonnet-4.5``), so an
  inline chain entry reads ``openrouter/anthropic/claude-sonnet-4.5``;
* app attribution, optional: the model options ``app_url`` and ``app_title`` are sent as the
  ``HTTP-Referer`` and ``X-Title`` headers (or set those headers in the model's ``headers``);
* ``thinking_level`` is sent to every model as ``reasoning: {"effort": ...}``, which OpenRouter
  passes on to the models that reason and ignores for the rest;
* usage ends every stream unasked (``stream_options`` is deprecated there, so not sent);
* errors that happen after generation began come back with status **200**: a body, or a stream
  chunk, with ``error: {code, message, metadata}`` and a finish reason ``error``; the ``code`` is
  an HTTP status, classified as such, and the upstream provider's own message
  (``metadata.raw``) is added to the message;
* a 403 whose input was flagged by moderation is ``content_filter`` (any other 403 is
  ``permission``); 402 (no credits) is ``quota_exhausted``; "No endpoints found" is
  ``not_found``.
"""

from __future__ import annotations

from hotswap_openai.compat import (
    EFFORT_LADDER,
    ErrorRule,
    OpenAICompatible,
    Quirks,
    Reasoning,
    api_key_auth,
    efforts_within,
    known,
)

from hotswap.plugin import Capabilities, ErrorKind, ProviderInfo

__all__ = ["OpenRouter", "plugin"]


class OpenRouter(OpenAICompatible):
    """OpenRouter's chat completions."""

    info = ProviderInfo(
        name="openrouter",
        display_name="OpenRouter",
        base_url="https://openrouter.ai/api/v1",
        auth=api_key_auth(
            "OPENROUTER_API_KEY", credential="openrouter_key", pi_provider="openrouter"
        ),
        capabilities=Capabilities(tools=True, streaming=True, thinking=True, vision=True),
        models=(
            known("anthropic/claude-sonnet-4.5", 1_000_000, 64_000, vision=True, thinking=True),
            known("anthropic/claude-opus-4.1", 200_000, 32_000, vision=True, thinking=True),
            known("openai/gpt-5", 400_000, 128_000, vision=True, thinking=True),
            known("openai/gpt-4o", 128_000, 16_384, vision=True),
            known("google/gemini-2.5-pro", 1_048_576, 65_536, vision=True, thinking=True),
            known("google/gemini-2.5-flash", 1_048_576, 65_535, vision=True, thinking=True),
            known("x-ai/grok-4", 256_000, None, vision=True, thinking=True),
            known("deepseek/deepseek-chat-v3.1", 163_840, None, thinking=True),
            known("meta-llama/llama-3.3-70b-instruct", 131_072, None),
            known("mistralai/mistral-large", 131_072, None),
        ),
    )
    quirks = Quirks(
        stream_usage=False,
        reasoning=(Reasoning(r".*", efforts_within(*EFFORT_LADDER)),),
        reasoning_field="reasoning.effort",
        option_headers={"app_url": "HTTP-Referer", "app_title": "X-Title"},
        error_rules=(
            ErrorRule(ErrorKind.CONTENT_FILTER, status=403, message=r"flagged|moderation"),
            ErrorRule(ErrorKind.NOT_FOUND, message=r"no endpoints found"),
        ),
    )


plugin = OpenRouter()
