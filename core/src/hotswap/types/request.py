"""Per-request options: limits, sampling, thinking level, tools and tool choice."""

from __future__ import annotations

import enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hotswap.types.messages import Message, ToolDefinition

__all__ = [
    "CompletionOptions",
    "CompletionRequest",
    "NamedToolChoice",
    "ThinkingLevel",
    "ToolChoice",
]


class ThinkingLevel(str, enum.Enum):
    """How hard a reasoning model should think. Each plugin maps it to its provider's control
    (a thinking budget, a reasoning effort); on a model with no such control it is dropped."""

    OFF = "off"
    MINIMAL = "minimal"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    XHIGH = "xhigh"

    def __str__(self) -> str:
        return self.value


class NamedToolChoice(BaseModel):
    """Force the model to call one named tool."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str


ToolChoice = Literal["auto", "none", "required"] | NamedToolChoice
"""``auto`` lets the model decide, ``none`` forbids tools, ``required`` forces some tool call."""


class CompletionOptions(BaseModel):
    """What the caller asks of one completion, independent of the provider.

    :param max_tokens: output limit; plugins supply a sensible default where the API requires one.
    :param temperature: sampling temperature; sent only when set.
    :param top_p: nucleus sampling; sent only when set.
    :param stop: stop sequences.
    :param thinking_level: overrides the model's configured level for this request.
    :param tools: tools the model may call.
    :param tool_choice: whether and which tool the model must call.
    :param timeout_s: overall limit for this request, overriding the model's configured one.
    :param extra: provider-specific request fields, merged into the request body as given.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_tokens: int | None = Field(default=None, gt=0)
    temperature: float | None = Field(default=None, ge=0)
    top_p: float | None = Field(default=None, gt=0, le=1)
    stop: tuple[str, ...] = ()
    thinking_level: ThinkingLevel | None = None
    tools: tuple[ToolDefinition, ...] = ()
    tool_choice: ToolChoice | None = None
    timeout_s: float | None = Field(default=None, gt=0)
    extra: dict[str, Any] = Field(default_factory=dict)


class CompletionRequest(BaseModel):
    """Everything a plugin needs to build one request: the conversation and the options.

    By the time a plugin sees it, the core has filled ``options.thinking_level`` from the
    model's configuration when the caller did not set it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    messages: tuple[Message, ...] = Field(min_length=1)
    options: CompletionOptions = Field(default_factory=CompletionOptions)
