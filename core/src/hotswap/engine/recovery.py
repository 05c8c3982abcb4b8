"""What a request needs of a model, and how a stream cut short is handed to the next model.

A request with tools needs a model that can call them, and one with images a model that can
see; a model without is skipped (thinking is different: a model without a reasoning control
just answers without one). A stream that failed after showing content can be *continued* by
the next model when that model takes the partial answer as its own last turn and carries on
from it (an assistant *prefill*); a model that cannot is never asked to continue in words,
which would give an answer that starts over and repeats what the caller already has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotswap.types.messages import ImagePart, Message, TextPart

if TYPE_CHECKING:
    from hotswap.types.providers import Capabilities
    from hotswap.types.request import CompletionRequest

__all__ = ["Needs", "continuation", "needs_of"]


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
            # Most parts are text: the exact type is checked first, being quicker to refuse.
            if type(part) is not TextPart and isinstance(part, ImagePart):
                return Needs(tools=tools, images=True)
    return _TOOLS if tools else _NOTHING


# Most requests need one of these two; a frozen dataclass is shared safely.
_NOTHING, _TOOLS = Needs(), Needs(tools=True)


def continuation(request: CompletionRequest, partial: str) -> CompletionRequest:
    """``request`` with ``partial`` (without trailing whitespace, which prefill APIs refuse)
    as the assistant's own last turn, for a model that carries on from it."""
    turn = Message.assistant(partial)
    return request.model_copy(update={"messages": (*request.messages, turn)})
