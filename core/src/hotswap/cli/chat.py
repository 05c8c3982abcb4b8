"""``hotswap chat``: a conversation that keeps its history, whichever model answers each turn.

Lines starting with ``/`` are commands (``/model NAME``, ``/chain NAME``, ``/help``,
``/exit``); every other line is a turn. Ctrl-C stops the answer being written and returns to
the prompt; Ctrl-D or ``/exit`` leaves. A turn that fails is reported and leaves the history
as it was, so the conversation goes on.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import typer

from hotswap.cli.options import (
    ChainOption,
    ConfigOption,
    MaxTokensOption,
    ModelOption,
    SystemOption,
    TemperatureOption,
    ThinkingOption,
    request_options,
)

if TYPE_CHECKING:
    from hotswap.config import Config
    from hotswap.engine import Session

__all__ = ["chat"]

HELP = """\
/model NAME   answer from now on with one model (a [models] name or PROVIDER/MODEL-ID)
/chain NAME   answer from now on with a chain (or an agent's chain)
/help         show this
/exit         leave (or Ctrl-D); Ctrl-C stops an answer without leaving"""


def chat(
    chain: ChainOption = None,
    model: ModelOption = None,
    system: SystemOption = None,
    max_tokens: MaxTokensOption = None,
    temperature: TemperatureOption = None,
    thinking: ThinkingOption = None,
    config: ConfigOption = None,
) -> None:
    """Talk with a chain, keeping the history.

    Switch model or chain mid-way; in the conversation: /model NAME, /chain NAME,
    /help, /exit. Ctrl-C stops the current answer without leaving.
    """
    from hotswap.cli import selection
    from hotswap.cli.failures import reporting
    from hotswap.engine import Session

    with reporting():
        settings = selection.load(config)
        spec = selection.chain_spec(settings, chain, model or [])
        session = Session(
            spec,
            config=settings,
            system=system,
            **request_options(max_tokens, temperature, thinking),
        )
    _enable_line_editing()
    typer.echo(f"Chatting with {selection.describe(session.chain)}. /help lists the commands.")
    # Chains switched to share the first one's connections, closed on the way out.
    with session.chain.transport:
        _converse(session, settings)


def _converse(session: Session, settings: Config) -> None:
    """Read lines until the user leaves: commands, or turns."""
    while True:
        try:
            line = input("> ")
        except EOFError:
            typer.echo()
            return
        except KeyboardInterrupt:
            typer.echo("\n(Ctrl-D or /exit leaves)")
            continue
        text = line.strip()
        if not text:
            continue
        if text.startswith("/"):
            if not _command(text, session, settings):
                return
            continue
        _turn(session, text)


def _turn(session: Session, text: str) -> None:
    """Ask one turn and show the answer; a failure is shown and the conversation goes on."""
    from hotswap.cli.answers import show_stream
    from hotswap.cli.failures import failure_from
    from hotswap.cli.selection import describe
    from hotswap.cli.terminal import Spinner, note
    from hotswap.cli.watcher import ChainWatcher, watching

    spinner = Spinner(f"asking {describe(session.chain)}")
    watcher = ChainWatcher(spinner)
    with watching(session.chain.host, watcher):
        stream = session.stream(text)
        try:
            spinner.start()
            show_stream(stream, spinner)
        except KeyboardInterrupt:
            stream.close()
            note("(stopped)")
            return
        except Exception as error:
            failure = failure_from(error, watcher.failed)
            if failure is None:
                raise
            typer.secho(failure.message, err=True, fg="red")


def _command(text: str, session: Session, config: Config) -> bool:
    """Carry out a ``/command``; False when it says to leave."""
    from hotswap.cli import selection
    from hotswap.cli.failures import failure_from

    name, _, argument = text.partition(" ")
    argument = argument.strip()
    if name in ("/exit", "/quit"):
        return False
    if name == "/help":
        typer.echo(HELP)
        return True
    if name in ("/model", "/chain") and not argument:
        typer.secho(f"{name} needs a name: {name} NAME", err=True, fg="red")
        return True
    try:
        if name == "/model":
            config.resolve(argument)  # a misspelt name is reported, with the nearest ones
            session.switch([argument])
        elif name == "/chain":
            session.switch(selection.chain_spec(config, argument, []))
        else:
            typer.secho(f"unknown command {name}; /help lists them", err=True, fg="red")
            return True
    except Exception as error:
        failure = failure_from(error)
        if failure is None:
            raise
        typer.secho(failure.message, err=True, fg="red")
        return True
    typer.echo(f"Now asking {selection.describe(session.chain)}.")
    return True


def _enable_line_editing() -> None:
    """Arrow keys and history for the prompt, where the platform has readline."""
    if not typer.get_text_stream("stdin").isatty():
        return
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 - importing it is what makes input() editable
