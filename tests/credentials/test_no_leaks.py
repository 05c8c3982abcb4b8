"""No secret found by resolution can be printed by accident."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from hotswap import CredentialError
from hotswap.credentials import describe_sources, resolve_credential
from hotswap.types.auth import AuthType, CredentialSpec

if TYPE_CHECKING:
    from .conftest import MemoryKeyring, Trees, WritePiAuth

SECRET = "sk-ant-api03-never-print-me-0123456789"
REFRESH = "sk-ant-ort01-never-print-me-either-0123"


def assert_hidden(text: str) -> None:
    assert SECRET not in text
    assert REFRESH not in text


@pytest.mark.parametrize("source", ["environment", "file", "keychain"])
def test_no_repr_or_str_of_a_resolved_credential_shows_the_secret(
    source: str,
    spec: CredentialSpec,
    env: dict[str, str],
    trees: Trees,
    keychain: MemoryKeyring,
) -> None:
    if source == "environment":
        env["ANTHROPIC_API_KEY"] = SECRET
    elif source == "file":
        trees.write(trees.hotswap, SECRET)
    else:
        keychain.set_password("hotswap", "anthropic_key/default", SECRET)

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    for text in (repr(credential), str(credential), credential.model_dump_json()):
        assert_hidden(text)


def test_no_repr_or_str_of_a_pi_oauth_credential_shows_either_token(
    spec: CredentialSpec, env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth(
        {"anthropic": {"type": "oauth", "access": SECRET, "refresh": REFRESH, "expires": 0}}
    )

    credential = resolve_credential(spec, AuthType.PI_AUTH, env=env)

    assert credential is not None
    for text in (repr(credential), str(credential), credential.model_dump_json()):
        assert_hidden(text)


@pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")
def test_the_error_for_a_refused_file_does_not_show_its_content(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    trees.write(trees.hotswap, SECRET, mode=0o644)

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.API_KEY, env=env)

    assert_hidden(str(caught.value))
    assert_hidden(repr(caught.value))


def test_the_error_for_a_failing_key_command_does_not_show_its_output(
    spec: CredentialSpec, env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth({"anthropic": {"type": "api_key", "key": f"!echo {SECRET}; exit 1"}})

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.PI_AUTH, env=env)

    assert_hidden(str(caught.value))
    assert_hidden(repr(caught.value))


def test_describing_sources_does_not_show_the_secret(
    spec: CredentialSpec, env: dict[str, str], trees: Trees, keychain: MemoryKeyring
) -> None:
    env["ANTHROPIC_API_KEY"] = SECRET
    trees.write(trees.hotswap, SECRET)
    keychain.set_password("hotswap", "anthropic_key/default", SECRET)

    assert_hidden(repr(describe_sources(spec, AuthType.API_KEY, env=env)))
