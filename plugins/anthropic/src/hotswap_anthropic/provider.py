"""What the plugin declares: the ``anthropic`` provider, its auth types and its known models.

The list of models is informative (``hotswap models`` shows it; ``opus``, ``sonnet`` and
``haiku`` name the newest of each family): any other model id is sent as configured.

Models before Claude 4.6 carry on from a conversation that ends with a partial assistant turn
(a prefill); from 4.6 on the API refuses one, so the provider as a whole (and any model not
listed) is declared without it.
"""

from __future__ import annotations

from hotswap.plugin import AuthType, Capabilities, CredentialSpec, KnownModel, ProviderInfo

PROVIDER = "anthropic"
API_VERSION = "2023-06-01"


_CAPABILITIES = Capabilities(tools=True, streaming=True, thinking=True, vision=True)
_PREFILL = _CAPABILITIES.model_copy(update={"prefill": True})


def _model(id: str, context: int, output: int, *aliases: str, prefill: bool = False) -> KnownModel:
    return KnownModel(
        id=id,
        aliases=aliases,
        context_window=context,
        max_output_tokens=output,
        capabilities=_PREFILL if prefill else None,
    )


INFO = ProviderInfo(
    name=PROVIDER,
    display_name="Anthropic",
    base_url="https://api.anthropic.com/v1",
    auth={
        AuthType.API_KEY: CredentialSpec(
            env_vars=("ANTHROPIC_API_KEY",), credential="anthropic_key", pi_provider="anthropic"
        ),
        AuthType.OAUTH_TOKEN: CredentialSpec(
            env_vars=("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_OAUTH_TOKEN"),
            credential="anthropic_key",
            pi_provider="anthropic",
        ),
        AuthType.PI_AUTH: CredentialSpec(pi_provider="anthropic"),
    },
    capabilities=_CAPABILITIES,
    models=(
        _model("claude-opus-4-7", 1_000_000, 128_000, "opus"),
        _model("claude-opus-4-6", 1_000_000, 128_000),
        _model("claude-sonnet-4-6", 1_000_000, 64_000, "sonnet"),
        _model(
            "claude-haiku-4-5", 200_000, 64_000, "haiku", "claude-haiku-4-5-20251001", prefill=True
        ),
        _model("claude-opus-4-5", 200_000, 64_000, "claude-opus-4-5-20251101", prefill=True),
        _model("claude-sonnet-4-5", 200_000, 64_000, "claude-sonnet-4-5-20250929", prefill=True),
        _model("claude-opus-4-1", 200_000, 32_000, "claude-opus-4-1-20250805", prefill=True),
        _model("claude-sonnet-4-0", 200_000, 64_000, "claude-sonnet-4-20250514", prefill=True),
        _model("claude-opus-4-0", 200_000, 32_000, "claude-opus-4-20250514", prefill=True),
    ),
)
