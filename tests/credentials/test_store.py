"""Writing a credential into hotswap's credentials directory."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from hotswap import CredentialError
from hotswap.credentials import resolve_credential, store_credential_file
from hotswap.types.auth import AuthType, CredentialSpec
from hotswap.types.redaction import Secret

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import Trees

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_value_is_written_with_a_trailing_newline_at_type_instance_field(
    env: dict[str, str], trees: Trees
) -> None:
    path = store_credential_file("anthropic_key", "work", "token", Secret("sk-stored"), env=env)

    assert path == trees.hotswap / "anthropic_key" / "work" / "token"
    assert path.read_text() == "sk-stored\n"


def test_a_stored_value_is_what_resolution_finds(spec: CredentialSpec, env: dict[str, str]) -> None:
    path = store_credential_file("anthropic_key", "default", "token", Secret("sk-round"), env=env)

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-round"
    assert credential.source == f"file {path}"


@posix_only
def test_the_file_is_0600_and_every_created_directory_0700(
    env: dict[str, str], trees: Trees
) -> None:
    path = store_credential_file("anthropic_key", "default", "token", Secret("sk-x"), env=env)

    assert mode(path) == 0o600
    assert [mode(d) for d in (path.parent, path.parent.parent, trees.hotswap)] == [0o700] * 3


@posix_only
def test_the_file_is_never_readable_by_others_even_before_it_is_in_place(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    modes_before_rename: list[int] = []
    real_replace = os.replace

    def replace(source: str, destination: Path) -> None:
        modes_before_rename.append(os.stat(source).st_mode & 0o777)
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)

    store_credential_file("anthropic_key", "default", "token", Secret("sk-x"), env=env)

    assert modes_before_rename == [0o600]


@posix_only
def test_existing_type_and_instance_directories_are_made_private(
    env: dict[str, str], trees: Trees
) -> None:
    instance = trees.hotswap / "anthropic_key" / "default"
    instance.mkdir(parents=True)
    # Unsafe on purpose: these are the modes being fixed.
    os.chmod(instance, 0o775)  # noqa: S103
    os.chmod(instance.parent, 0o775)  # noqa: S103

    store_credential_file("anthropic_key", "default", "token", Secret("sk-x"), env=env)

    assert (mode(instance), mode(instance.parent)) == (0o700, 0o700)


def test_an_existing_value_is_replaced_and_no_temporary_file_is_left(
    env: dict[str, str], trees: Trees
) -> None:
    old = trees.write(trees.hotswap, "sk-old\n")

    new = store_credential_file("anthropic_key", "default", "token", Secret("sk-new"), env=env)

    assert new == old
    assert new.read_text() == "sk-new\n"
    assert [p.name for p in new.parent.iterdir()] == ["token"]


def test_an_empty_value_is_refused(env: dict[str, str]) -> None:
    with pytest.raises(CredentialError, match="refusing to write an empty credential"):
        store_credential_file("anthropic_key", "default", "token", Secret("  \n"), env=env)


def test_a_name_that_could_leave_the_tree_is_refused(env: dict[str, str], home: Path) -> None:
    with pytest.raises(CredentialError, match=r"invalid credential instance '\.\.'"):
        store_credential_file("anthropic_key", "..", "token", Secret("sk-x"), env=env)

    assert not (home / ".config").exists()
