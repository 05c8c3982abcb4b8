"""``hotswap demo``: what is installed, and how the example chain resolves against it.

A later version runs a real failover against the local simulator; this one shows the pieces a
chain is made of: which provider plugins are installed, what each model in the chain resolves
to, and where its credential would come from.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from hotswap.config import Config, ModelConfig
    from hotswap.plugins import PluginHost

DEMO_CONFIG = Path(__file__).with_name("demo.toml")


def demo() -> None:
    """Show installed providers and how the example chain resolves."""
    # Imported here so that `hotswap --help` does not pay for config and plugin loading.
    from hotswap.config import load_config_file
    from hotswap.plugins import default_host

    host = default_host()
    providers = host.providers()
    typer.echo("Provider plugins installed: " + (", ".join(sorted(providers)) or "none"))
    for record in host.records():
        if record.status == "failed":
            typer.echo(f"  {record.name}: failed to load: {record.error}")

    config = load_config_file(DEMO_CONFIG)
    typer.echo(f"\nExample config: {config.source}")
    _show_chain(config, "default", host)


def _show_chain(config: Config, name: str, host: PluginHost) -> None:
    chain = config.chain(name)
    typer.echo(f"Chain {name!r}, tried in this order:")
    for position, entry in enumerate(chain.models, start=1):
        model = config.resolve(entry)
        thinking = f", thinking {model.thinking_level}" if model.thinking_level else ""
        typer.echo(f"  {position}. {model.name}: {model.provider} / {model.model}{thinking}")
        typer.echo(f"     {_readiness(model, host)}")
    settings = config.failover_for(chain)
    conditions = ", ".join(str(kind) for kind in settings.conditions)
    typer.echo(
        f"Failover: on {conditions} the next model is tried at once; a model that failed is "
        f"skipped for {settings.cooldown_s:g} s; when every model has failed, up to "
        f"{settings.max_retries} more rounds with backoff from {settings.retry_delay_ms} ms."
    )


def _readiness(model: ModelConfig, host: PluginHost) -> str:
    from hotswap.errors import CredentialError, UnknownProviderError

    try:
        provider = host.provider(model.provider)
    except UnknownProviderError:
        return f"provider not installed: pip install hotswap-{model.provider}"
    auth_type = model.auth_type or provider.default_auth_type
    spec = provider.auth.get(auth_type)
    if spec is None:
        accepted = ", ".join(str(a) for a in provider.auth)
        return f"auth type {auth_type} is not accepted by {provider.name} (accepted: {accepted})"
    try:
        credential = host.resolve_credential(model, auth_type, spec)
    except CredentialError as error:
        # The error lists every place looked in; its last line says what to do.
        return f"ready except the credential: {str(error).splitlines()[-1].strip()}"
    found = credential.source if credential else "none needed"
    return f"ready: auth {auth_type}, credential from {found}"
