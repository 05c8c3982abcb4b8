"""A failover chain: models tried in order, one object for sync and async callers.

``FailoverChain`` makes each call's :class:`~hotswap.engine.plan.CallPlan` (which makes every
decision) and the :class:`~hotswap.wire.exchange.Exchange` of each try, and hands them to the
call's driver as a :class:`~hotswap.engine.call.Call`. The drivers are written once, for
asyncio, in :mod:`hotswap.engine._async`; the sync ones are generated from them.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from hotswap.config import FailoverSettings, ModelConfig
from hotswap.engine._async.chain_stream import AsyncChainStream
from hotswap.engine._async.complete import acomplete as _acomplete
from hotswap.engine._sync.chain_stream import ChainStream
from hotswap.engine._sync.complete import complete as _complete
from hotswap.engine.breaker import BreakerStore, MemoryBreakerStore
from hotswap.engine.call import Call, ChainParts
from hotswap.engine.plan import CallPlan
from hotswap.engine.recovery import needs_of
from hotswap.plugin.host import PluginHost, default_host
from hotswap.types.completion import Completion
from hotswap.types.conversation import request_for
from hotswap.types.errors import UnknownProviderError
from hotswap.types.messages import Message
from hotswap.types.providers import ProviderInfo
from hotswap.types.request import CompletionOptions, CompletionRequest
from hotswap.wire.exchange import Exchange
from hotswap.wire.timeouts import Timeouts
from hotswap.wire.transport import Transport

__all__ = ["FailoverChain", "shared_breakers"]

MessagesLike = str | Message | Iterable[Message | dict[str, Any]]

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
        self._parts: ChainParts | None = None  # made on the first call

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

    # -- calls: two doors each, one driver ------------------------------------------------

    def complete(self, messages: MessagesLike, **options: Any) -> Completion:
        """Ask the chain for one complete answer.

        :param messages: a prompt string, a message, or a conversation.
        :param options: any :class:`~hotswap.types.request.CompletionOptions` field.
        :raises AllModelsFailedError: every model failed, through every backoff round.
        :raises ProviderError: a failure whose kind is not a failover condition.
        """
        return _complete(self._call(_request(messages, options)))

    async def acomplete(self, messages: MessagesLike, **options: Any) -> Completion:
        """:meth:`complete`, for asyncio."""
        return await _acomplete(self._call(_request(messages, options)))

    def stream(self, messages: MessagesLike, **options: Any) -> ChainStream:
        """Ask the chain for a streamed answer. A failure before the first content event fails
        over without the caller seeing it; one after raises :class:`StreamInterruptedError`."""
        return ChainStream(self._call(_request(messages, options)))

    def astream(self, messages: MessagesLike, **options: Any) -> AsyncChainStream:
        """:meth:`stream`, for asyncio."""
        return AsyncChainStream(self._call(_request(messages, options)))

    # -- what every call is made of ----------------------------------------------------------

    def _call(self, request: CompletionRequest) -> Call:
        parts = self._parts
        if (
            parts is None
            or parts.settings is not self.settings
            or parts.host is not self.host
            or parts.transport is not self.transport
        ):
            parts = self._parts = ChainParts(
                settings=self.settings,
                host=self.host,
                transport=self.transport,
                clock=self._clock,
                sleep=self._sleep,
                async_sleep=self._async_sleep,
                exchange=self._exchange,
                answered=self._answered,
                provider_of=self._provider_of,
            )
        return Call(request, self._plan(request), parts)

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
        completion = completion.model_copy(update={"attempts": tuple(plan.attempts)})
        self.host.completed(completion)
        return completion

    def _exchange(
        self, model: ModelConfig, request: CompletionRequest, plan: CallPlan, stream: bool
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


def _request(messages: MessagesLike, options: dict[str, Any]) -> CompletionRequest:
    settings = CompletionOptions(**options) if options else _NO_OPTIONS
    if isinstance(messages, str):
        return CompletionRequest(messages=(Message.user(str(messages)),), options=settings)
    if isinstance(messages, Message):
        return CompletionRequest(messages=(messages,), options=settings)
    return request_for(messages, settings)


_NO_OPTIONS = CompletionOptions()  # immutable, so every call without options shares it
