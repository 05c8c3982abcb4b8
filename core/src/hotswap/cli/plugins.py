"""``hotswap plugins``: the installed plugins, their versions, and any that failed to load."""

from __future__ import annotations

import dataclasses
import json

import typer


def plugins(
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """List installed plugins and load failures.

    Versions, entry points and providers; a plugin that failed to load, with the reason.
    HOTSWAP_DISABLE_PLUGINS=name,name keeps named plugins from loading.
    """
    from hotswap.plugin.host import default_host

    host = default_host()
    host.load()
    records = host.records()
    if as_json:
        typer.echo(json.dumps([dataclasses.asdict(r) for r in records], indent=2))
        return
    if not records:
        typer.echo(
            "No hotswap plugins are installed. Add a provider with: pip install hotswap-NAME"
        )
        return
    for record in records:
        version = f" {record.version}" if record.version else ""
        provides = f"  provides: {', '.join(record.providers)}" if record.providers else ""
        typer.echo(f"{record.name:<14} {record.status:<8} {record.distribution or '-'}{version}")
        typer.echo(f"{'':<14} entry point: {record.target}{provides}")
        if record.error:
            typer.echo(f"{'':<14} error: {record.error}")
