"""What the commands draw: aligned tables, and a spinner only where a person can see it."""

from __future__ import annotations

import io
import re
import time

from hotswap.cli.terminal import Spinner, table


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def wait_for(condition, limit=5.0):
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_a_table_aligns_its_columns_without_trailing_spaces():
    text = table(["model", "outcome"], [["sonnet", "rate_limited 429"], ["gpt4o", "ok"]])

    assert text.startswith("\x1b[1mmodel")  # a bold header, plain where not a terminal
    assert re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines() == [
        "model   outcome",
        "sonnet  rate_limited 429",
        "gpt4o   ok",
    ]


def test_no_spinner_is_drawn_where_nobody_sees_it():
    stream = io.StringIO()
    spinner = Spinner("asking sonnet", stream=stream)

    spinner.start()
    spinner.note("sonnet failed (rate_limited 429), gpt4o took over")
    spinner.stop()

    assert stream.getvalue() == "sonnet failed (rate_limited 429), gpt4o took over\n"


def test_on_a_terminal_the_spinner_shows_its_label_and_is_erased_when_stopped():
    stream = Terminal()
    spinner = Spinner("asking sonnet", stream=stream).start()
    wait_for(lambda: "asking sonnet…" in stream.getvalue())

    spinner.update("asking gpt4o")
    wait_for(lambda: "asking gpt4o…" in stream.getvalue())
    spinner.stop()

    assert stream.getvalue().endswith("\r\x1b[2K")


def test_a_note_on_a_terminal_replaces_the_spinner_line():
    stream = Terminal()
    spinner = Spinner("asking sonnet", stream=stream).start()
    wait_for(lambda: "asking sonnet…" in stream.getvalue())

    spinner.note("sonnet failed (rate_limited 429), gpt4o took over")
    spinner.stop()

    text = stream.getvalue()
    assert "\r\x1b[2K\x1b[2msonnet failed (rate_limited 429), gpt4o took over\x1b[0m\n" in text
