"""``hotswap doctor``: check the config, the plugins and every model's provider and credential,
and say exactly what to fix. ``--fix`` asks for each missing key (without echoing it) and
stores it in hotswap's credentials directory, or with ``--keychain`` in the OS keychain.

Exit status: 0 when everything is ready, 2 when something needs fixing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer

from hotswap.cli.options import ConfigOption

if TYPE_CHECKING:
    from pathlib import Path

    from hotswap.cli.readiness import Readiness
    from hotswap.config import Config
    from hotswap.credentials import CredentialRef
    from hotswap.engine import BreakerStore
    from hotswap.plugin.host import PluginHost

__all__ = ["doctor"]

OK = "✓"
BAD = "✗"


def doctor(
    config: ConfigOption = None,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Ask for each missing key and store it (never echoed)."),
    ] = False,
    keychain: Annotated[
        bool,
        typer.Option(
            "--keychain",
            help="With --fix: store keys in the OS keychain instead of the credentials "
            "directory (needs the keyring package).",
        ),
    ] = False,
) -> None:
    """Check the setup and say what to fix.

    Config, plugins, and each model's provider and credential.

    Exit status: 0 when everything is ready, 2 when something needs fixing.
    """
    from hotswap.cli.failures import SETUP_PROBLEM
    from hotswap.plugin.host import default_host

    host = default_host()
    settings = _check_config(config)
    problems = _check_plugins(host)
    fixable = False
    if settings is None:
        problems += 1
    else:
        results = _check_models(settings, host)
        if fix and any(r.missing_credential for r in results):
            _store_missing(results, keychain)
            results = _check_models(settings, host)
        usable = _show_models(results)
        problems += len(results) - len(usable)
        _show_chains(settings, usable)
        fixable = any(r.missing_credential for r in results)
    typer.echo()
    if problems:
        typer.secho(f"{problems} thing(s) to fix.", fg="red", bold=True)
        if fixable and not fix:
            typer.echo("Run `hotswap doctor --fix` to enter the missing keys.")
        raise typer.Exit(SETUP_PROBLEM)
    typer.secho("Everything is ready.", fg="green", bold=True)


def _check_models(config: Config, host: PluginHost) -> list[Readiness]:
    """Every configured model, then every inline model a chain names, checked once each."""
    from hotswap.cli.readiness import check_model

    models = {model.name: model for model in config.models.values()}
    for chain in (*config.chains.values(), *config.agents.values()):
        for entry in chain.models:
            models.setdefault(entry, config.resolve(entry))
    return [check_model(model, host) for model in models.values()]


def _check_config(path: Path | None) -> Config | None:
    from hotswap.cli.selection import load
    from hotswap.types.errors import ConfigError

    try:
        config = load(path)
    except ConfigError as error:
        _line(False, "config", str(error))
        return None
    if config.source is None:
        _line(
            True,
            "config",
            "no config file (looked for $HOTSWAP_CONFIG, ./hotswap.toml and "
            "~/.config/hotswap/hotswap.toml); models can still be named inline: "
            "hotswap ask -m ollama/llama3.2",
        )
    else:
        _line(
            True,
            "config",
            f"{config.source}: {len(config.models)} model(s), "
            f"{len(config.chains) + len(config.agents)} chain(s)",
        )
    return config


def _check_plugins(host: PluginHost) -> int:
    from hotswap.plugin.host import DISABLE_VARIABLE

    host.load()
    problems = 0
    # By name, so the report reads the same whatever order the entry points were found in.
    records = sorted(
        host.records(),
        key=lambda record: record.name,
    )
    if not records:
        _line(False, "plugins", "no provider plugin installed: pip install hotswap-anthropic")
        return 1
    for record in records:
        version = f" {record.version}" if record.version else ""
        label = f"plugin {record.name}{version}"
        if record.status == "failed":
            problems += 1
            _line(False, label, f"failed to load: {record.error}")
        elif record.status == "disabled":
            _line(True, label, f"disabled by {DISABLE_VARIABLE}")
        else:
            provides = ", ".join(record.providers) or "no provider"
            _line(True, label, f"provides {provides}")
    return problems


def _show_models(results: Sequence[Readiness]) -> set[str]:
    """Show each model's state; the names of those a chain would ask."""
    from hotswap.engine import shared_breakers

    breakers = shared_breakers()
    usable = set()
    for result in results:
        label = f"model {result.model.name}"
        where = f"{result.model.provider}/{result.model.model}"
        refused = _refused(breakers, result.model.name)
        if not result.ready:
            _line(False, label, f"{where}: {result.problem}")
        elif refused is not None:
            _line(False, label, f"{where}: credential from {result.credential}, {refused}")
        else:
            usable.add(result.model.name)
            _line(True, label, f"{where}: credential from {result.credential}")
    return usable


