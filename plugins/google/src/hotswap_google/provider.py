"""What the plugin declares: the ``google`` provider (Gemini through the AI Studio API), where
its key is found, and its known models.

The key comes from ``GEMINI_API_KEY``, then ``GOOGLE_API_KEY``, then the credential
``google_key`` (or pi's ``google`` entry), and is sent as ``x-goog-api-key``. The list of
models is informative: any model id is sent as configured, and ``hotswap models`` can ask the
API for the models the key may use.
"""

from __future__ import annotations

import re

from hotswap.plugin import AuthType, Capabilities, CredentialSpec, KnownModel, ProviderInfo

PROVIDER = "google"
BASE_URL = "https://generativelanguage.googleapis.com/v1beta"

_CONTEXT = 1_048_576
_OUTPUT = 65_536
_VERSION = re.compile(r"gemini-(\d+)(?:\.(\d+))?")


def _model(id: str, *aliases: str) -> KnownModel:
    return KnownModel(id=id, aliases=aliases, context_window=_CONTEXT, max_output_tokens=_OUTPUT)


INFO = ProviderInfo(
    name=PROVIDER,
    display_name="Google Gemini",
    base_url=BASE_URL,
    auth={
        AuthType.API_KEY: CredentialSpec(
            env_vars=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
            credential="google_key",
            pi_provider="google",
        ),
        AuthType.PI_AUTH: CredentialSpec(pi_provider="google"),
    },
    capabilities=Capabilities(tools=True, streaming=True, thinking=True, vision=True),
    models=(
        _model("gemini-3.5-flash"),
        _model("gemini-3.1-pro-preview"),
        _model("gemini-3.1-flash-lite"),
        _model("gemini-3-flash-preview"),
        _model("gemini-2.5-pro"),
        _model("gemini-2.5-flash"),
        _model("gemini-2.5-flash-lite"),
    ),
)


def generation(model_id: str) -> float:
    """The model's family version (``gemini-2.5-flash``: 2.5; ``gemini-3.1-pro-preview``:
    3.1), or 0 for an id that names none (``gemini-flash-latest``)."""
    found = _VERSION.search(model_id)
    return float(f"{found[1]}.{found[2] or 0}") if found else 0.0


def model_path(model_id: str) -> str:
    """The model as the API's paths name it: ``models/gemini-2.5-flash`` is ``gemini-2.5-flash``."""
    return model_id.removeprefix("models/")
