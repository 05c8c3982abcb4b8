"""From configuration data, in any accepted spelling, to a checked :class:`Config`.

The steps, in order: set aside tables that belong to other tools, refuse secrets, accept
camelCase keys, read both chain forms (``[chains.NAME]``, and ``primary`` with a ``failover``
list), validate each table, and check that every chain names models that exist. Each step raises
a :class:`ConfigError` that names the file and key path; nothing here touches the disk.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from hotswap.config.diagnostics import (
    allowed_keys_fix,
    describe_value,
    from_validation_error,
    join_key,
    undefined_model_fix,
)
from hotswap.config.schema import ChainConfig, ChainEntry, Config, FailoverSettings, ModelConfig
from hotswap.config.secret_scan import refuse_secrets
from hotswap.config.spelling import snake_case_keys, to_snake
from hotswap.types.errors import ConfigError

__all__ = ["AgentFile", "parse_config"]

_log = logging.getLogger("hotswap.config")

_TOP_LEVEL_KEYS = ("models", "chains", "failover", "primary", "failover_config")
# An agent file belongs to Action Llama; these are the only keys hotswap reads from it.
_AGENT_KEYS = frozenset({"models", "primary", "failover", "failover_config"})
_KNOWN_KEYS = frozenset(_TOP_LEVEL_KEYS).union(
    ModelConfig.model_fields, ChainConfig.model_fields, FailoverSettings.model_fields
)
# A main file with this name is an Action Llama project file, which has tables of its own.
_SHARED_FILE_NAME = "config.toml"

_Model = TypeVar("_Model", bound=BaseModel)
_KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class AgentFile:
    """One agent's ``agents/NAME/config.toml``, already parsed.

    :param name: the agent's name (its directory's name).
    :param path: the file, named in errors.
    :param data: its contents; keys other than the chain keys are ignored.
    """

    name: str
    path: Path
    data: Mapping[str, Any]


@dataclass(frozen=True)
class _PlacedChain:
    """A chain, with where it and each of its entries were written, for errors about them."""

    chain: ChainConfig
    label: str
    path: Path | None
    entry_keys: tuple[_KeyPath, ...]


def parse_config(
    data: Mapping[str, Any],
    *,
    source: Path | None = None,
    agent_files: Iterable[AgentFile] = (),
    env: Mapping[str, str] = os.environ,
) -> Config:
    """Check ``data`` (a main config file's contents) and the agent files, and build the config.

    :param source: the main file, named in errors; see :meth:`Config.from_dict`.
    :param env: the environment, used only to name the credentials directory in errors.
    :raises ConfigError: for the first problem found.
    """
    data = _own_tables(data, source)
    refuse_secrets(data, path=source, env=env)
    data = snake_case_keys(data, known=_KNOWN_KEYS, path=source)
    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            raise ConfigError(
                "unknown key",
                path=_text(source),
                key=join_key(key),
                fix=allowed_keys_fix(key, _TOP_LEVEL_KEYS),
            )
    models = _models(data.get("models", {}), source)
    failover = _global_failover(data, source)
    chains = _chains(data, source)
    agents: dict[str, _PlacedChain] = {}
    for agent in agent_files:
        placed = _agent_chain(agent, env)
        if placed is not None:
            agents[agent.name] = placed
    for placed in (*chains.values(), *agents.values()):
        _check_references(placed, models, source)
    # Every part was validated above, and the references between them checked.
    return Config.model_construct(
        models=models,
        chains={name: placed.chain for name, placed in chains.items()},
        agents={name: placed.chain for name, placed in agents.items()},
        failover=failover,
        source=source,
    )


def _own_tables(data: Mapping[str, Any], source: Path | None) -> Mapping[str, Any]:
    if source is None or source.name != _SHARED_FILE_NAME:
        return data
    own: dict[str, Any] = {}
    for key, value in data.items():
        if to_snake(key) in _TOP_LEVEL_KEYS or not isinstance(value, Mapping):
            own[key] = value
        else:
            _log.debug("%s: ignoring [%s], which is not a hotswap table", source, key)
    return own


def _models(value: Any, path: Path | None) -> dict[str, ModelConfig]:
    tables = _expect_table(value, path, "models", "a table of [models.NAME] tables")
    models: dict[str, ModelConfig] = {}
    for name, table in tables.items():
        if isinstance(table, Mapping) and "name" in table:
            raise ConfigError(
                "a model's name is the name of its table",
                path=_text(path),
                key=join_key("models", name, "name"),
                fix=f"delete this key; to rename the model, rename [models.{join_key(name)}].",
            )
        data = {**table, "name": name} if isinstance(table, Mapping) else table
        models[name] = _validated(ModelConfig, data, path, ("models", name))
    return models


def _global_failover(data: Mapping[str, Any], path: Path | None) -> FailoverSettings:
    table = data.get("failover")
    # A list is the primary/failover form's list of models; _chains reads it.
    if table is None or isinstance(table, list):
        if "failover_config" in data:
            return _validated(FailoverSettings, data["failover_config"], path, ("failover_config",))
        return FailoverSettings()
    if not isinstance(table, Mapping):
        raise ConfigError(
            f"expected a table of failover settings, got {describe_value(table)}",
            path=_text(path),
            key="failover",
            fix="write [failover] settings, or a list of models to try after primary.",
        )
    if "failover_config" in data:
        raise ConfigError(
            "failover settings are given twice, as [failover] and [failover_config]",
            path=_text(path),
            key="failover_config",
            fix="keep one of them (hotswap spells it [failover]).",
        )
    return _validated(FailoverSettings, table, path, ("failover",))


def _chains(data: Mapping[str, Any], path: Path | None) -> dict[str, _PlacedChain]:
    tables = _expect_table(
        data.get("chains", {}), path, "chains", "a table of [chains.NAME] tables"
    )
    chains: dict[str, _PlacedChain] = {}
    for name, table in tables.items():
        chain = _validated(ChainConfig, table, path, ("chains", name))
        keys = tuple(("chains", name, "models", index) for index in range(len(chain.models)))
        chains[name] = _PlacedChain(chain, f"chain {name!r}", path, keys)
    if "primary" in data or isinstance(data.get("failover"), list):
        if "default" in chains:
            raise ConfigError(
                "chain 'default' is given twice, by primary/failover and by [chains.default]",
                path=_text(path),
                key="primary",
                fix="keep one of them.",
            )
        chains["default"] = _primary_form(data, path, "chain 'default'", override=None)
    return chains


def _agent_chain(agent: AgentFile, env: Mapping[str, str]) -> _PlacedChain | None:
    path = agent.path
    own = {key: value for key, value in agent.data.items() if to_snake(key) in _AGENT_KEYS}
    if not own:
        _log.debug("%s: no models, so agent %r has no chain", path, agent.name)
        return None
    refuse_secrets(own, path=path, env=env)
    own = snake_case_keys(own, known=_KNOWN_KEYS, path=path)
    failover = own.get("failover")
    if failover is not None and not isinstance(failover, list):
        raise ConfigError(
            f"expected a list of models, got {describe_value(failover)}",
            path=_text(path),
            key="failover",
            fix="in an agent file, failover lists the models tried after primary; "
            "put settings in [failover_config].",
        )
    override = None
    if "failover_config" in own:
        override = _validated(FailoverSettings, own["failover_config"], path, ("failover_config",))
    label = f"agent {agent.name!r}"
    if "models" not in own:
        return _primary_form(own, path, label, override)
    if "primary" in own or failover is not None:
        raise ConfigError(
            "the chain is given twice, as models and as primary/failover",
            path=_text(path),
            key="models",
            fix="keep one of them.",
        )
    chain = _validated(ChainConfig, {"models": own["models"], "failover": override}, path, ())
    keys = tuple(("models", index) for index in range(len(chain.models)))
    return _PlacedChain(chain, label, path, keys)


def _primary_form(
    data: Mapping[str, Any], path: Path | None, label: str, override: FailoverSettings | None
) -> _PlacedChain:
    """The chain ``primary = "A"`` with ``failover = ["B", "C"]`` means: A, then B, then C."""
    if "primary" not in data:
        given = "failover" if "failover" in data else "failover_config"
        raise ConfigError(
            f"{given} is given without primary",
            path=_text(path),
            key=given,
            fix='add primary = "MODEL", the model tried first (failover lists those tried after).',
        )
    # At the top level a [failover] table may sit beside primary; only a list extends the chain.
    failover = data.get("failover")
    if not isinstance(failover, list):
        failover = []
    entries = (data["primary"], *failover)
    keys: tuple[_KeyPath, ...] = (("primary",), *(("failover", i) for i in range(len(failover))))
    for entry, key in zip(entries, keys, strict=True):
        try:
            _entry_adapter().validate_python(entry)
        except ValidationError as error:
            raise from_validation_error(error, path=path, prefix=key) from None
    return _PlacedChain(ChainConfig(models=entries, failover=override), label, path, keys)


@functools.cache
def _entry_adapter() -> TypeAdapter[str]:
    """Checks one chain entry alone, so that an error names its key; only the primary/failover
    form needs it."""
    return TypeAdapter(ChainEntry)


def _check_references(
    placed: _PlacedChain, models: Mapping[str, ModelConfig], source: Path | None
) -> None:
    for entry, key in zip(placed.chain.models, placed.entry_keys, strict=True):
        if entry in models or "/" in entry:
            continue
        # An agent's chain names models defined in the main file; say which file that is.
        where = f" of {source}" if source and placed.path != source else ""
        raise ConfigError(
            f"{placed.label} names {entry!r}, which is not defined in [models]{where}",
            path=_text(placed.path),
            key=join_key(*key),
            fix=undefined_model_fix(entry, models),
        )


def _expect_table(value: Any, path: Path | None, key: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"expected {what}, got {describe_value(value)}",
            path=_text(path),
            key=key,
            fix=f"write [{key}.NAME] tables.",
        )
    return value


def _validated(model: type[_Model], data: Any, path: Path | None, prefix: _KeyPath) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise from_validation_error(error, path=path, prefix=prefix) from None


def _text(path: Path | None) -> str | None:
    return str(path) if path else None