# What an open breaker of these kinds says about the account, for the models doctor lists.
_ACCOUNT_BREAKERS = {
    "auth": "but the provider refused it",
    "permission": "but it may not be used for this model",
    "quota_exhausted": "but its account is out of credit or quota",
}


def _refused(breakers: BreakerStore, name: str) -> str | None:
    """Why chains are passing ``name`` over for an account problem, or None."""
    import time

    state = breakers.state(name)
    left = state.until - time.monotonic() if state is not None else 0.0
    if state is None or not state.kind.is_account_problem() or left <= 0:
        return None
    minutes = left / 60
    return (
        f"{_ACCOUNT_BREAKERS[str(state.kind)]} ({state.kind}): chains skip it for "
        f"{minutes:.0f} min more"
    )


def _show_chains(config: Config, ready: set[str]) -> None:
    for kind, chains in (("chain", config.chains), ("agent", config.agents)):
        for name, chain in chains.items():
            usable = [entry for entry in chain.models if entry in ready]
            order = " → ".join(chain.models)
            summary = f"{len(usable)} of {len(chain.models)} ready" if usable else "none ready"
            passed = [entry for entry in chain.models if entry not in ready]
            if usable and passed:
                # A chain fails over past a model it cannot use: say which, as it does.
                summary += f"; it fails over past {', '.join(passed)}"
            _line(bool(usable), f"{kind} {name}", f"{order} ({summary})")


@dataclass
class _Wanted:
    """One credential ``--fix`` asks for, and the models that need it."""

    ref: CredentialRef
    provider: str
    env_vars: tuple[str, ...]
    models: list[str] = field(default_factory=list)


def _store_missing(results: Sequence[Readiness], keychain: bool) -> None:
    """Ask for every missing credential once, however many models share it, and store it."""
    from hotswap.credentials import CredentialRef

    wanted: dict[CredentialRef, _Wanted] = {}
    for result in results:
        spec = result.spec
        if not result.missing_credential or spec is None:
            continue
        reference = result.model.credential or spec.credential
        if reference is None:
            continue  # pi logins and variable-only providers are not ours to write
        ref = CredentialRef.parse(reference, field=spec.field)
        entry = wanted.setdefault(ref, _Wanted(ref, result.model.provider, spec.env_vars))
        entry.models.append(result.model.name)
    if not wanted:
        return
    typer.echo()
    typer.echo("Missing keys (input is not shown; press Enter to skip one):")
    for entry in wanted.values():
        value = typer.prompt(
            f"  {entry.provider} key {entry.ref} (for {', '.join(entry.models)})",
            default="",
            show_default=False,
            hide_input=True,
        ).strip()
        if not value:
            typer.echo("  skipped")
            continue
        where = _store(entry.ref, value, keychain)
        typer.echo(f"  stored in {where}")
        if entry.env_vars:
            typer.echo(f"  (an environment variable {entry.env_vars[0]}, if set, still wins)")
    typer.echo()


def _store(ref: CredentialRef, value: str, keychain: bool) -> str:
    from hotswap.credentials import store_credential_file
    from hotswap.types.redaction import Secret

    secret = Secret(value)
    if keychain:
        from hotswap.credentials import KEYCHAIN_SERVICE
        from hotswap.credentials.keychain import keychain_username

        try:
            import keyring
        except ImportError:
            typer.secho(
                "  the keyring package is not installed (pip install 'hotswap[keyring]'); "
                "storing in the credentials directory instead",
                err=True,
                fg="yellow",
            )
        else:
            username = keychain_username(ref)
            try:
                keyring.set_password(KEYCHAIN_SERVICE, username, secret.reveal())
            # A backend can fail in any way it likes (locked, no D-Bus); the file still works.
            except Exception as error:
                typer.secho(
                    f"  the keychain refused it ({type(error).__name__}); storing in the "
                    "credentials directory instead",
                    err=True,
                    fg="yellow",
                )
            else:
                return f"the keychain (service {KEYCHAIN_SERVICE}, username {username})"
    path = store_credential_file(ref.type, ref.instance, ref.field, secret)
    return f"{path} (mode 600)"


def _line(ok: bool, label: str, text: str) -> None:
    mark = typer.style(OK, fg="green") if ok else typer.style(BAD, fg="red")
    first, *rest = text.splitlines()
    typer.echo(f"{mark} {label}: {first}")
    for line in rest:
        typer.echo(f"    {line.strip()}")
