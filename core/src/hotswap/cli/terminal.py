"""What the commands show people: dim notes on stderr, plain tables, and a spinner while waiting.

Colour and the spinner appear only on a terminal: piped output is plain text, and a spinner is
never drawn where nobody can see it (click removes the colour codes when a stream is not a
terminal, so styled text may be written anywhere).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import TextIO

import typer

__all__ = ["Spinner", "dim", "note", "table"]

_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_INTERVAL_S = 0.08


def dim(text: str) -> str:
    """``text`` to be shown dimmed (plain when the stream is not a terminal)."""
    return typer.style(text, dim=True)


def note(text: str) -> None:
    """A dimmed line on stderr: something worth knowing that is not the answer."""
    typer.echo(dim(text), err=True)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, indent: str = "") -> str:
    """Rows as left-aligned columns under bold headers, one line each, no trailing spaces."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [cell.ljust(width) for cell, width in zip(cells, widths, strict=True)]
        return (indent + "  ".join(padded)).rstrip()

    head = typer.style(line(headers), bold=True)
    return "\n".join([head, *(line(row) for row in rows)])


class Spinner:
    """A one-line ``⠋ asking sonnet…`` on stderr while a command waits, drawn by a thread.

    Drawn only when ``stream`` is a terminal; otherwise every method does nothing but
    :meth:`note`, which prints its line either way. Use it as a context manager, or call
    :meth:`stop` before writing anything else to the terminal.

    :param label: what is being waited for.
    :param stream: where to draw (default: stderr).
    """

    def __init__(self, label: str, *, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._label = label
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = False
        self.enabled = self._stream.isatty()

    def __enter__(self) -> Spinner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> Spinner:
        """Begin drawing (on a terminal)."""
        if self.enabled and self._thread is None:
            self._stopped.clear()
            self._thread = threading.Thread(target=self._spin, name="hotswap-spinner", daemon=True)
            self._thread.start()
        return self

    def update(self, label: str) -> None:
        """Say something else is being waited for now."""
        with self._lock:
            self._label = label

    def note(self, text: str, *, warning: bool = False) -> None:
        """Print a dimmed line above the spinner (or alone, when there is no spinner); a
        ``warning``, something the user should act on, in yellow instead."""
        styled = typer.style(text, fg="yellow") if warning else dim(text)
        with self._lock:
            self._clear()
            typer.echo(styled, file=self._stream)

    def stop(self) -> None:
        """Stop drawing and erase the spinner's line. Safe to call more than once."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopped.set()
        thread.join()
        with self._lock:
            self._clear()

    def _spin(self) -> None:
        frame = 0
        while not self._stopped.is_set():
            with self._lock:
                text = f"{_FRAMES[frame % len(_FRAMES)]} {self._label}…"
                self._stream.write("\r\x1b[2K" + typer.style(text, dim=True))
                self._stream.flush()
                self._shown = True
            frame += 1
            self._stopped.wait(_INTERVAL_S)

    def _clear(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[2K")
            self._stream.flush()
            self._shown = False
