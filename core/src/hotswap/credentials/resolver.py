"""Walking the places a credential may be, in order: :func:`resolve_credential` finds the first
value, :func:`describe_sources` reports on every place without revealing anything.

The order itself is documented in :mod:`hotswap.credentials`.
"""

from __future__ import annotations

import enum
import functools
import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotswap.config.paths import credentials_dir
from hotswap.credentials.files import read_tree_value, tree_file
from hotswap.credentials.keychain import (
    SERVICE,
    KeychainUnavailableError,
    keychain_username,
    read_keychain,
)
from hotswap.credentials.locations import action_llama_dir, home_dir, pi_auth_file
from hotswap.credentials.pi_auth import pi_credential, read_pi_entry
from hotswap.credentials.reference import CredentialRef
from hotswap.types.auth import AuthType, Credential
from hotswap.types.errors import CredentialError
from hotswap.types.redaction import Secret

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path

    from hotswap.types.auth import CredentialSpec

__all__ = ["CredentialSource", "SourceKind", "describe_sources", "resolve_credential"]

logger = logging.getLogger(__name__)


class SourceKind(str, enum.Enum):
    """A kind of place a credential may be found, declared in the order they are consulted."""

    ENVIRONMENT = "environment"
    HOTSWAP_FILE = "hotswap_file"
    ACTION_LLAMA_FILE = "action_llama_file"
    KEYCHAIN = "keychain"
    PI_AUTH = "pi_auth"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class CredentialSource:
    """One place :func:`resolve_credential` would consult, as :func:`describe_sources` finds it.

    :param kind: what sort of place it is.
    :param location: where exactly: the variable name, the file path, ``service hotswap,
        username anthropic_key/default``, or ``/.../auth.json entry anthropic``.
    :param holds_value: whether a usable value is there right now.
    :param problem: why the place cannot be used (a refused file, no keychain), if it cannot.
    """

    kind: SourceKind
    location: str
    holds_value: bool
    problem: str | None = None


@dataclass(frozen=True)
class _Place:
    kind: SourceKind
    location: str
    description: str  # becomes Credential.source: safe to show, never the value
    absent: str  # what to say when nothing is there
    read: Callable[[], str | None]


def resolve_credential(
    spec: CredentialSpec,
    auth_type: AuthType,
    *,
    reference: str | None = None,
    env: Mapping[str, str] = os.environ,
    home: Path | None = None,
) -> Credential | None:
    """Find the credential for one model, looking in the documented order.

    :param spec: where the provider says its credential for ``auth_type`` may be.
    :param auth_type: the model's auth type; ``none`` returns None without looking anywhere.
    :param reference: the model's ``credential = "TYPE"`` or ``"TYPE:INSTANCE"`` setting, which
        replaces ``spec.credential`` and the ``default`` instance. Not used for ``pi_auth``.
    :param env: the environment to read variables from.
    :param home: the home directory under which other tools keep their files (default:
        ``$HOME`` from ``env``).
    :raises CredentialError: nothing was found (the message names every place looked in and
        what to set), or a place holds a credential that is refused (a file other users can read)
        or broken (a failing ``!command`` in pi's ``auth.json``).
    """
    if auth_type is AuthType.NONE:
        return None
    if auth_type is AuthType.PI_AUTH:
        return pi_credential(_pi_provider(spec), env=env, home=home)
    if not reference:
        # The common case, on every request: a variable holds the key. Read here directly,
        # before any other place is described.
        for name in spec.env_vars:
            held = _read_env(env, name)
            if held is not None:
                return _from_environment(name, held, auth_type)
    looked: list[str] = []
    keychain_usable = False
    for place in _places(spec, reference, env, home):
        try:
            value = place.read()
        except KeychainUnavailableError as error:
            looked.append(f"{place.description}: {error}")
            continue
        keychain_usable = keychain_usable or place.kind is SourceKind.KEYCHAIN
        if value:
            logger.debug("%s credential found in %s", auth_type, place.description)
            return Credential(secret=Secret(value), auth_type=auth_type, source=place.description)
        looked.append(f"{place.description}: {place.absent}")
    ref = _reference(spec, reference)
    raise CredentialError(
        _missing_message(spec, auth_type, ref, looked, keychain_usable, env, bool(reference))
    )


