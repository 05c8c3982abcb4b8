"""A failover chain: models tried in order, one object for sync and async callers.

``FailoverChain`` drives a :class:`~hotswap.engine.plan.CallPlan` (which makes every decision)
with an :class:`~hotswap.exchange.Exchange` per try and the shared
:class:`~hotswap.transport.Transport`. The sync and async methods are the same loop with and
without ``await``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterable,
    Iterator,
    Sequence,
)
from contextlib import aclosing
from typing import Any

from hotswap.attempts import Attempt, StreamInterruptedError
from hotswap.completion import Completion
from hotswap.config import FailoverSettings, ModelConfig
from hotswap.engine.breaker import BreakerStore, MemoryBreakerStore
from hotswap.engine.plan import CallPlan, Wait
from hotswap.engine.recovery import continuation, needs_of
from hotswap.errors import ErrorKind, ProviderError, UnknownProviderError
from hotswap.events import StreamEvent, StreamReset, TextDelta, ThinkingDelta, ToolCallDelta
from hotswap.exchange import Exchange
from hotswap.messages import Message, TextPart
from hotswap.options import CompletionOptions, CompletionRequest
from hotswap.plugins import PluginHost, default_host
from hotswap.providers import ProviderInfo
from hotswap.streaming import StreamAssembler
from hotswap.timeouts import Timeouts
from hotswap.transport import Transport
from hotswap.trusted import build, copy_with

__all__ = ["AsyncChainStream", "ChainStream", "FailoverChain"]

MessagesLike = str | Message | Iterable[Message | dict[str, Any]]

_CONTENT = (TextDelta, ThinkingDelta, ToolCallDelta)

_shared_breakers = MemoryBreakerStore()


def shared_breakers() -> BreakerStore:
    """The breaker store every chain of this process uses unless given its own."""
    return _shared_breakers


class FailoverChain:
    """Models tried in order until one answers.

    :param models: the chain, first tried first.
    :param settings: conditions, cooldowns and backoff.
    :param host: the plugin host (default: every installed plugin).
    :param transport: the HTTP transport (default: a pooled one owned by this chain).
    :param breakers: breaker state (default: one store shared by every chain in the process,
        so a model cooling down is skipped by all of them).
    :param clock: monotonic seconds; ``sleep`` and ``async_sleep`` wait. Injectable for tests.
    """

    def __init__(
        self,
        models: Sequence[ModelConfig],
        *,
        settings: FailoverSettings | None = None,
        host: PluginHost | None = None,
        transport: Transport | None = None,
        breakers: BreakerStore | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Any] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not models:
            raise ValueError("a chain needs at least one model")
        self.models = tuple(models)
        self.settings = settings or FailoverSettings()
        self.host = host or default_host()
        self._owns_transport = transport is None
        self.transport = transport or Transport()
        self.breakers = breakers if breakers is not None else _shared_breakers
        self._clock = clock
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._rng = rng or random.Random()  # noqa: S311 (backoff jitter, not cryptography)
        # Per model, made from the settings once (again if ``settings`` is replaced).
        self._limits: dict[str, Timeouts] = {}
        self._limits_from = self.settings

    def __repr__(self) -> str:
        return f"FailoverChain({[m.name for m in self.models]})"

    # -- lifetime: a chain that made its own transport closes it ----------------------------

    def close(self) -> None:
        """Close the sync connections of a transport this chain made (a transport passed in
        belongs to the caller, who closes it)."""
        if self._owns_transport:
            self.transport.close()

    async def aclose(self) -> None:
        """Close the async (and sync) connections of a transport this chain made."""
        if self._owns_transport:
            await self.transport.aclose()
            self.transport.close()

    def __enter__(self) -> FailoverChain:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> FailoverChain:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- sync --------------------------------------------------------------------------------

    def complete(self, messages: MessagesLike, **options: Any) -> Completion:
        """Ask the chain for one complete answer.

        :param messages: a prompt string, a message, or a conversation.
        :param options: any :class:`~hotswap.options.CompletionOptions` field.
        :raises AllModelsFailedError: every model failed, through every backoff round.
        :raises ProviderError: a failure whose kind is not a failover condition.
        """
        request = _request(messages, options)
        plan = self._plan(request)
        try:
            while True:
                step = plan.next()
                if isinstance(step, Wait):
                    self._sleep(step.seconds)
                    continue
                started = self._clock()
                self.host.attempt_started(step, stream=False)
                try:
                    exchange = self._exchange(step, request, plan, stream=False)
                    completion = self.transport.complete(exchange)
                except ProviderError as error:
                    plan.failed(step, error, started)
                    continue
                except KeyboardInterrupt:
                    plan.cancelled(step, started)
                    raise
                plan.succeeded(step, started)
                return self._answered(completion, plan)
        finally:
            plan.close()

    def stream(self, messages: MessagesLike, **options: Any) -> ChainStream:
        """Ask the chain for a streamed answer. A failure before the first content event fails
        over without the caller seeing it; one after raises :class:`StreamInterruptedError`."""
        return ChainStream(self, _request(messages, options))

    # -- async -------------------------------------------------------------------------------

    async def acomplete(self, messages: MessagesLike, **options: Any) -> Completion:
        """:meth:`complete`, for asyncio."""
        request = _request(messages, options)
        plan = self._plan(request)
        try:
            while True:
                step = plan.next()
                if isinstance(step, Wait):
                    await self._async_sleep(step.seconds)
                    continue
                started = self._clock()
                self.host.attempt_started(step, stream=False)
                try:
                    exchange = self._exchange(step, request, plan, stream=False)
                    completion = await self.transport.acomplete(exchange)
                except ProviderError as error:
                    plan.failed(step, error, started)
                    continue
                except (asyncio.CancelledError, KeyboardInterrupt):
                    plan.cancelled(step, started)
                    raise
                plan.succeeded(step, started)
                return self._answered(completion, plan)
        finally:
            plan.close()

    def astream(self, messages: MessagesLike, **options: Any) -> AsyncChainStream:
        """:meth:`stream`, for asyncio."""
        return AsyncChainStream(self, _request(messages, options))

    # -- shared ------------------------------------------------------------------------------

    def _plan(self, request: CompletionRequest) -> CallPlan:
        limit = request.options.timeout_s or self.settings.deadline_s
        needs = needs_of(request)

        def unable(model: ModelConfig) -> str | None:
            capabilities = self._provider_of(model)
            if capabilities is None:
                return None
            return needs.unmet_by(capabilities.capabilities_of(model.model))

        def context_window(model: ModelConfig) -> int | None:
            if model.context_window is not None:
                return model.context_window
            info = self._provider_of(model)
            known = info.known_model(model.model) if info else None
            return known.context_window if known else None

        return CallPlan(
            self.models,
            self.settings,
            self.breakers,
            self._clock,
            self._rng,
            self.host,
            deadline=self._clock() + limit,
            # Most requests need nothing a model may lack: no model is looked up to find out.
            unable=unable if needs else None,
            context_window=context_window,
        )

    def _provider_of(self, model: ModelConfig) -> ProviderInfo | None:
        try:
            return self.host.provider(model.provider)
        except UnknownProviderError:
            return None  # the exchange raises it, with the full explanation

    def _timeouts(self, model: ModelConfig) -> Timeouts:
        settings = self.settings
        if self._limits_from is not settings:
            self._limits, self._limits_from = {}, settings
        limits = self._limits.get(model.name)
        if limits is None:
            limits = self._limits[model.name] = Timeouts(
                connect=settings.connect_timeout_s,
                first_event=settings.first_event_timeout_s,
                idle=settings.idle_timeout_s,
                attempt=model.timeout_s or settings.attempt_timeout_s,
            )
        return limits

    def _answered(self, completion: Completion, plan: CallPlan) -> Completion:
        completion = copy_with(completion, attempts=tuple(plan.attempts))
        self.host.completed(completion)
        return completion

    def _exchange(
        self, model: ModelConfig, request: CompletionRequest, plan: CallPlan, *, stream: bool
    ) -> Exchange:
        # A model without a usable credential raises NoCredentialError, an ``auth`` failure:
        # the chain moves on, as from a refused key.
        return Exchange(
            self.host,
            model,
            request,
            stream=stream,
            timeouts=self._timeouts(model),
            time_left=plan.time_left(),
        )


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


def _request(messages: MessagesLike, options: dict[str, Any]) -> CompletionRequest:
    settings = CompletionOptions(**options) if options else _NO_OPTIONS
    if isinstance(messages, str):
        # A string is a valid prompt as it is: there is nothing in it to validate.
        prompt = build(Message, role="user", content=(build(TextPart, text=str(messages)),))
        return build(CompletionRequest, messages=(prompt,), options=settings)
    conversation = (messages,) if isinstance(messages, Message) else tuple(messages)
    return CompletionRequest.model_validate({"messages": conversation, "options": settings})


_NO_OPTIONS = CompletionOptions()  # immutable, so every call without options shares it
