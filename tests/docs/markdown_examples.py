"""The code examples of a documentation page, read from its Markdown as a reader sees them.

A page's fenced blocks are its examples, and their language says how the test suite checks
them:

==========  ==================================================================================
``python``  run, in order, in one namespace per page; if the next block is a ``text`` block
            titled ``Output``, what the code printed must match it
``pycon``   run as a doctest
``toml``    parsed; titled with a file name (``title="hotswap.toml"``), written to that file
            in the page's working directory, and a hotswap config file (or a simulator faults
            file) is loaded and checked; untitled, it is checked as a hotswap config
``console`` each ``$ hotswap ...`` line is run (in-process) and its output must match the
            lines that follow it
``sh``      commands for the reader's own shell (installing, publishing): not run, but each
            line must start with a program from :data:`SHELL_PROGRAMS`
``text``    output, listings and diagrams; not run
``mermaid`` diagrams; not run
==========  ==================================================================================

Expected output may use ``...`` to stand for any text (timings, ports). An HTML comment
``<!-- test-setup ... -->`` holds Python run before the next block without being shown, for
what a reader would have done anyway (scripting the simulator that stands in for providers).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SHELL_PROGRAMS", "Block", "matches", "read_blocks"]

RUN = frozenset({"python", "pycon", "toml", "console"})
SHOWN = frozenset({"sh", "text", "mermaid"})
SHELL_PROGRAMS = (
    "pip",
    "uv",
    "cookiecutter",
    "cd",
    "git",
    "make",
    "export",
    "keyring",
    "chmod",
    "mkdir",
)

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*(?P<info>.*)$")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_SETUP = re.compile(r"<!--\s*test-setup\s*\n(?P<code>.*?)-->", re.DOTALL)


@dataclass(frozen=True)
class Block:
    """One fenced block.

    :param language: the first word of the fence's info string (empty if none).
    :param code: its text, dedented by the fence's own indentation.
    :param line: the line the block's code starts on (1-based), for error messages.
    :param attributes: ``key="value"`` pairs of the info string (``title``).
    :param setup: hidden Python from a ``test-setup`` comment just before it.
    """

    language: str
    code: str
    line: int
    attributes: dict[str, str] = field(default_factory=dict)
    setup: str = ""

    @property
    def title(self) -> str | None:
        return self.attributes.get("title")


def read_blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, in order."""
    lines = path.read_text().splitlines()
    blocks: list[Block] = []
    setup = ""
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        info = opening["info"].strip()
        setup = _setup_before(lines, index)
        body: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            line = lines[index]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            index += 1
        index += 1
        language = info.split(maxsplit=1)[0] if info else ""
        blocks.append(
            Block(
                language=language.lstrip("{.").rstrip("}"),
                code=textwrap.dedent("\n".join(body)) + "\n",
                line=start,
                attributes=dict(_ATTRIBUTE.findall(info)),
                setup=setup,
            )
        )
    return blocks


def _setup_before(lines: list[str], index: int) -> str:
    """The ``test-setup`` comment ending on the non-blank line just before ``index``."""
    end = index - 1
    while end >= 0 and not lines[end].strip():
        end -= 1
    if end < 0 or not lines[end].strip().endswith("-->"):
        return ""
    begin = end
    while begin >= 0 and "<!--" not in lines[begin]:
        begin -= 1
    found = _SETUP.search("\n".join(lines[begin : end + 1]))
    return textwrap.dedent(found["code"]) if found else ""


def matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is ``expected`` with each ``...`` standing for any text: a line that
    is only ``...`` for any number of lines (none included), and ``...`` within a line for any
    text at all. Trailing spaces and blank lines at either end are ignored."""

    def tidy(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n"

    pattern = ""
    for line in tidy(expected).splitlines():
        if line == "...":
            pattern += r"(?:[^\n]*\n)*?"
        else:
            pattern += ".*?".join(re.escape(piece) for piece in line.split("...")) + r"\n"
    return re.fullmatch(pattern, tidy(actual), re.DOTALL) is not None
