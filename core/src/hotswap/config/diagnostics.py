"""Turning what is wrong with configuration data into a :class:`ConfigError` a person can act on.

Every message names the file, the dotted key path (``models.sonnet.auth_type``), what was wrong,
and what is allowed instead. Pydantic's own messages are written for programmers (``Input should
be a valid dictionary or instance of ModelConfig``); :func:`from_validation_error` rewrites them
in the words of a TOML file.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from hotswap.types.errors import ConfigError

__all__ = [
    "allowed_keys_fix",
    "describe_value",
    "did_you_mean",
    "from_validation_error",
    "join_key",
    "problem",
    "undefined_model_fix",
    "unknown_key",
]

# A bare TOML key; anything else is quoted when a key path is shown.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_QUOTED = re.compile(r"'([^']*)'")

_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "list_type": "a list",
    "tuple_type": "a list",
}


def join_key(*parts: str | int) -> str:
    """The dotted key path of ``parts``, as a TOML file spells it: ``models."gpt 4".headers``,
    with list positions as ``[0]``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        name = part if _BARE_KEY.fullmatch(part) else f'"{part}"'
        text = f"{text}.{name}" if text else name
    return text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` for the closest of ``choices`` to ``word``, or an empty string."""
    import difflib  # only a mistake needs it, so a config that loads never imports it

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def describe_value(value: object) -> str:
    """What kind of TOML value ``value`` is (``a string``, ``a table``), for "expected X, got Y"."""
    # bool before int: True is an int to Python but not to a person writing TOML.
    kinds: tuple[tuple[type | tuple[type, ...], str], ...] = (
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a number"),
        (str, "a string"),
        (dict, "a table"),
        ((list, tuple), "a list"),
        ((datetime.date, datetime.time), "a date or time"),
    )
    for kind, words in kinds:
        if isinstance(value, kind):
            return words
    return type(value).__name__


def problem(message: str, fix: str) -> PydanticCustomError:
    """An error for a pydantic validator to raise, carrying the message and the fix separately,
    so that :func:`from_validation_error` can show both."""
    return PydanticCustomError("hotswap_config", message, {"fix": fix})


def unknown_key(key: str, allowed: Sequence[str]) -> PydanticCustomError:
    """The error for a key a table does not have, listing the keys it does have."""
    return PydanticCustomError(
        "hotswap_unknown_key", "unknown key", {"key": key, "fix": allowed_keys_fix(key, allowed)}
    )


def allowed_keys_fix(key: str, allowed: Sequence[str]) -> str:
    """What to say about an unknown ``key``: the keys that are allowed, and the closest one."""
    return f"allowed keys: {', '.join(allowed)}.{did_you_mean(key, allowed)}"


def undefined_model_fix(entry: str, defined: Collection[str]) -> str:
    """What to say about a chain entry that names no model: the models there are, the closest
    one, and the inline form."""
    names = ", ".join(defined) or "none"
    return (
        f"defined models: {names}.{did_you_mean(entry, defined)} "
        "Or write an inline PROVIDER/MODEL-ID reference, like ollama/llama3."
    )


def from_validation_error(
    error: ValidationError, *, path: Path | None, prefix: Sequence[str | int] = ()
) -> ConfigError:
    """The :class:`ConfigError` for the first problem pydantic found.

    :param error: what pydantic raised while validating one table.
    :param path: the file the table came from, if any.
    :param prefix: the key path of that table inside the file (``("models", "sonnet")``).
    """
    details = error.errors(include_url=False)[0]
    loc = (*prefix, *details["loc"])
    ctx = details.get("ctx", {})
    if details["type"] == "hotswap_unknown_key":
        loc = (*loc, ctx["key"])
    message, fix = _describe(details, loc)
    return ConfigError(message, path=str(path) if path else None, key=join_key(*loc), fix=fix)


def _describe(details: ErrorDetails, loc: Sequence[str | int]) -> tuple[str, str]:
    kind = details["type"]
    ctx: dict[str, Any] = details.get("ctx", {})
    value = details["input"]
    if "fix" in ctx:
        return details["msg"], str(ctx["fix"])
    if kind == "missing":
        table = join_key(*loc[:-1])
        where = f" to [{table}]" if table else ""
        return "required key is missing", f"add {loc[-1]} = ...{where}."
    if kind == "enum":
        allowed = _QUOTED.findall(ctx["expected"])
        hint = did_you_mean(value, allowed) if isinstance(value, str) else ""
        return f"{value!r} is not allowed", f"allowed values: {', '.join(allowed)}.{hint}"
    if kind in _EXPECTED:
        return (
            f"expected {_EXPECTED[kind]}, got {describe_value(value)}",
            f"write {_EXPECTED[kind]} here.",
        )
    if kind in ("greater_than", "greater_than_equal"):
        sign = ">" if kind == "greater_than" else ">="
        bound = ctx["gt"] if kind == "greater_than" else ctx["ge"]
        return f"{value!r} is too small", f"use a number {sign} {bound:g}."
    if kind == "too_short":
        return "must not be empty", "write a non-empty value."
    return details["msg"], ""
