"""The ``hotswap`` command. Importing hotswap never imports this package; only the command does."""

from __future__ import annotations

import typer

from hotswap.cli import ask, chat, demo, doctor, models, plugins, simulate

app = typer.Typer(
    name="hotswap",
    help="Talk to any LLM provider through one interface, and keep working when one fails.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help, as click writes it: rich's boxes cost ~70 ms at every `--help` and read
    # "[models]" as markup.
    rich_markup_mode=None,
)
app.command("ask")(ask.ask)
app.command("chat")(chat.chat)
app.command("models")(models.models)
app.command("plugins")(plugins.plugins)
app.command("doctor")(doctor.doctor)
app.command("simulate")(simulate.simulate)
app.command("demo")(demo.demo)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"hotswap {version('hotswap')}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Talk to any LLM provider through one interface, and keep working when one fails."""


def main() -> None:
    """The console-script entry point."""
    app()
