"""Whether a model could be asked right now, short of asking it: its provider is installed, its
auth type is one the provider accepts, and its credential can be found. Shared by ``models``,
``doctor`` and ``demo``; nothing here sends a request."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.engine import BreakerStore
    from hotswap.plugin.host import PluginHost
    from hotswap.types.auth import AuthType, CredentialSpec
    from hotswap.types.providers import ProviderInfo

__all__ = ["Readiness", "breaker_state", "check_model"]


@dataclass(frozen=True)
class Readiness:
    """What :func:`check_model` found.

    :param model: the model checked.
    :param provider: its provider, when installed.
    :param auth_type: the auth type in force, when the provider is installed.
    :param spec: where the provider says that auth type's credential may be, if it needs one.
    :param credential: where the credential was found (``environment variable
        ANTHROPIC_API_KEY``), ``none needed``, or None when it was not.
    :param problem: what is wrong and how to fix it, or None when the model is ready.
    :param missing_credential: the problem is only that no credential was found (which
        ``doctor --fix`` can mend).
    """

    model: ModelConfig
    provider: ProviderInfo | None = None
    auth_type: AuthType | None = None
    spec: CredentialSpec | None = None
    credential: str | None = None
    problem: str | None = None
    missing_credential: bool = False

    @property
    def ready(self) -> bool:
        return self.problem is None


def check_model(model: ModelConfig, host: PluginHost) -> Readiness:
    """Check ``model`` against the installed plugins and the credential sources (through the
    plugins' ``hotswap_resolve_credential``, as a request would)."""
    from hotswap.types.auth import AuthType
    from hotswap.types.errors import CredentialError, PluginError

    try:
        provider = host.provider(model.provider)
    except PluginError as error:
        return Readiness(model, problem=str(error))
    auth_type = model.auth_type or provider.default_auth_type
    spec = provider.auth.get(auth_type)
    if spec is None:
        accepted = ", ".join(str(a) for a in provider.auth)
        return Readiness(
            model,
            provider,
            auth_type,
            problem=f"auth_type {auth_type} is not accepted by {provider.name}; "
            f"set models.{model.name}.auth_type to one of: {accepted}",
        )
    if auth_type is AuthType.NONE:
        return Readiness(model, provider, auth_type, credential="none needed")
    try:
        credential = host.resolve_credential(model, auth_type, spec)
    except CredentialError as error:
        return Readiness(
            model, provider, auth_type, spec, problem=str(error), missing_credential=True
        )
    found = credential.source if credential is not None else "none needed"
    return Readiness(model, provider, auth_type, spec, credential=found)


def breaker_state(store: BreakerStore, name: str, now: float | None = None) -> str:
    """``closed``, ``open 42 s (rate_limited)``, ``probing (rate_limited)`` while a request
    probes it, or ``half-open (rate_limited)`` when the next request will, for the model
    called ``name``."""
    state = store.state(name)
    if state is None:
        return "closed"
    now = time.monotonic() if now is None else now
    if state.probe_until is not None and now < state.probe_until:
        return f"probing ({state.kind})"
    if state.until <= now:
        return f"half-open ({state.kind})"
    return f"open {state.until - now:.0f} s ({state.kind})"
