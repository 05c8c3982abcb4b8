"""The next try of a call: the model its plan chooses, once any pause it asks for is over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.engine.plan import Wait

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.engine.call import Call

__all__ = ["next_model"]


async def next_model(call: Call) -> ModelConfig:
    """The model to try next, after waiting out the backoff or retry-after the plan asks for.

    :raises AllModelsFailedError: the plan has given up.
    """
    plan = call.plan
    while True:
        step = plan.next()
        if not isinstance(step, Wait):
            return step
        await call.chain.async_sleep(step.seconds)
