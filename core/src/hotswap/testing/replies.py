"""What the simulator answers when it answers: the deterministic default, scripted replies, and
the provider-neutral :class:`Answer` every dialect renders.

The default answer is ``"echo: "`` followed by the text of the last user turn, so a test can
tell which request an answer belongs to. Token counts are word counts: input tokens are the
words of every text in the request, output tokens the words of the answer's text, thinking and
tool-call arguments (as compact JSON). Streams send the text one word per chunk.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hotswap.testing.wire import ChatRequest

__all__ = ["Answer", "Finish", "Reply", "ToolCall", "compose", "fragments", "pieces", "withheld"]


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A tool call the model makes.

    :param name: the tool's name.
    :param arguments: its arguments, as the object the tool receives.
    :param id: the call id; by default each dialect makes one in its provider's style
        (``toolu_sim…``, ``call_sim…``).
    """

    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    id: str | None = None

    def arguments_json(self) -> str:
        """The arguments as the compact JSON string the streaming dialects split up."""
        return json.dumps(dict(self.arguments), separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Reply:
    """A successful answer, the step a script takes when it is not failing.

    :param text: the answer text; None for the default ``"echo: <last user text>"``; ``""`` for
        none (say, alongside tool calls).
    :param thinking: the thinking text, sent only when the request asks for thinking; None for
        the default ``"thinking about: <last user text>"``.
    :param tool_calls: tool calls to make; the answer then stops for tool use.
    """

    kind: ClassVar[str] = "reply"

    text: str | None = None
    thinking: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()


class Finish(enum.Enum):
    """Why an answer ended, before each dialect names it in its own words."""

    STOP = "stop"
    LENGTH = "length"
    TOOL_USE = "tool_use"
    CONTENT_FILTER = "content_filter"
    PROMPT_BLOCKED = "prompt_blocked"


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer ready to render: text, thinking (None when not asked for), tool calls with
    their final ids, why it ended, and its token counts."""

    text: str
    thinking: str | None
    tool_calls: tuple[ToolCall, ...]
    finish: Finish
    input_tokens: int
    output_tokens: int
    thinking_tokens: int

    @property
    def text_pieces(self) -> list[str]:
        return pieces(self.text)

    @property
    def thinking_pieces(self) -> list[str]:
        return pieces(self.thinking or "")


def compose(reply: Reply, request: ChatRequest, *, id_prefix: str) -> Answer:
    """Turn a scripted reply into the answer to ``request``: fill in the default texts, give
    tool calls ids (``<id_prefix><ordinal>_<index>``), carry on from a prefilled partial answer
    that the text begins with, and stop at ``max_tokens`` words.
    """
    text = f"echo: {request.prompt}" if reply.text is None else reply.text
    if request.prefill and text.startswith(request.prefill):
        text = text[len(request.prefill) :]
    finish = Finish.TOOL_USE if reply.tool_calls else Finish.STOP
    words = text.split()
    if request.max_tokens is not None and len(words) > request.max_tokens:
        text = "".join(pieces(text)[: request.max_tokens]).rstrip()
        finish = Finish.LENGTH
    thinking = None
    if request.thinking:
        thinking = f"thinking about: {request.prompt}" if reply.thinking is None else reply.thinking
    calls = tuple(
        call
        if call.id
        else ToolCall(call.name, call.arguments, f"{id_prefix}{request.ordinal}_{i}")
        for i, call in enumerate(reply.tool_calls)
    )
    thinking_tokens = len(thinking.split()) if thinking else 0
    output = len(text.split()) + thinking_tokens
    output += sum(len(call.arguments_json().split()) for call in calls)
    return Answer(text, thinking, calls, finish, request.input_words, output, thinking_tokens)


def withheld(request: ChatRequest, finish: Finish) -> Answer:
    """An answer with nothing in it, ended by a content filter or a blocked prompt."""
    return Answer("", None, (), finish, request.input_words, 0, 0)


_PIECE = re.compile(r"\s*\S+\s*")


def pieces(text: str) -> list[str]:
    """``text`` split into word-sized chunks that join back to exactly ``text``: each word
    keeps the whitespace after it (and the first, any before it)."""
    return _PIECE.findall(text)


def fragments(text: str, size: int = 8) -> list[str]:
    """``text`` in pieces of ``size`` characters, as tool-call arguments are streamed."""
    return [text[i : i + size] for i in range(0, len(text), size)]
