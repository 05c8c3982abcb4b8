"""Showing an answer as it streams in: text to stdout the moment it arrives, the spinner until
then (while the model thinks, its label says so)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from hotswap.cli.terminal import Spinner
    from hotswap.completion import Completion
    from hotswap.engine import ChainStream
    from hotswap.engine.session import SessionStream

__all__ = ["show_stream"]


def show_stream(stream: ChainStream | SessionStream, spinner: Spinner | None) -> Completion:
    """Print the text of ``stream`` as it arrives and return the whole answer; with no
    ``spinner`` (``--json``), print nothing. The last line of text always ends with a newline.

    Errors from the stream propagate; the spinner is stopped either way.
    """
    from hotswap.events import TextDelta, ThinkingDelta, ToolCallDelta

    shown = ""
    try:
        for event in stream:
            if spinner is None:
                continue
            if isinstance(event, TextDelta) and event.text:
                spinner.stop()
                typer.echo(event.text, nl=False)
                shown = event.text
            elif isinstance(event, ThinkingDelta) and not shown:
                spinner.update(f"{stream.model.name if stream.model else 'the model'} is thinking")
            elif isinstance(event, ToolCallDelta):
                spinner.stop()
    finally:
        if spinner is not None:
            spinner.stop()
            if shown and not shown.endswith("\n"):
                typer.echo()
    return stream.completion()
