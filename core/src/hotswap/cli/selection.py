"""Which configuration and which chain a command uses: ``--config``, ``--chain`` and ``-m``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotswap.config import Config
    from hotswap.engine import FailoverChain

__all__ = ["DEFAULT_CHAIN", "chain_spec", "describe", "load", "select_chain"]

DEFAULT_CHAIN = "default"

_NO_CHAIN_FIX = (
    "pass -m MODEL (a [models] name, or PROVIDER/MODEL-ID such as ollama/llama3.2; repeat it "
    "for a chain) or --chain NAME, or define [chains.default] in hotswap.toml"
)


def load(path: Path | None) -> Config:
    """The configuration from ``--config``, else the one found on disk, else an empty one.

    :raises ConfigError: the file is missing (when named) or invalid.
    """
    from hotswap.config import load_config

    return load_config(path)


def chain_spec(config: Config, chain: str | None, models: Sequence[str]) -> str | list[str]:
    """What :func:`hotswap.chain` is to be given: the ``-m`` models as an inline chain, else
    the chain ``--chain`` names, else ``default``.

    :raises ConfigError: no such chain (listing the ones there are), or no chain at all.
    """
    from hotswap.types.errors import ConfigError

    if chain is not None and models:
        raise ConfigError(
            "--chain and -m both say what to ask", fix="give one: a chain name, or its models"
        )
    if models:
        for entry in models:
            config.resolve(entry)  # a misspelt name is reported before anything is sent
        return list(models)
    name = chain if chain is not None else DEFAULT_CHAIN
    if name in config.agents:
        return name
    if chain is None and name not in config.chains:
        where = str(config.source) if config.source else "no config file was found"
        raise ConfigError(f"no chain to ask ({where})", fix=_NO_CHAIN_FIX)
    config.chain(name)  # raises, naming the chains there are, when there is no such chain
    return name


def select_chain(
    config: Config, chain: str | None, models: Sequence[str], **options: Any
) -> FailoverChain:
    """The chain a command asks (see :func:`chain_spec`), built with ``options``."""
    import hotswap.engine

    return hotswap.engine.chain(chain_spec(config, chain, models), config=config, **options)


def describe(chain: FailoverChain) -> str:
    """``sonnet → gpt4o → local``."""
    return " → ".join(model.name for model in chain.models)