def describe_sources(
    spec: CredentialSpec,
    auth_type: AuthType,
    *,
    reference: str | None = None,
    env: Mapping[str, str] = os.environ,
    home: Path | None = None,
) -> list[CredentialSource]:
    """Every place :func:`resolve_credential` would consult, in order, and what is there now.

    Takes the same arguments. Values are read only to learn whether they exist; none appears in
    the result, and ``!command`` keys in pi's ``auth.json`` are not run. A refused file is
    reported through ``problem`` instead of raised.
    """
    if auth_type is AuthType.NONE:
        return []
    if auth_type is AuthType.PI_AUTH:
        return [_describe_pi(spec, env, home)]
    sources: list[CredentialSource] = []
    for place in _places(spec, reference, env, home):
        try:
            found = place.read() is not None
        except (CredentialError, KeychainUnavailableError) as error:
            sources.append(CredentialSource(place.kind, place.location, False, str(error)))
        else:
            sources.append(CredentialSource(place.kind, place.location, found))
    return sources


def _reference(spec: CredentialSpec, reference: str | None) -> CredentialRef | None:
    if reference:
        return CredentialRef.parse(reference, field=spec.field)
    if spec.credential:
        return CredentialRef(spec.credential, field=spec.field)
    return None


def _pi_provider(spec: CredentialSpec) -> str:
    if spec.pi_provider is None:
        raise CredentialError(
            "this provider has no entry in pi's auth.json, so auth_type 'pi_auth' cannot work"
            " for it; use 'api_key' or 'oauth_token'"
        )
    return spec.pi_provider


def _describe_pi(
    spec: CredentialSpec, env: Mapping[str, str], home: Path | None
) -> CredentialSource:
    path = pi_auth_file(env, home_dir(home, env))
    try:
        provider = _pi_provider(spec)
        read_pi_entry(path, provider)
    except CredentialError as error:
        return CredentialSource(SourceKind.PI_AUTH, str(path), False, str(error))
    return CredentialSource(SourceKind.PI_AUTH, f"{path} entry {provider}", True)


def _places(
    spec: CredentialSpec, reference: str | None, env: Mapping[str, str], home: Path | None
) -> Iterator[_Place]:
    # A model that names its credential (`credential = "anthropic_key:work"`) means that one:
    # the provider's environment variable must not quietly win over it.
    env_vars = () if reference else spec.env_vars
    for name in env_vars:
        yield _Place(
            SourceKind.ENVIRONMENT,
            name,
            f"environment variable {name}",
            "not set",
            functools.partial(_read_env, env, name),
        )
    # Made only when no variable held the credential: parsing the reference and building
    # these paths costs more than every other step of preparing a request together.
    ref = _reference(spec, reference)
    if ref is None:
        return
    own = tree_file(credentials_dir(env), ref)
    yield _file_place(SourceKind.HOTSWAP_FILE, own)
    action_llama = tree_file(action_llama_dir(env, home_dir(home, env)), ref)
    if action_llama != own:  # HOTSWAP_CREDENTIALS_DIR may point at the Action Llama tree
        yield _file_place(SourceKind.ACTION_LLAMA_FILE, action_llama)
    username = keychain_username(ref)
    yield _Place(
        SourceKind.KEYCHAIN,
        f"service {SERVICE}, username {username}",
        f"keychain {SERVICE} {username}",
        "no entry",
        functools.partial(read_keychain, ref),
    )


def _file_place(kind: SourceKind, path: Path) -> _Place:
    return _Place(
        kind, str(path), f"file {path}", "no such file", functools.partial(read_tree_value, path)
    )


@functools.lru_cache(maxsize=16)
def _from_environment(name: str, value: str, auth_type: AuthType) -> Credential:
    # Credentials are immutable: the same variable holding the same value gives the same one,
    # and a changed value a new one.
    logger.debug("%s credential found in environment variable %s", auth_type, name)
    return Credential(
        secret=Secret(value), auth_type=auth_type, source=f"environment variable {name}"
    )


def _read_env(env: Mapping[str, str], name: str) -> str | None:
    return env.get(name, "").strip() or None


def _missing_message(
    spec: CredentialSpec,
    auth_type: AuthType,
    ref: CredentialRef | None,
    looked: list[str],
    keychain_usable: bool,
    env: Mapping[str, str],
    explicit: bool,
) -> str:
    subject = f"no {auth_type} credential found" + (f" for {ref}" if ref else "")
    if not looked:
        return (
            f"{subject}: the provider names no environment variable or credential for {auth_type}."
            '\n  Set `credential = "TYPE"` on the model to read one from a credentials directory'
        )
    fixes: list[str] = []
    if spec.env_vars and not explicit:
        fixes.append(f"set {spec.env_vars[0]}")
    if ref:
        what = "token" if auth_type is AuthType.OAUTH_TOKEN else "key"
        fixes.append(f"write the {what} to {tree_file(credentials_dir(env), ref)} (chmod 600)")
        if keychain_usable:
            fixes.append(f"run `keyring set {SERVICE} {keychain_username(ref)}`")
    places = "\n".join(f"  - {line}" for line in looked)
    return f"{subject}. Looked in, in this order:\n{places}\n  To fix: {', or '.join(fixes)}"
