"""The failover engine: chains of models, circuit breakers, backoff, streaming failover."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hotswap.config import Config, ModelConfig, load_config
from hotswap.engine._async.chain_stream import AsyncChainStream
from hotswap.engine._sync.chain_stream import ChainStream
from hotswap.engine.breaker import BreakerStore, MemoryBreakerStore
from hotswap.engine.failover_chain import FailoverChain, shared_breakers
from hotswap.engine.session import Session

__all__ = [
    "AsyncChainStream",
    "BreakerStore",
    "ChainStream",
    "FailoverChain",
    "MemoryBreakerStore",
    "Session",
    "chain",
    "shared_breakers",
]


def chain(
    spec: str | Sequence[str | ModelConfig], *, config: Config | None = None, **options: Any
) -> FailoverChain:
    """A chain from configuration, or from Python objects.

    ``chain("default")`` is the ``[chains.default]`` of the config file (then an agent's chain
    of that name); ``chain("sonnet")`` or ``chain("ollama/llama3")`` a chain of one model;
    ``chain(["sonnet", ModelConfig(...)])`` a chain given inline, with the config's global
    failover settings.

    :param spec: a chain or agent name, a model, or a list of models.
    :param config: the configuration (default: the one :func:`~hotswap.config.load_config`
        finds; an application can pass a ``Config.from_dict(...)`` and need no file).
    :param options: passed to :class:`FailoverChain` (``settings``, ``host``, ``transport``...).
    """
    config = config if config is not None else load_config()
    if isinstance(spec, str):
        named = config.chains.get(spec) or config.agents.get(spec)
        if named is not None:
            models = [config.resolve(entry) for entry in named.models]
            options.setdefault("settings", config.failover_for(named))
            return FailoverChain(models, **options)
        spec = [spec]
    models = [m if isinstance(m, ModelConfig) else config.resolve(m) for m in spec]
    options.setdefault("settings", config.failover)
    return FailoverChain(models, **options)
