"""What the plugin declares: the ``anthropic`` provider, its auth types and its known models.

The list of models is informative (``hotswap models`` shows it; ``opus``, ``sonnet`` and
``haiku`` name the newest of each family): any other model id is sent as configured.
"""

from __future__ import annotations

from hotswap.auth import AuthType, CredentialSpec
from hotswap.providers import Capabilities, KnownModel, ProviderInfo

PROVIDER = "anthropic"
API_VERSION = "2023-06-01"


def _model(id: str, context: int, output: int, *aliases: str) -> KnownModel:
    return KnownModel(id=id, aliases=aliases, context_window=context, max_output_tokens=output)


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
    capabilities=Capabilities(tools=True, streaming=True, thinking=True, vision=True, prefill=True),
    models=(
        _model("claude-opus-4-7", 1_000_000, 128_000, "opus"),
        _model("claude-opus-4-6", 1_000_000, 128_000),
        _model("claude-sonnet-4-6", 1_000_000, 64_000, "sonnet"),
        _model("claude-haiku-4-5", 200_000, 64_000, "haiku", "claude-haiku-4-5-20251001"),
        _model("claude-opus-4-5", 200_000, 64_000, "claude-opus-4-5-20251101"),
        _model("claude-sonnet-4-5", 200_000, 64_000, "claude-sonnet-4-5-20250929"),
        _model("claude-opus-4-1", 200_000, 32_000, "claude-opus-4-1-20250805"),
        _model("claude-sonnet-4-0", 200_000, 64_000, "claude-sonnet-4-20250514"),
        _model("claude-opus-4-0", 200_000, 32_000, "claude-opus-4-20250514"),
    ),
)
