"""Iterating and closing a stream's events: what the chain's streams and a session's share."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import TYPE_CHECKING

from hotswap.engine.stream_run import StreamFacts

if TYPE_CHECKING:
    from hotswap.types.events import StreamEvent

__all__ = ["AsyncEventStream"]


class AsyncEventStream(StreamFacts):
    """A stream's events, from the generator that makes them; closing the stream closes it."""

    _events: AsyncGenerator[StreamEvent, None]

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        return self._events

    async def __anext__(self) -> StreamEvent:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        """Stop the stream, closing its HTTP response; the try under way is recorded as
        cancelled."""
        await self._events.aclose()
