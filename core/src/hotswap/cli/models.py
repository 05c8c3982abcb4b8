"""``hotswap models``: the configured models and the models each installed provider knows,
with whether each has a credential and the state of its circuit breaker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from hotswap.cli.options import ConfigOption

if TYPE_CHECKING:
    from hotswap.cli.readiness import Readiness
    from hotswap.cli.servers import ServerListing
    from hotswap.config import Config, ModelConfig
    from hotswap.engine import BreakerStore
    from hotswap.plugin.host import PluginHost

__all__ = ["models"]


def models(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List models: credential and breaker state.

    The configured models, then the known models of every installed provider.
    """
    from hotswap.cli import selection
    from hotswap.cli.failures import reporting
    from hotswap.engine import shared_breakers
    from hotswap.plugin.host import default_host

    with reporting(as_json):
        settings = selection.load(config)
    host = default_host()
    configured = list(settings.models.values())
    known = _known_models(host)
    breakers = shared_breakers()
    rows = _configured_rows(configured, host, breakers)
    known_rows = _known_rows(known, host, breakers)
    servers = _ask_servers(configured, host, quiet=as_json)
    if as_json:
        from hotswap.cli.records import dumps

        listed = [{"provider": s.provider, "server": s.server, "models": s.models} for s in servers]
        typer.echo(dumps({"configured": rows, "known": known_rows, "servers": listed}))
        return
    _show(settings, rows, known_rows)
    _show_servers(servers)


def _ask_servers(
    configured: list[ModelConfig], host: PluginHost, *, quiet: bool
) -> list[ServerListing]:
    from hotswap.cli.servers import list_servers
    from hotswap.cli.terminal import Spinner

    if quiet:
        return list_servers(configured, host)
    with Spinner("asking local servers for their models") as spinner:
        return list_servers(configured, host, spinner)


def _known_models(host: PluginHost) -> list[tuple[ModelConfig, tuple[str, ...]]]:
    """Each known model of each installed provider as the inline model ``provider/id`` a chain
    would use, with its aliases."""
    from hotswap.config import ModelConfig

    found = []
    for name, provider in sorted(host.providers().items()):
        for known in provider.models:
            model = ModelConfig(name=f"{name}/{known.id}", provider=name, model=known.id)
            found.append((model, known.aliases))
    return found


def _configured_rows(
    configured: list[ModelConfig], host: PluginHost, breakers: BreakerStore | None
) -> list[dict[str, Any]]:
    from hotswap.cli.readiness import breaker_state, check_model

    rows = []
    for model in configured:
        readiness = check_model(model, host)
        rows.append(
            {
                "name": model.name,
                "provider": model.provider,
                "model_id": model.model,
                "installed": readiness.provider is not None,
                "credential": readiness.credential,
                "missing_credential": readiness.missing_credential,
                "problem": readiness.problem,
                "breaker": breaker_state(breakers, model.name) if breakers else "closed",
            }
        )
    return rows


def _known_rows(
    known: list[tuple[ModelConfig, tuple[str, ...]]],
    host: PluginHost,
    breakers: BreakerStore | None,
) -> list[dict[str, Any]]:
    from hotswap.cli.readiness import breaker_state, check_model

    # A provider's default credential serves all its models: look it up once per provider.
    per_provider: dict[str, Readiness] = {}
    rows = []
    for model, aliases in known:
        readiness = per_provider.get(model.provider)
        if readiness is None:
            readiness = per_provider[model.provider] = check_model(model, host)
        info = readiness.provider
        entry = info.known_model(model.model) if info else None
        rows.append(
            {
                "name": model.name,
                "provider": model.provider,
                "model_id": model.model,
                "aliases": list(aliases),
                "context_window": entry.context_window if entry else None,
                "credential": readiness.credential,
                "breaker": breaker_state(breakers, model.name) if breakers else "closed",
            }
        )
    return rows


def _show(config: Config, rows: list[dict[str, Any]], known_rows: list[dict[str, Any]]) -> None:
    from hotswap.cli.terminal import dim, table

    source = str(config.source) if config.source else "no config file found"
    typer.secho(f"Configured models ({source})", bold=True)
    if rows:
        cells = [
            [
                r["name"],
                r["provider"],
                r["model_id"],
                _credential_cell(r),
                r["breaker"],
            ]
            for r in rows
        ]
        typer.echo(table(["name", "provider", "model id", "credential", "breaker"], cells))
        if any(r["problem"] for r in rows):
            typer.echo(dim("Run `hotswap doctor` to see what to fix."))
    else:
        typer.echo(dim("none: add [models.NAME] tables to hotswap.toml"))
    typer.echo()
    typer.secho("Known models of installed providers", bold=True)
    if not known_rows:
        typer.echo(dim("none: install a provider plugin, such as pip install hotswap-anthropic"))
        return
    cells = [
        [
            r["name"],
            ", ".join(r["aliases"]),
            f"{r['context_window']:,}" if r["context_window"] else "",
            r["credential"] or "missing",
            r["breaker"],
        ]
        for r in known_rows
    ]
    typer.echo(table(["model", "aliases", "context", "credential", "breaker"], cells))


def _credential_cell(row: dict[str, Any]) -> str:
    if row["credential"] is not None:
        return str(row["credential"])
    if not row["installed"]:
        return f"provider not installed (pip install hotswap-{row['provider']})"
    return "missing" if row["missing_credential"] else "auth_type not accepted"


def _show_servers(servers: list[ServerListing]) -> None:
    from hotswap.cli.terminal import table

    if not servers:
        return
    typer.echo()
    typer.secho("Models on local servers", bold=True)
    cells = [
        [
            s.provider,
            s.server,
            ", ".join(s.models)
            if s.models
            else ("none" if s.models is not None else "no answer (is it running?)"),
        ]
        for s in servers
    ]
    typer.echo(table(["provider", "server", "models"], cells))
