"""A chain's streamed answer: one clean stream from whichever model answers."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import TYPE_CHECKING

from hotswap.engine._async.events import AsyncEventStream
from hotswap.engine._async.tries import next_model
from hotswap.engine.call import STOPPED
from hotswap.engine.stream_run import StreamRun
from hotswap.types.errors import ProviderError

if TYPE_CHECKING:
    from hotswap.engine.call import Call
    from hotswap.types.events import StreamEvent

__all__ = ["AsyncChainStream"]


class AsyncChainStream(AsyncEventStream):
    """The events of a streamed answer: iterate a ``ChainStream``, ``async for`` an
    ``AsyncChainStream``. After it is exhausted, ``model`` names the model that answered,
    ``attempts`` lists every try, and :meth:`completion` gives the assembled answer. Closing it
    (or breaking out of the loop) closes the HTTP response."""

    def __init__(self, call: Call) -> None:
        self._run = StreamRun(call)
        self._events = self._generate()

    async def _generate(self) -> AsyncGenerator[StreamEvent, None]:
        run = self._run
        call, plan = run.call, run.plan
        try:
            while True:
                step = await next_model(call)
                started = run.start(step)
                try:
                    request, first = run.begin(step)
                    for item in first:
                        yield item
                    exchange = call.exchange(step, request, stream=True)
                    # Closed on the way out: leaving this stream closes the response now, not
                    # when the abandoned transport stream is finalized.
                    async with aclosing(call.chain.transport.astream(exchange)) as events:
                        async for event in events:
                            for item in run.accept(event):
                                yield item
                    for item in run.flush():
                        yield item
                except ProviderError as error:
                    for item in run.failed(step, error, started):
                        yield item
                    continue
                except STOPPED:
                    # Ctrl-C while the stream waits on the network stops it as closing it does.
                    plan.cancelled(step, started)
                    raise
                run.succeeded(step, started)
                return
        finally:
            plan.close()
