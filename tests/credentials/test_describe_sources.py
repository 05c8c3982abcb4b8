"""describe_sources: the places resolution would consult, in order, for `hotswap doctor`."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import pytest

from hotswap.credentials import CredentialSource, SourceKind, describe_sources
from hotswap.types.auth import AuthType, CredentialSpec

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import MemoryKeyring, Trees, WritePiAuth


def test_every_place_is_listed_in_order_with_whether_it_holds_a_value(
    spec: CredentialSpec, env: dict[str, str], trees: Trees, keychain: MemoryKeyring
) -> None:
    own = trees.write(trees.hotswap, "sk-in-file")
    action_llama = trees.action_llama / "anthropic_key" / "default" / "token"
    keychain.set_password("hotswap", "anthropic_key/default", "sk-in-keychain")

    sources = describe_sources(spec, AuthType.API_KEY, env=env)

    assert sources == [
        CredentialSource(SourceKind.ENVIRONMENT, "ANTHROPIC_API_KEY", holds_value=False),
        CredentialSource(SourceKind.HOTSWAP_FILE, str(own), holds_value=True),
        CredentialSource(SourceKind.ACTION_LLAMA_FILE, str(action_llama), holds_value=False),
        CredentialSource(
            SourceKind.KEYCHAIN, "service hotswap, username anthropic_key/default", True
        ),
    ]


def test_a_named_credential_lists_only_the_places_that_can_hold_it(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    sources = describe_sources(spec, AuthType.API_KEY, reference="custom_key:lab", env=env)

    assert [(s.kind, s.location) for s in sources] == [
        (SourceKind.HOTSWAP_FILE, str(trees.hotswap / "custom_key" / "lab" / "token")),
        (SourceKind.ACTION_LLAMA_FILE, str(trees.action_llama / "custom_key" / "lab" / "token")),
        (SourceKind.KEYCHAIN, "service hotswap, username custom_key/lab"),
    ]


def test_a_tree_that_is_both_hotswaps_and_action_llamas_is_listed_once(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    env["HOTSWAP_CREDENTIALS_DIR"] = str(trees.action_llama)

    kinds = [source.kind for source in describe_sources(spec, AuthType.API_KEY, env=env)]

    assert kinds == [SourceKind.ENVIRONMENT, SourceKind.HOTSWAP_FILE, SourceKind.KEYCHAIN]


@pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")
def test_a_refused_file_is_reported_as_a_problem_instead_of_raised(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    path = trees.write(trees.hotswap, "sk-exposed", mode=0o644)

    source = describe_sources(spec, AuthType.API_KEY, env=env)[1]

    assert source.holds_value is False
    assert source.problem is not None
    assert f"Fix: chmod 600 {path}" in source.problem


def test_a_missing_keychain_is_reported_as_a_problem(
    spec: CredentialSpec, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)

    source = describe_sources(spec, AuthType.API_KEY, env=env)[-1]

    assert source == CredentialSource(
        SourceKind.KEYCHAIN,
        "service hotswap, username anthropic_key/default",
        holds_value=False,
        problem="keychain not available (pip install keyring)",
    )


def test_pi_auth_lists_only_pis_entry(
    spec: CredentialSpec, env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth({"anthropic": {"type": "api_key", "key": "sk-pi"}})

    sources = describe_sources(spec, AuthType.PI_AUTH, env=env)

    assert sources == [CredentialSource(SourceKind.PI_AUTH, f"{path} entry anthropic", True)]


def test_a_pi_key_command_is_not_run_to_describe_it(
    spec: CredentialSpec, env: dict[str, str], write_pi_auth: WritePiAuth, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    write_pi_auth({"anthropic": {"type": "api_key", "key": f"!touch {marker}; echo sk-x"}})

    [source] = describe_sources(spec, AuthType.PI_AUTH, env=env)

    assert source.holds_value is True
    assert not marker.exists()


def test_a_missing_pi_entry_is_reported_as_a_problem(
    spec: CredentialSpec, env: dict[str, str], pi_auth_path: Path
) -> None:
    [source] = describe_sources(spec, AuthType.PI_AUTH, env=env)

    assert source.location == str(pi_auth_path)
    assert source.holds_value is False
    assert source.problem is not None
    assert "does not exist" in source.problem


def test_auth_type_none_has_no_places(spec: CredentialSpec, env: dict[str, str]) -> None:
    assert describe_sources(spec, AuthType.NONE, env=env) == []
