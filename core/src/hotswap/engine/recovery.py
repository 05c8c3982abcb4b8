"""What a request needs of a model, and how a stream cut short is handed to the next model.

A request with tools needs a model that can call them, and one with images a model that can
see; a model without is skipped (thinking is different: a model without a reasoning control
just answers without one). A stream that failed after showing content can be *continued* by
the next model: it is sent the conversation with the partial answer as its own last turn,
which a model that supports prefill simply carries on from, and which any other model is asked
in plain words to continue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotswap.messages import ImagePart, Message

if TYPE_CHECKING:
    from hotswap.options import CompletionRequest
    from hotswap.providers import Capabilities

__all__ = ["CONTINUE_INSTRUCTION", "Needs", "continuation", "needs_of"]

CONTINUE_INSTRUCTION = (
    "Your previous answer was cut off. Continue it from exactly where it stopped: do not "
    "repeat anything already written, and add no preamble."
)


@dataclass(frozen=True, slots=True)
class Needs:
    """What a model must be able to do to answer a request."""

    tools: bool = False
    images: bool = False

    def __bool__(self) -> bool:
        """Whether the request needs anything that some model may lack."""
        return self.tools or self.images

    def unmet_by(self, capabilities: Capabilities) -> str | None:
        """Why a model with ``capabilities`` cannot answer, or None if it can."""
        if self.tools and not capabilities.tools:
            return "it cannot call tools, and the request offers some"
        if self.images and not capabilities.vision:
            return "it cannot read images, and the request has some"
        return None


def needs_of(request: CompletionRequest) -> Needs:
    """What ``request`` needs of a model."""
    tools = bool(request.options.tools)
    for message in request.messages:
        for part in message.content:
            if isinstance(part, ImagePart):
                return Needs(tools=tools, images=True)
    return _TOOLS if tools else _NOTHING


# Most requests need one of these two; a frozen dataclass is shared safely.
_NOTHING, _TOOLS = Needs(), Needs(tools=True)


def continuation(request: CompletionRequest, partial: str, *, prefill: bool) -> CompletionRequest:
    """``request`` rewritten so that a model carries on from ``partial``: as a prefilled
    assistant turn (trailing whitespace removed, which prefill APIs refuse), or followed by
    an explicit instruction to continue."""
    turns: tuple[Message, ...]
    if prefill:
        turns = (Message.assistant(partial.rstrip()),)
    else:
        turns = (Message.assistant(partial), Message.user(CONTINUE_INSTRUCTION))
    return request.model_copy(update={"messages": (*request.messages, *turns)})
