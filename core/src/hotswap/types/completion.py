"""What a model answered: text, tool calls, reasoning, why it stopped and what it cost."""

from __future__ import annotations

import enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hotswap.types.attempts import Attempt
from hotswap.types.messages import Message, TextPart, ThinkingPart, ToolCall

__all__ = ["Completion", "FinishReason", "Usage"]


class FinishReason(str, enum.Enum):
    """Why the model stopped. Plugins map every provider reason to one of these and keep the
    provider's own word in ``Completion.raw_finish_reason``."""

    STOP = "stop"
    """The model finished its answer (or hit a stop sequence)."""
    LENGTH = "length"
    """The output limit cut the answer off."""
    TOOL_CALLS = "tool_calls"
    """The model wants tool results before it goes on."""
    CONTENT_FILTER = "content_filter"
    """The provider withheld or stopped the answer on safety grounds."""
    PAUSED = "paused"
    """The provider paused a long turn; send the conversation back to continue."""
    OTHER = "other"
    """A reason hotswap has no word for; see ``raw_finish_reason``."""

    def __str__(self) -> str:
        return self.value


class Usage(BaseModel):
    """Token counts as the provider reported them; a count the provider did not report is 0.

    ``input_tokens`` includes cached input; ``output_tokens`` includes thinking tokens, which
    are also given on their own in ``thinking_tokens``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_tokens: int = 0
    output_tokens: int = 0
    thinking_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


class Completion(BaseModel):
    """One finished answer.

    :param text: the answer's text.
    :param tool_calls: calls the model made, arguments parsed.
    :param thinking: reasoning blocks, to be passed back unchanged in the next turn.
    :param finish_reason: why it stopped.
    :param raw_finish_reason: the provider's own stop reason.
    :param usage: token counts.
    :param model: the config name of the model that answered (``sonnet``).
    :param provider: the provider that answered (``anthropic``).
    :param model_id: the model id the provider reported (``claude-sonnet-4-20250514``).
    :param attempts: what every try of the chain did, this answer's last (empty when the
        completion did not come through a chain).
    :param raw: the provider's decoded response, for anything hotswap does not translate.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    thinking: tuple[ThinkingPart, ...] = ()
    finish_reason: FinishReason = FinishReason.STOP
    raw_finish_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    model: str = ""
    provider: str = ""
    model_id: str = ""
    attempts: tuple[Attempt, ...] = ()
    raw: Any = Field(default=None, exclude=True, repr=False)

    def to_message(self) -> Message:
        """The assistant message to append to the conversation, reasoning first as APIs expect."""
        text = (TextPart(text=self.text),) if self.text else ()
        return Message(
            role="assistant", content=(*self.thinking, *text), tool_calls=self.tool_calls
        )
