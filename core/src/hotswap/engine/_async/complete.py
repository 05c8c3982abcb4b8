"""A whole answer from a chain: each try the plan chooses, sent until one answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.engine._async.tries import next_model
from hotswap.engine.call import STOPPED
from hotswap.types.errors import ProviderError

if TYPE_CHECKING:
    from hotswap.engine.call import Call
    from hotswap.types.completion import Completion

__all__ = ["acomplete"]


async def acomplete(call: Call) -> Completion:
    """Drive ``call``'s plan to its answer.

    :raises AllModelsFailedError: every model failed, through every backoff round.
    :raises ProviderError: a failure whose kind is not a failover condition.
    """
    plan = call.plan
    try:
        while True:
            step = await next_model(call)
            started = call.start(step, stream=False)
            try:
                exchange = call.exchange(step, call.request, stream=False)
                completion = await call.chain.transport.acomplete(exchange)
            except ProviderError as error:
                plan.failed(step, error, started)
                continue
            except STOPPED:
                plan.cancelled(step, started)
                raise
            plan.succeeded(step, started)
            return call.answered(completion)
    finally:
        plan.close()
