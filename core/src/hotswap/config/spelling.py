"""Accepting camelCase keys (``authType``, ``retryDelayMs``) as their snake_case equivalents.

Config files written for Action Llama and pi spell keys in camelCase; hotswap spells them in
snake_case. Rather than listing aliases per field, every key whose snake_case form is a known key
is renamed, so a field added to the schema accepts both spellings with no further work.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from hotswap.config.diagnostics import join_key
from hotswap.types.errors import ConfigError

__all__ = ["snake_case_keys", "to_snake"]

_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Tables whose keys are names the user chose (``[models.gpt4o]``), never field names.
_NAMED_TABLES = frozenset({"models", "chains"})
# Tables passed to the provider exactly as written: their keys are the provider's, not ours.
_VERBATIM_TABLES = frozenset({"headers", "options"})


def to_snake(key: str) -> str:
    """``retryDelayMs`` → ``retry_delay_ms``, ``baseURL`` → ``base_url``."""
    return _WORD_START.sub("_", key).lower()


def snake_case_keys(
    table: Mapping[str, Any],
    *,
    known: Collection[str],
    path: Path | None,
    prefix: Sequence[str | int] = (),
) -> dict[str, Any]:
    """A copy of ``table`` with every camelCase key whose snake_case form is in ``known``
    renamed, through nested tables, leaving model and chain names and the contents of
    ``headers`` and ``options`` as written.

    Unknown keys keep their spelling, so an error about them shows what the user wrote.

    :raises ConfigError: if one key is given in both spellings.
    """
    renamed: dict[str, Any] = {}
    written: dict[str, str] = {}
    for key, value in table.items():
        snake = to_snake(key)
        name = snake if snake in known else key
        if name in renamed:
            raise ConfigError(
                f"{name} is given twice, as {written[name]!r} and {key!r}",
                path=str(path) if path else None,
                key=join_key(*prefix, key),
                fix=f"keep one of them (hotswap spells it {name}).",
            )
        written[name] = key
        renamed[name] = _renamed_value(name, value, known=known, path=path, prefix=(*prefix, key))
    return renamed


def _renamed_value(
    name: str, value: Any, *, known: Collection[str], path: Path | None, prefix: Sequence[str | int]
) -> Any:
    if not isinstance(value, Mapping) or name in _VERBATIM_TABLES:
        return value
    if name in _NAMED_TABLES:
        return {
            entry: (
                snake_case_keys(table, known=known, path=path, prefix=(*prefix, entry))
                if isinstance(table, Mapping)
                else table
            )
            for entry, table in value.items()
        }
    return snake_case_keys(value, known=known, path=path, prefix=prefix)
