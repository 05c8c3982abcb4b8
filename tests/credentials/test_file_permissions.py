"""Credential files other users could read or change are refused, loudly (POSIX only)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from hotswap import CredentialError
from hotswap.credentials import resolve_credential
from hotswap.types.auth import AuthType, CredentialSpec

if TYPE_CHECKING:
    from .conftest import MemoryKeyring, Trees, WritePiAuth

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")

# These tests set unsafe modes on purpose, hence the S103 ("permissive mask") exemptions.


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_file_open_to_group_or_others_is_refused_with_its_mode_and_the_fix(
    mode: int, spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    path = trees.write(trees.hotswap, "sk-ant-api03-exposed", mode=mode)

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.API_KEY, env=env)

    assert str(caught.value) == (
        f"refusing to use credential file {path}: its mode is {mode:04o},"
        f" so other users can read or change it.\n  Fix: chmod 600 {path}"
    )


def test_a_refused_file_does_not_fall_through_to_later_sources(
    spec: CredentialSpec, env: dict[str, str], trees: Trees, keychain: MemoryKeyring
) -> None:
    trees.write(trees.hotswap, "sk-ant-api03-exposed", mode=0o644)
    trees.write(trees.action_llama, "sk-ant-api03-safe")
    keychain.set_password("hotswap", "anthropic_key/default", "sk-ant-api03-in-keychain")

    with pytest.raises(CredentialError, match="refusing to use credential file"):
        resolve_credential(spec, AuthType.API_KEY, env=env)


def test_an_owner_only_read_only_file_is_accepted(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    trees.write(trees.hotswap, "sk-ant-api03-read-only", mode=0o400)

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-ant-api03-read-only"


@pytest.mark.parametrize("directory", ["instance", "type"])
def test_a_directory_others_can_write_to_is_refused_with_its_mode_and_the_fix(
    directory: str, spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    path = trees.write(trees.action_llama, "sk-ant-api03-replaceable")
    shared = path.parent if directory == "instance" else path.parent.parent
    os.chmod(shared, 0o777)  # noqa: S103

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.API_KEY, env=env)

    assert str(caught.value) == (
        f"refusing to use credential file {path}: its directory {shared} has mode 0777,"
        f" so other users can replace it.\n  Fix: chmod 700 {shared}"
    )


def test_a_directory_others_can_only_read_is_accepted(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    path = trees.write(trees.hotswap, "sk-ant-api03-fine")
    os.chmod(path.parent, 0o755)  # noqa: S103

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None


def test_every_problem_with_a_file_is_named_at_once(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    path = trees.write(trees.hotswap, "sk-ant-api03-exposed", mode=0o666)
    os.chmod(path.parent, 0o775)  # noqa: S103

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.API_KEY, env=env)

    assert f"chmod 600 {path}" in str(caught.value)
    assert f"chmod 700 {path.parent}" in str(caught.value)


def test_pis_auth_file_open_to_others_is_refused(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth({"anthropic": {"type": "api_key", "key": "sk-ant-api03-exposed"}})
    os.chmod(path, 0o644)
    spec = CredentialSpec(pi_provider="anthropic")

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.PI_AUTH, env=env)

    assert f"its mode is 0644, so other users can read or change it.\n  Fix: chmod 600 {path}" in (
        str(caught.value)
    )
