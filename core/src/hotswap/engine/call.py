"""One call through a chain, as its sync and async drivers see it.

A :class:`Call` is all a driver (:mod:`hotswap.engine._async`, and the sync twin generated from
it) needs: the request, the :class:`~hotswap.engine.plan.CallPlan` that makes every decision,
and, as :class:`ChainParts`, what it uses of the
:class:`~hotswap.engine.failover_chain.FailoverChain` that made it. Nothing here waits or sends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, final

if TYPE_CHECKING:
    from hotswap.config import FailoverSettings, ModelConfig
    from hotswap.engine.plan import CallPlan
    from hotswap.plugin.host import PluginHost
    from hotswap.types.completion import Completion
    from hotswap.types.providers import ProviderInfo
    from hotswap.types.request import CompletionRequest
    from hotswap.wire.exchange import Exchange
    from hotswap.wire.transport import Transport

__all__ = ["STOPPED", "Call", "ChainParts"]

# How a caller stops a call part-way: closing its stream, cancelling its task, or Ctrl-C. Both
# drivers catch all three, so a stopped try is recorded the same way whichever door it came in.
STOPPED = (GeneratorExit, asyncio.CancelledError, KeyboardInterrupt)

ExchangeMaker = Callable[["ModelConfig", "CompletionRequest", "CallPlan", bool], "Exchange"]


@final
@dataclass(frozen=True, slots=True, kw_only=True)
class ChainParts:
    """What every call through one chain uses; a chain makes them again if its settings, host
    or transport are replaced.

    :param settings: the chain's failover settings.
    :param host: the plugin host, told when each try starts.
    :param transport: what sends each exchange.
    :param clock: monotonic seconds; ``sleep`` and ``async_sleep`` wait out the plan's pauses.
    :param exchange: makes the exchange for one try of a model.
    :param answered: stamps a finished answer with its attempts and tells the observers.
    :param provider_of: the registered provider of a model, or None if there is none.
    """

    settings: FailoverSettings
    host: PluginHost
    transport: Transport
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    async_sleep: Callable[[float], Awaitable[Any]]
    exchange: ExchangeMaker
    answered: Callable[[Completion, CallPlan], Completion]
    provider_of: Callable[[ModelConfig], ProviderInfo | None]


@final
@dataclass(slots=True)
class Call:
    """One call: what it asks, the plan it follows, and the parts of its chain it uses."""

    request: CompletionRequest
    plan: CallPlan
    chain: ChainParts

    def start(self, model: ModelConfig, *, stream: bool) -> float:
        """Tell the observers a try of ``model`` begins, and return when it did."""
        chain = self.chain
        started = chain.clock()
        chain.host.attempt_started(model, stream=stream)
        return started

    def exchange(self, model: ModelConfig, request: CompletionRequest, *, stream: bool) -> Exchange:
        """The exchange that sends ``request`` (the caller's, or a continuation) to ``model``."""
        return self.chain.exchange(model, request, self.plan, stream)

    def answered(self, completion: Completion) -> Completion:
        """``completion``, stamped with every attempt of the call, once observers are told."""
        return self.chain.answered(completion, self.plan)
