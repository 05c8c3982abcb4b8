"""Scripts from a TOML file, for ``hotswap simulate --faults FILE`` and
``Simulator.load_scripts``. The format is described in :mod:`hotswap.cli.simulate`.

Each step is a table naming its ``kind`` (``reply`` or a fault's name, e.g. ``rate_limit``)
plus that step's fields; every mistake is a :class:`~hotswap.types.errors.ConfigError` naming the
file, the key and what is allowed.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hotswap.testing.faults import (
    ContentFilter,
    ContextTooLong,
    Cut,
    ErrorFault,
    Forbidden,
    Hang,
    Malformed,
    Overloaded,
    PromptBlocked,
    QuotaExhausted,
    RateLimit,
    RawResponse,
    Reset,
    ServerFault,
    Slow,
    Stall,
    StreamError,
    Unauthorized,
)
from hotswap.testing.replies import Reply, ToolCall
from hotswap.testing.routes import DIALECTS
from hotswap.testing.scripts import ANSWER, Script, Step
from hotswap.types.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:
    # mypy checks this branch (python_version is 3.10) where tomli need not be installed.
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = ["KINDS", "ScriptFile", "load_script_file", "step_from_table"]

KINDS: dict[str, type[Step]] = {
    cls.kind: cls
    for cls in (
        Reply,
        RateLimit,
        QuotaExhausted,
        Overloaded,
        ServerFault,
        Unauthorized,
        Forbidden,
        ContextTooLong,
        RawResponse,
        ContentFilter,
        PromptBlocked,
        Hang,
        Stall,
        Reset,
        Cut,
        StreamError,
        Malformed,
        Slow,
    )
}
"""Every step, by the ``kind`` that names it in a file."""

_SCALARS: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "str": (str,),
}


@dataclasses.dataclass(frozen=True, slots=True)
class ScriptFile:
    """What a script file holds: scripts by model (or pattern), and accepted keys by provider."""

    scripts: Mapping[str, Script]
    keys: Mapping[str, tuple[str, ...]]


def load_script_file(path: Path) -> ScriptFile:
    """Read and check a script file."""
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise ConfigError(f"cannot read the file: {error.strerror}", path=str(path)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"not valid TOML: {error}", path=str(path)) from None
    return _parse(data, str(path))


def _parse(data: Mapping[str, Any], source: str) -> ScriptFile:
    _only(data, {"seed", "keys", "models"}, source, "")
    seed = _typed(data.get("seed", 0), int, source, "seed")
    keys = _table(data.get("keys", {}), source, "keys")
    models = _table(data.get("models", {}), source, "models")
    for provider in keys:
        if provider not in DIALECTS:
            raise ConfigError(
                f"no provider family {provider!r}",
                path=source,
                key=f"keys.{provider}",
                fix="the simulator speaks " + ", ".join(sorted(DIALECTS)),
            )
    accepted = {
        provider: tuple(_typed(key, str, source, f"keys.{provider}") for key in _list(v))
        for provider, v in keys.items()
    }
    scripts = {
        model: _script(_table(table, source, f"models.{model}"), seed, source, f"models.{model}")
        for model, table in models.items()
    }
    return ScriptFile(scripts, accepted)


def _script(table: Mapping[str, Any], seed: int, source: str, where: str) -> Script:
    _only(table, {"steps", "then", "chaos", "seed", "otherwise"}, source, where)
    if "chaos" in table:
        if "steps" in table or "then" in table:
            raise ConfigError(
                "a script is either steps (with then) or chaos (with otherwise), not both",
                path=source,
                key=where,
            )
        odds = []
        for i, entry in enumerate(_list(table["chaos"])):
            entry = dict(_table(entry, source, f"{where}.chaos[{i}]"))
            probability = entry.pop("probability", None)
            if probability is None:
                raise ConfigError(
                    "a chaos entry needs a probability", path=source, key=f"{where}.chaos[{i}]"
                )
            chance = _typed(probability, float, source, f"{where}.chaos[{i}].probability")
            odds.append((step_from_table(entry, source, f"{where}.chaos[{i}]"), float(chance)))
        otherwise = _optional_step(table, "otherwise", source, where)
        own_seed = _typed(table.get("seed", seed), int, source, f"{where}.seed")
        try:
            return Script.chaos(*odds, seed=own_seed, otherwise=otherwise)
        except ValueError as error:
            raise ConfigError(str(error), path=source, key=f"{where}.chaos") from None
    steps = [
        step_from_table(entry, source, f"{where}.steps[{i}]")
        for i, entry in enumerate(_list(table.get("steps", [])))
    ]
    return Script.sequence(*steps, then=_optional_step(table, "then", source, where))


def _optional_step(table: Mapping[str, Any], key: str, source: str, where: str) -> Step:
    return step_from_table(table[key], source, f"{where}.{key}") if key in table else ANSWER


def step_from_table(table: Any, source: str, where: str, *, kind: str | None = None) -> Step:
    """Build one step from its table: ``{kind = "rate_limit", retry_after = 2}``.

    :param kind: the kind to assume when the table names none (a fault's ``reply``).
    """
    table = dict(_table(table, source, where))
    name = table.pop("kind", kind)
    if name not in KINDS:
        raise ConfigError(
            f"unknown step kind {name!r}" if name else "a step needs a kind",
            path=source,
            key=f"{where}.kind",
            fix="kind is one of: " + ", ".join(sorted(KINDS)),
        )
    cls = KINDS[name]
    fields = {field.name: field for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
    _only(table, set(fields), source, where)
    values = {
        key: _field_value(str(fields[key].type), value, source, f"{where}.{key}")
        for key, value in table.items()
    }
    try:
        return cls(**values)
    except (TypeError, ValueError) as error:
        raise ConfigError(str(error), path=source, key=where) from None


def _field_value(annotation: str, value: Any, source: str, where: str) -> Any:
    if annotation == "Reply":
        return step_from_table(value, source, where, kind="reply")
    if annotation == "ErrorFault":
        step = step_from_table(value, source, where)
        if not isinstance(step, ErrorFault):
            raise ConfigError(
                f"{step.kind} is not an error", path=source, key=where, fix="use an error kind"
            )
        return step
    if annotation == "tuple[ToolCall, ...]":
        return tuple(
            _tool_call(call, source, f"{where}[{i}]") for i, call in enumerate(_list(value))
        )
    if annotation == "Mapping[str, str]":
        return {
            k: _typed(v, str, source, f"{where}.{k}")
            for k, v in _table(value, source, where).items()
        }
    expected = _SCALARS[annotation.split(" | ")[0]]
    return _typed(value, expected, source, where)


def _tool_call(value: Any, source: str, where: str) -> ToolCall:
    table = _table(value, source, where)
    _only(table, {"name", "arguments", "id"}, source, where)
    if "name" not in table:
        raise ConfigError("a tool call needs a name", path=source, key=where)
    return ToolCall(
        _typed(table["name"], str, source, f"{where}.name"),
        _table(table.get("arguments", {}), source, f"{where}.arguments"),
        _typed(table["id"], str, source, f"{where}.id") if "id" in table else None,
    )


def _only(table: Mapping[str, Any], allowed: set[str], source: str, where: str) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(
                f"unknown key {key!r}",
                path=source,
                key=f"{where}.{key}" if where else key,
                fix="allowed here: " + ", ".join(sorted(allowed)),
            )


def _table(value: Any, source: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"expected a table, not {value!r}", path=source, key=where)
    return value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _typed(value: Any, expected: type | tuple[type, ...], source: str, where: str) -> Any:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    # TOML booleans are ints to Python; a number field must not take one.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join(kind.__name__ for kind in kinds)
        raise ConfigError(f"expected {names}, not {value!r}", path=source, key=where)
    return value
