"""Conversation messages, their content parts, tool definitions, tool calls and tool results.

These are the provider-neutral shapes every plugin translates from. A message's ``content`` may
be given as a plain string, which becomes one :class:`TextPart`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "ContentPart",
    "ImagePart",
    "Message",
    "Role",
    "TextPart",
    "ThinkingPart",
    "ToolCall",
    "ToolDefinition",
]

Role = Literal["system", "user", "assistant", "tool"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextPart(_Frozen):
    type: Literal["text"] = "text"
    text: str


class ImagePart(_Frozen):
    """An image, either inline (base64 ``data`` with its ``media_type``) or by ``url``."""

    type: Literal["image"] = "image"
    media_type: str = "image/png"
    data: str | None = None
    url: str | None = None

    def model_post_init(self, __context: Any) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("an image needs exactly one of `data` (base64) or `url`")


class ThinkingPart(_Frozen):
    """A model's reasoning, kept so it can be passed back unchanged in later turns.

    :param text: the reasoning text (empty when the provider redacted it).
    :param signature: the provider's signature over it, which some APIs require back verbatim.
    :param redacted: opaque provider data standing in for reasoning that was withheld.
    :param provider: the provider that produced it; signatures mean nothing to any other.
    """

    type: Literal["thinking"] = "thinking"
    text: str = ""
    signature: str | None = None
    redacted: str | None = None
    provider: str | None = None


ContentPart = Annotated[TextPart | ImagePart | ThinkingPart, Field(discriminator="type")]


class ToolDefinition(_Frozen):
    """A tool the model may call: its name, what it does, and a JSON schema for its arguments."""

    name: str = Field(min_length=1)
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})


class ToolCall(_Frozen):
    """A call the model made. ``arguments`` is already parsed JSON.

    :param extra: provider data that must travel with the call when it is sent back (Gemini's
        ``thoughtSignature``); plugins read only what they wrote.
    """

    id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)


class Message(_Frozen):
    """One turn of a conversation.

    ``tool`` messages carry a tool's result: ``tool_call_id`` names the call it answers,
    ``content`` holds the result, and ``is_error`` says the tool failed.
    """

    role: Role
    content: tuple[ContentPart, ...] = ()
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    name: str | None = None
    is_error: bool = False

    @field_validator("content", mode="before")
    @classmethod
    def _text_shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return (TextPart(text=value),)
        return value

    def model_post_init(self, __context: Any) -> None:
        if self.role == "tool" and not self.tool_call_id:
            raise ValueError("a tool message needs the `tool_call_id` of the call it answers")
        if self.tool_calls and self.role != "assistant":
            raise ValueError("only assistant messages carry tool calls")

    @property
    def text(self) -> str:
        """The concatenated text parts."""
        content = self.content
        if len(content) == 1 and type(content[0]) is TextPart:
            return content[0].text  # most messages are one text part: no join to make
        return "".join(part.text for part in content if isinstance(part, TextPart))

    @property
    def plain_text(self) -> str | None:
        """The text of a message that is one text part and nothing else (no tool calls, not a
        tool result), or None. Most messages are so, and plugins write them in their simplest
        form without looking further."""
        content = self.content
        if len(content) == 1 and type(part := content[0]) is TextPart:
            role = self.role
            # Only an assistant message may carry tool calls: the others need no look.
            if role == "user" or role == "system" or (role == "assistant" and not self.tool_calls):
                return part.text
        return None

    @classmethod
    def system(cls, text: str) -> Message:
        return cls(role="system", content=(TextPart(text=text),))

    @classmethod
    def user(cls, *parts: str | TextPart | ImagePart) -> Message:
        return cls(role="user", content=tuple(map(_part, parts)))

    @classmethod
    def assistant(cls, text: str = "", *, tool_calls: tuple[ToolCall, ...] = ()) -> Message:
        content = (TextPart(text=text),) if text else ()
        return cls(role="assistant", content=content, tool_calls=tool_calls)

    @classmethod
    def tool_result(
        cls, tool_call_id: str, content: str, *, name: str | None = None, is_error: bool = False
    ) -> Message:
        return cls(
            role="tool",
            content=(TextPart(text=content),),
            tool_call_id=tool_call_id,
            name=name,
            is_error=is_error,
        )


def _part(part: str | TextPart | ImagePart) -> TextPart | ImagePart:
    return TextPart(text=part) if isinstance(part, str) else part
