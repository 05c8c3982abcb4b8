"""pi's login file, ``auth.json``: reading one provider's entry, and merging one back in.

The file (``$PI_CODING_AGENT_DIR/auth.json``, else ``~/.pi/agent/auth.json``) is a JSON object
keyed by pi's provider id. hotswap understands the two entry types pi writes::

    {"type": "api_key", "key": "sk-..."}
    {"type": "oauth", "access": "...", "refresh": "...", "expires": 1767225600000}

An ``api_key`` key is resolved as pi resolves it: ``!command`` runs the command in a shell and
uses its output; otherwise the name of a set environment variable stands for that variable's
value; otherwise the key is taken literally. ``expires`` is in epoch milliseconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from typing import TYPE_CHECKING

from hotswap.credentials.locations import home_dir, pi_auth_file
from hotswap.credentials.lockdir import locked
from hotswap.credentials.private_files import (
    make_private_dirs,
    refuse_if_shared,
    write_private_file,
)
from hotswap.types.auth import AuthType, Credential
from hotswap.types.errors import CredentialError
from hotswap.types.redaction import Secret

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["COMMAND_TIMEOUT", "LOGIN_HINT", "pi_credential", "read_pi_entry", "update_pi_entry"]

COMMAND_TIMEOUT = 10.0
"""Seconds a ``!command`` key may take, as in pi."""

LOGIN_HINT = "Log in with pi: run `pi`, then `/login`."

# A key command's output, by command, for the life of the process (pi caches the same way):
# password managers can be slow, and some ask the user to confirm each read.
_command_results: dict[str, str] = {}
_command_results_lock = threading.Lock()


def pi_credential(
    provider: str, *, env: Mapping[str, str] = os.environ, home: Path | None = None
) -> Credential:
    """The credential in pi's ``auth.json`` entry for ``provider``.

    An ``oauth`` entry gives its access token as the secret, plus its refresh token and expiry;
    an expired token is returned as it is, for a refresh flow to deal with. The credential's
    ``auth_type`` is :attr:`AuthType.PI_AUTH` either way; an OAuth login is the one with a
    ``refresh_token``.

    :raises CredentialError: the file or the entry is missing, malformed or open to other users,
        or a ``!command`` key failed. The message names the file and the entry.
    """
    path = pi_auth_file(env, home_dir(home, env))
    entry = read_pi_entry(path, provider)
    source = f"pi auth.json entry {provider}"
    kind = entry.get("type")
    if kind == "api_key":
        key = _text_field(entry, "key", path, provider)
        return Credential(
            secret=Secret(_resolve_key(key, env, path, provider)),
            auth_type=AuthType.PI_AUTH,
            source=source,
        )
    if kind == "oauth":
        refresh = entry.get("refresh")
        return Credential(
            secret=Secret(_text_field(entry, "access", path, provider)),
            auth_type=AuthType.PI_AUTH,
            source=source,
            refresh_token=Secret(refresh) if isinstance(refresh, str) and refresh else None,
            expires_at=_expires_at(entry, path, provider),
        )
    raise CredentialError(
        f"entry {provider!r} in pi's auth file {path} has type {kind!r};"
        " hotswap understands 'api_key' and 'oauth'.\n  " + LOGIN_HINT
    )


def read_pi_entry(path: Path, provider: str) -> dict[str, object]:
    """The raw entry for ``provider`` in the ``auth.json`` at ``path``, secrets unresolved.

    :raises CredentialError: the file is missing, unreadable, not a JSON object or open to other
        users, or it has no such entry.
    """
    data = _load(path)
    if data is None:
        raise CredentialError(
            f"pi's auth file {path} does not exist (looked for entry {provider!r}).\n  "
            + LOGIN_HINT
        )
    entry = data.get(provider)
    if entry is None:
        raise CredentialError(f"pi's auth file {path} has no entry {provider!r}.\n  " + LOGIN_HINT)
    if not isinstance(entry, dict):
        raise CredentialError(f"entry {provider!r} in pi's auth file {path} is not a JSON object")
    return entry


def update_pi_entry(
    provider: str,
    entry: Mapping[str, object],
    *,
    env: Mapping[str, str] = os.environ,
    home: Path | None = None,
    merge: bool = False,
) -> None:
    """Replace ``provider``'s entry in pi's ``auth.json`` with ``entry``, keeping every other one.

    Safe against pi and other hotswap processes writing at the same time: under the lock pi
    itself takes (see :mod:`hotswap.credentials.lockdir`) the file is re-read, merged, and
    atomically replaced by a file of mode 0600. The directory is created 0700 if missing.

    :param merge: update the existing entry with ``entry``'s fields instead of replacing it, so
        fields hotswap does not know (``accountId``, ``projectId``) survive a token refresh.

    :raises CredentialError: the existing file is not a JSON object (it is left untouched), or
        the lock could not be taken.
    """
    path = pi_auth_file(env, home_dir(home, env))
    make_private_dirs(path.parent)
    with locked(path):
        data = _load(path, check_mode=False) or {}
        current = data.get(provider)
        base = current if merge and isinstance(current, dict) else {}
        data[provider] = {**base, **entry}
        # Written the way pi writes it, so a diff of the file stays readable.
        write_private_file(path, json.dumps(data, indent=2))


def _load(path: Path, *, check_mode: bool = True) -> dict[str, object] | None:
    # An update replaces the file with a 0600 one, so a too-open old file need not stop it.
    if not path.exists():
        return None
    if check_mode:
        refuse_if_shared(path, directories=(path.parent,))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CredentialError(f"cannot read pi's auth file {path}: {error.strerror}") from None
    except ValueError as error:  # invalid JSON or invalid UTF-8; neither message quotes content
        raise CredentialError(f"pi's auth file {path} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise CredentialError(f"pi's auth file {path} is not a JSON object")
    return data


def _text_field(entry: Mapping[str, object], name: str, path: Path, provider: str) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        raise CredentialError(
            f"entry {provider!r} in pi's auth file {path} has no {name!r}.\n  " + LOGIN_HINT
        )
    return value.strip()


def _expires_at(entry: Mapping[str, object], path: Path, provider: str) -> float | None:
    expires = entry.get("expires")
    if expires is None:
        return None
    if isinstance(expires, bool) or not isinstance(expires, (int, float)):
        raise CredentialError(
            f"entry {provider!r} in pi's auth file {path} has an 'expires' that is not a number"
        )
    return expires / 1000


def _resolve_key(key: str, env: Mapping[str, str], path: Path, provider: str) -> str:
    if key.startswith("!"):
        return _run_key_command(key[1:], env, f"entry {provider!r} in pi's auth file {path}")
    return env.get(key) or key


def _run_key_command(command: str, env: Mapping[str, str], entry: str) -> str:
    with _command_results_lock:
        cached = _command_results.get(command)
    if cached is not None:
        return cached
    # Neither the command nor its output goes into a message: either may hold the secret.
    try:
        # The user wrote a shell command into pi's config on purpose; run it as pi does.
        result = subprocess.run(  # noqa: S602
            command,
            shell=True,
            stdout=subprocess.PIPE,
            env=dict(env),
            timeout=COMMAND_TIMEOUT,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CredentialError(
            f"the key command of {entry} did not finish within {COMMAND_TIMEOUT:g} s"
        ) from None
    except OSError as error:
        raise CredentialError(
            f"the key command of {entry} could not be started: {error.strerror}"
        ) from None
    if result.returncode != 0:
        raise CredentialError(
            f"the key command of {entry} failed with exit status {result.returncode};"
            " run it yourself to see why"
        )
    key = result.stdout.strip()
    if not key:
        raise CredentialError(f"the key command of {entry} printed nothing")
    with _command_results_lock:
        _command_results[command] = key
    return key
