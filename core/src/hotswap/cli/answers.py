"""Showing an answer as it streams in: text to stdout the moment it arrives, the spinner until
then (while the model thinks, its label says so).

Ctrl-C stops an answer. Once text has arrived, the first Ctrl-C closes the stream at its next
event, so the stream ends the way a caller closing it ends it (the connection closed, the try
recorded as cancelled, a session keeping the part shown); a second one, or one before any
text, interrupts at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from hotswap.cli.terminal import Spinner
    from hotswap.engine import ChainStream
    from hotswap.engine.session import SessionStream
    from hotswap.types.completion import Completion

__all__ = ["show_stream"]


class _Progress:
    """What the Ctrl-C handler needs to know about the answer."""

    def __init__(self) -> None:
        self.text_arrived = False
        self.stop_requested = False


def show_stream(stream: ChainStream | SessionStream, spinner: Spinner | None) -> Completion:
    """Print the text of ``stream`` as it arrives and return the whole answer; with no
    ``spinner`` (``--json``), print nothing. The last line of text always ends with a newline.

    Errors from the stream propagate; the spinner is stopped either way.

    :raises KeyboardInterrupt: the user stopped the answer (the stream is closed by then).
    """
    from hotswap.types.events import StreamReset, TextDelta, ThinkingDelta, ToolCallDelta

    progress = _Progress()
    shown = ""
    try:
        with _stop_on_ctrl_c(progress):
            for event in stream:
                if isinstance(event, TextDelta) and event.text:
                    progress.text_arrived = True
                if progress.stop_requested:
                    stream.close()
                    raise KeyboardInterrupt
                if spinner is None:
                    continue
                if isinstance(event, TextDelta) and event.text:
                    spinner.stop()
                    typer.echo(event.text, nl=False)
                    shown = event.text
                elif isinstance(event, ThinkingDelta) and not shown:
                    name = stream.model.name if stream.model else "the model"
                    spinner.update(f"{name} is thinking")
                elif isinstance(event, ToolCallDelta):
                    spinner.stop()
                elif isinstance(event, StreamReset):
                    # What was printed cannot be taken back: say it is void, and start over.
                    if shown and not shown.endswith("\n"):
                        typer.echo()
                    spinner.note(
                        f"{event.model} failed part-way ({event.reason}); answering again:"
                    )
                    shown = ""
    finally:
        if spinner is not None:
            spinner.stop()
            if shown and not shown.endswith("\n"):
                typer.echo()
    return stream.completion()


@contextmanager
def _stop_on_ctrl_c(progress: _Progress) -> Iterator[None]:
    """Inside the block, a Ctrl-C after text has arrived asks for a stop at the next event."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may handle signals: Ctrl-C interrupts as usual
        return

    def handle(signum: int, frame: Any) -> None:
        if progress.text_arrived and not progress.stop_requested:
            progress.stop_requested = True
            return
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handle)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
