"""A chain's streamed answer: one clean stream from whichever model answers, and what happens
when a stream fails after it has shown content (``stream_recovery``).

:class:`ChainStream` and :class:`AsyncChainStream` drive a call's
:class:`~hotswap.engine.plan.CallPlan` as :class:`~hotswap.engine.failover_chain.FailoverChain`
does for a whole answer, with the state they share (what was shown, what to continue from) kept
in one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from contextlib import aclosing
from typing import TYPE_CHECKING

from hotswap.engine.plan import Wait
from hotswap.engine.recovery import continuation
from hotswap.plugin.streaming import StreamAssembler
from hotswap.types.attempts import Attempt, StreamInterruptedError
from hotswap.types.errors import ErrorKind, ProviderError
from hotswap.types.events import StreamEvent, StreamReset, TextDelta, ThinkingDelta, ToolCallDelta

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.engine.failover_chain import FailoverChain
    from hotswap.types.completion import Completion
    from hotswap.types.request import CompletionRequest

__all__ = ["AsyncChainStream", "ChainStream", "StreamFacts"]

_CONTENT = (TextDelta, ThinkingDelta, ToolCallDelta)


class _StreamRun:
    """The state one streamed call shares between its sync and async drivers."""

    def __init__(self, chain: FailoverChain, request: CompletionRequest) -> None:
        self.chain = chain
        self.request = request
        self.plan = chain._plan(request)
        self.assembler = StreamAssembler()
        self.model: ModelConfig | None = None
        self.pending: list[StreamEvent] = []
        self.shown = False
        # Under ``continue`` recovery, once a stream was cut after showing text: that text, and
        # the reset to pass on instead if the next model cannot carry on from it exactly.
        self.partial: str | None = None
        self.cut: StreamReset | None = None
        self.prefilled = False  # whether the try under way carries on from ``partial``
        self.trim = ""  # whitespace the prefill left off, which the caller has already seen
        self.refuses_prefill: set[str] = set()

    @property
    def attempts(self) -> list[Attempt]:
        return self.plan.attempts

    def begin(self, model: ModelConfig) -> tuple[CompletionRequest, list[StreamEvent]]:
        """What to send ``model``, and the events to pass on before its answer: the caller's
        request; or a continuation of a cut answer, for a model that takes it as its own turn
        to carry on from; or, for any other model, a reset and the caller's request whole, since
        a continuation it cannot make exactly would reach the caller as an altered answer."""
        self.prefilled = False
        partial = self.partial
        if partial is None:
            return self.request, []
        kept = partial.rstrip()
        if kept and self._continues(model):
            self.prefilled, self.trim = True, partial[len(kept) :]
            return continuation(self.request, kept), []
        reset = self.cut
        assert reset is not None
        self.partial = self.cut = None
        self._restart(reset)
        return self.request, [reset]

    def _continues(self, model: ModelConfig) -> bool:
        """Whether ``model`` carries on from a partial answer given as its own last turn."""
        if model.name in self.refuses_prefill:
            return False
        if model.prefill is not None:
            return model.prefill
        info = self.chain._provider_of(model)
        return info is not None and info.capabilities_of(model.model).prefill

    def accept(self, event: StreamEvent) -> list[StreamEvent]:
        """What to pass on for ``event``: nothing is shown until the first content event, so
        a failure before it can fail over without the caller having seen anything."""
        if self.trim and event.__class__ is TextDelta:
            trimmed = self._trimmed(event)
            if trimmed is None:
                return []
            event = trimmed
        if not self.shown and not isinstance(event, _CONTENT):
            self.pending.append(event)
            return []
        out = [*self.pending, event] if not self.shown else [event]
        self.shown = True
        self.pending = []
        for item in out:
            self.assembler.add(item)
        return out

    def _trimmed(self, delta: TextDelta) -> TextDelta | None:
        """``delta``, the start of a continuation, without the whitespace the caller already
        has: the prefill was sent without its trailing whitespace (prefill APIs refuse it), and
        a model carrying on from it begins by writing that whitespace again."""
        text, trim = delta.text, self.trim
        same = 0
        while same < len(text) and same < len(trim) and text[same] == trim[same]:
            same += 1
        if same == len(text) and same < len(trim):
            self.trim = trim[same:]  # all of it was whitespace already shown: see the next one
            return None
        self.trim = ""
        return TextDelta(text[same:]) if same else delta

    def flush(self) -> list[StreamEvent]:
        """At the end of an answer: the held-back events, when it had no content at all."""
        out, self.pending, self.shown = self.pending, [], True
        for item in out:
            self.assembler.add(item)
        return out

    def failed(self, model: ModelConfig, error: ProviderError, started: float) -> list[StreamEvent]:
        """Decide what a failed try means: fail over unseen, recover after content (the events
        to pass on first, such as a reset), or raise."""
        self.pending = []
        if self.prefilled and error.kind is ErrorKind.INVALID_REQUEST:
            # The model does not take a prefilled turn after all: it answers afresh instead,
            # rather than the refusal of a form ending the call.
            self.refuses_prefill.add(model.name)
            self.plan.resend(model, error, started)
            return []
        if not self.shown:
            self.plan.failed(model, error, started)
            return []
        recovery = self.chain.settings.stream_recovery
        if recovery == "raise" or not self.chain.settings.fails_over_on(error.kind):
            self.plan.interrupted(model, error, started)
            raise StreamInterruptedError(self.assembler.text, error, self.plan.attempts) from error
        try:
            self.plan.failed(model, error, started)
        except ProviderError:
            raise StreamInterruptedError(self.assembler.text, error, self.plan.attempts) from error
        reset = StreamReset(model.name, f"{error.kind}: {error.provider_message}")
        if recovery == "continue" and not self.assembler.calling_tools:
            # Whether the next model can carry on is known once it is chosen (begin).
            self.partial, self.cut = self.assembler.text, reset
            return []
        # Restart: half a tool call cannot be continued, so ``continue`` restarts too.
        self.partial = self.cut = None
        self._restart(reset)
        return [reset]

    def _restart(self, reset: StreamReset) -> None:
        """The caller is told to discard what it was shown: the next answer starts afresh."""
        self.assembler.add(reset)
        self.shown = False

    def succeeded(self, model: ModelConfig, started: float) -> None:
        self.plan.succeeded(model, started)
        if self.chain.host.observes("hotswap_completed"):
            self.chain.host.completed(self.completion())

    def completion(self) -> Completion:
        """The answer the stream added up to (once it has finished)."""
        model = self.model
        return self.assembler.completion(
            model=model.name if model else "",
            provider=model.provider if model else "",
            model_id=model.model if model else "",
            attempts=tuple(self.plan.attempts),
        )


class StreamFacts:
    """What a streamed call knows of itself, for the chain's streams and a session's alike:
    ``model`` names the model answering (the one that answered, once it has ended),
    ``attempts`` lists every try so far, ``text`` is the text passed on, and
    :meth:`completion` assembles the answer (once the stream has ended)."""

    _run: _StreamRun

    @property
    def model(self) -> ModelConfig | None:
        return self._run.model

    @property
    def attempts(self) -> list[Attempt]:
        return self._run.attempts

    @property
    def text(self) -> str:
        """The text passed on so far."""
        return self._run.assembler.text

    def completion(self) -> Completion:
        return self._run.completion()


class ChainStream(StreamFacts):
    """The events of a streamed answer, as an iterator. After it is exhausted, ``model`` names
    the model that answered, ``attempts`` lists every try, and :meth:`completion` gives the
    assembled answer. Closing it (or breaking out of the loop) closes the HTTP response."""

    def __init__(self, chain: FailoverChain, request: CompletionRequest) -> None:
        self._run = _StreamRun(chain, request)
        self._events = self._generate()

    def __iter__(self) -> Iterator[StreamEvent]:
        return self._events

    def __next__(self) -> StreamEvent:
        return next(self._events)

    def close(self) -> None:
        self._events.close()

    def _generate(self) -> Generator[StreamEvent, None, None]:
        run, chain = self._run, self._run.chain
        try:
            while True:
                step = run.plan.next()
                if isinstance(step, Wait):
                    chain._sleep(step.seconds)
                    continue
                started = chain._clock()
                run.model = step
                chain.host.attempt_started(step, stream=True)
                try:
                    request, first = run.begin(step)
                    yield from first
                    exchange = chain._exchange(step, request, run.plan, stream=True)
                    for event in chain.transport.stream(exchange):
                        yield from run.accept(event)
                    yield from run.flush()
                except ProviderError as error:
                    yield from run.failed(step, error, started)
                    continue
                except (GeneratorExit, KeyboardInterrupt):
                    # Ctrl-C while the stream waits on the network stops it like closing it does.
                    run.plan.cancelled(step, started)
                    raise
                run.succeeded(step, started)
                return
        finally:
            run.plan.close()


class AsyncChainStream(StreamFacts):
    """:class:`ChainStream`, for asyncio: iterate it with ``async for``."""

    def __init__(self, chain: FailoverChain, request: CompletionRequest) -> None:
        self._run = _StreamRun(chain, request)
        self._events = self._generate()

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        return self._events

    async def __anext__(self) -> StreamEvent:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        await self._events.aclose()

    async def _generate(self) -> AsyncGenerator[StreamEvent, None]:
        run, chain = self._run, self._run.chain
        try:
            while True:
                step = run.plan.next()
                if isinstance(step, Wait):
                    await chain._async_sleep(step.seconds)
                    continue
                started = chain._clock()
                run.model = step
                chain.host.attempt_started(step, stream=True)
                try:
                    request, first = run.begin(step)
                    for item in first:
                        yield item
                    exchange = chain._exchange(step, request, run.plan, stream=True)
                    # aclosing: leaving this generator must close the response now, not when
                    # the event loop finalizes the abandoned transport generator.
                    async with aclosing(chain.transport.astream(exchange)) as events:
                        async for event in events:
                            for item in run.accept(event):
                                yield item
                    for item in run.flush():
                        yield item
                except ProviderError as error:
                    for item in run.failed(step, error, started):
                        yield item
                    continue
                except (GeneratorExit, asyncio.CancelledError, KeyboardInterrupt):
                    run.plan.cancelled(step, started)
                    raise
                run.succeeded(step, started)
                return
        finally:
            run.plan.close()
