"""Refusing API keys and tokens written into configuration.

Config files get committed, shared and pasted into bug reports, so a key in one is a leaked key.
hotswap refuses any key *named* like a secret (``api_key``, ``token``, ``password``...), any
credential-bearing request header, and any string *shaped* like a provider key, wherever it
appears, and says where the key belongs instead. The error never repeats the value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hotswap.config.diagnostics import join_key
from hotswap.config.paths import credentials_dir
from hotswap.config.spelling import to_snake
from hotswap.types.errors import ConfigError
from hotswap.types.redaction import SENSITIVE_HEADERS, looks_like_secret

__all__ = ["refuse_secrets"]

_SECRET_NAMES = frozenset(
    {"api_key", "apikey", "key", "token", "secret", "password", "access_token", "refresh_token"}
)
# Compound names that can only mean a secret (``openai_api_key``, ``client_secret``).
_SECRET_SUFFIXES = ("_api_key", "_secret", "_password", "_access_token", "_refresh_token")


def refuse_secrets(
    data: Mapping[str, Any],
    *,
    path: Path | None,
    env: Mapping[str, str] = os.environ,
) -> None:
    """Raise if ``data`` holds anything that looks like a credential.

    ``credential = "anthropic_key:work"`` is a *reference* to a stored credential and is allowed.

    :param data: the parsed file, or the part of it hotswap reads.
    :param path: the file, for the message.
    :param env: the environment, used only to spell the credentials directory in the message.
    :raises ConfigError: naming the file and key path, and where the secret belongs.
    """
    _scan_table(data, path=path, env=env, prefix=(), provider=None, headers=False)


def _scan_table(
    table: Mapping[str, Any],
    *,
    path: Path | None,
    env: Mapping[str, str],
    prefix: tuple[str | int, ...],
    provider: str | None,
    headers: bool,
) -> None:
    """:param headers: whether ``table`` is a ``headers`` table, whose keys are header names."""
    # A table that names its provider (a [models.NAME] entry) lets the message name the exact
    # environment variable and credentials path.
    own_provider = table.get("provider")
    if isinstance(own_provider, str) and own_provider:
        provider = own_provider
    for key, value in table.items():
        where = (*prefix, key)
        if headers and key.lower() in SENSITIVE_HEADERS:
            raise _refusal("a header that carries credentials", path, where, provider, env)
        if _is_secret_name(key):
            raise _refusal("a key named like a secret", path, where, provider, env)
        _scan_value(
            value, path=path, env=env, where=where, provider=provider, headers=key == "headers"
        )


def _scan_value(
    value: Any,
    *,
    path: Path | None,
    env: Mapping[str, str],
    where: tuple[str | int, ...],
    provider: str | None,
    headers: bool,
) -> None:
    if isinstance(value, str):
        if looks_like_secret(value):
            raise _refusal("a value shaped like an API key or token", path, where, provider, env)
    elif isinstance(value, Mapping):
        _scan_table(value, path=path, env=env, prefix=where, provider=provider, headers=headers)
    elif isinstance(value, Sequence):
        for index, item in enumerate(value):
            _scan_value(
                item, path=path, env=env, where=(*where, index), provider=provider, headers=False
            )


def _is_secret_name(key: str) -> bool:
    name = to_snake(key).replace("-", "_")
    return name in _SECRET_NAMES or name.endswith(_SECRET_SUFFIXES)


def _refusal(
    problem: str,
    path: Path | None,
    where: Sequence[str | int],
    provider: str | None,
    env: Mapping[str, str],
) -> ConfigError:
    if provider:
        variable = f"the environment variable {provider.upper().replace('-', '_')}_API_KEY"
        credential = f"{provider}_key"
    else:
        variable = "the provider's environment variable (like ANTHROPIC_API_KEY)"
        credential = "PROVIDER_key"
    token_file = credentials_dir(env) / credential / "default" / "token"
    return ConfigError(
        f"{problem} is refused: API keys never live in config files",
        path=str(path) if path else None,
        key=join_key(*where),
        fix=(
            f"Delete it from this file and put the key in {variable}, or in the file "
            f"{token_file} (mode 600), or in the OS keychain; a model picks a stored key with "
            f'credential = "{credential}" or "{credential}:INSTANCE". '
            "If this file was ever shared, revoke the key."
        ),
    )
