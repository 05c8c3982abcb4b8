"""A session turn's stream: the chain's stream, with the answer kept in the history."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING

from hotswap.engine._async.events import AsyncEventStream
from hotswap.engine.call import STOPPED
from hotswap.types.messages import Message

if TYPE_CHECKING:
    from hotswap.engine._async.chain_stream import AsyncChainStream
    from hotswap.types.events import StreamEvent

__all__ = ["AsyncSessionStream"]


class AsyncSessionStream(AsyncEventStream):
    """A session turn's stream: iterate a ``SessionStream``, ``async for`` an
    ``AsyncSessionStream``; the answer joins the history when it ends. ``model``,
    ``attempts``, ``text`` and :meth:`completion` are the chain stream's."""

    def __init__(self, stream: AsyncChainStream, keep: Callable[[Message], None]) -> None:
        self._stream = stream
        self._run = stream._run
        self._keep = keep
        self._events = self._generate()

    async def _generate(self) -> AsyncGenerator[StreamEvent, None]:
        try:
            async for event in self._stream:
                yield event
        except STOPPED:
            await self._stream.aclose()
            # What the user saw of a stopped answer stays in the conversation, so a follow-up
            # such as "go on" makes sense; half a tool call cannot be sent back, so only text.
            if self.text:
                self._keep(Message.assistant(self.text))
            raise
        self._keep(self._stream.completion().to_message())
