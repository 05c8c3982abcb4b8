"""Where resolve_credential looks for an api_key or oauth_token credential, and in what order."""

from __future__ import annotations

import itertools
import logging
import sys
from typing import TYPE_CHECKING

import pytest

from hotswap import CredentialError
from hotswap.credentials import resolve_credential
from hotswap.types.auth import AuthType, CredentialSpec

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import LockedKeyring, MemoryKeyring, Trees

SOURCES = ("environment", "hotswap_file", "action_llama_file", "keychain")


def place(
    source: str, value: str, *, env: dict[str, str], trees: Trees, keychain: MemoryKeyring
) -> None:
    """Put ``value`` where ``source`` keeps the anthropic_key/default credential."""
    if source == "environment":
        env["ANTHROPIC_API_KEY"] = value
    elif source == "hotswap_file":
        trees.write(trees.hotswap, value)
    elif source == "action_llama_file":
        trees.write(trees.action_llama, value)
    else:
        keychain.set_password("hotswap", "anthropic_key/default", value)


# --- each source on its own ------------------------------------------------------------------


def test_an_environment_variable_is_found(spec: CredentialSpec, env: dict[str, str]) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-ant-api03-from-env"

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-ant-api03-from-env"
    assert credential.auth_type is AuthType.API_KEY
    assert credential.source == "environment variable ANTHROPIC_API_KEY"


def test_the_first_non_empty_environment_variable_wins(env: dict[str, str]) -> None:
    spec = CredentialSpec(env_vars=("ANTHROPIC_OAUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"))
    env["ANTHROPIC_OAUTH_TOKEN"] = ""
    env["CLAUDE_CODE_OAUTH_TOKEN"] = "sk-ant-oat01-second"

    credential = resolve_credential(spec, AuthType.OAUTH_TOKEN, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-ant-oat01-second"
    assert credential.auth_type is AuthType.OAUTH_TOKEN
    assert credential.source == "environment variable CLAUDE_CODE_OAUTH_TOKEN"


def test_a_variable_changed_between_requests_gives_the_new_key(
    spec: CredentialSpec, env: dict[str, str]
) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-ant-api03-old"
    old = resolve_credential(spec, AuthType.API_KEY, env=env)
    env["ANTHROPIC_API_KEY"] = "sk-ant-api03-rotated"
    new = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert old is not None
    assert old.secret.reveal() == "sk-ant-api03-old"
    assert new is not None
    assert new.secret.reveal() == "sk-ant-api03-rotated"


def test_a_file_in_hotswaps_credentials_directory_is_found_and_trimmed(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    path = trees.write(trees.hotswap, "  sk-ant-api03-from-hotswap-file\n\n")

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-ant-api03-from-hotswap-file"
    assert credential.source == f"file {path}"


def test_a_file_in_the_action_llama_tree_is_found(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    path = trees.write(trees.action_llama, "sk-ant-api03-from-action-llama\n")

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-ant-api03-from-action-llama"
    assert credential.source == f"file {path}"


def test_a_keychain_entry_is_found(
    spec: CredentialSpec, env: dict[str, str], keychain: MemoryKeyring
) -> None:
    keychain.set_password("hotswap", "anthropic_key/default", "sk-ant-api03-from-keychain")

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-ant-api03-from-keychain"
    assert credential.source == "keychain hotswap anthropic_key/default"


def test_a_blank_file_counts_as_absent(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    trees.write(trees.hotswap, "\n")
    trees.write(trees.action_llama, "sk-ant-api03-from-action-llama")

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-ant-api03-from-action-llama"


# --- the order between every pair of sources -------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later"),
    list(itertools.combinations(SOURCES, 2)),
    ids=[f"{a}-beats-{b}" for a, b in itertools.combinations(SOURCES, 2)],
)
def test_an_earlier_source_beats_a_later_one(
    earlier: str,
    later: str,
    spec: CredentialSpec,
    env: dict[str, str],
    trees: Trees,
    keychain: MemoryKeyring,
) -> None:
    place(later, "value-from-later", env=env, trees=trees, keychain=keychain)
    place(earlier, "value-from-earlier", env=env, trees=trees, keychain=keychain)

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "value-from-earlier"


# --- what chooses the place ------------------------------------------------------------------


def test_a_reference_with_an_instance_reads_that_instance(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    trees.write(trees.hotswap, "sk-default", entry="anthropic_key/default/token")
    path = trees.write(trees.hotswap, "sk-work", entry="anthropic_key/work/token")

    credential = resolve_credential(spec, AuthType.API_KEY, reference="anthropic_key:work", env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-work"
    assert credential.source == f"file {path}"


def test_a_named_credential_wins_over_the_providers_environment_variable(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-from-environment"
    path = trees.write(trees.hotswap, "sk-work", entry="anthropic_key/work/token")

    credential = resolve_credential(spec, AuthType.API_KEY, reference="anthropic_key:work", env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-work"
    assert credential.source == f"file {path}"


def test_a_missing_named_credential_does_not_suggest_the_environment_variable(
    spec: CredentialSpec, env: dict[str, str]
) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-from-environment"

    with pytest.raises(CredentialError) as raised:
        resolve_credential(spec, AuthType.API_KEY, reference="anthropic_key:work", env=env)

    assert "ANTHROPIC_API_KEY" not in str(raised.value)
    assert "anthropic_key/work/token" in str(raised.value)


def test_a_reference_without_an_instance_replaces_the_type_and_reads_default(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    trees.write(trees.hotswap, "sk-anthropic", entry="anthropic_key/default/token")
    trees.write(trees.hotswap, "sk-custom", entry="custom_key/default/token")

    credential = resolve_credential(spec, AuthType.API_KEY, reference="custom_key", env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-custom"


def test_a_reference_picks_the_keychain_username_too(
    spec: CredentialSpec, env: dict[str, str], keychain: MemoryKeyring
) -> None:
    keychain.set_password("hotswap", "anthropic_key/work", "sk-work-from-keychain")

    credential = resolve_credential(spec, AuthType.API_KEY, reference="anthropic_key:work", env=env)

    assert credential is not None
    assert credential.source == "keychain hotswap anthropic_key/work"


@pytest.mark.parametrize("reference", ["../anthropic_key", "anthropic_key:../../etc", ":work"])
def test_a_reference_that_could_leave_the_tree_is_refused(
    reference: str, spec: CredentialSpec, env: dict[str, str]
) -> None:
    with pytest.raises(CredentialError, match="invalid credential"):
        resolve_credential(spec, AuthType.API_KEY, reference=reference, env=env)


def test_al_credentials_path_replaces_the_action_llama_tree(
    spec: CredentialSpec, env: dict[str, str], trees: Trees, tmp_path: Path
) -> None:
    mounted = tmp_path / "credentials"
    trees.write(trees.action_llama, "sk-from-home-tree")
    path = trees.write(mounted, "sk-from-mounted-tree")
    env["AL_CREDENTIALS_PATH"] = str(mounted)

    credential = resolve_credential(spec, AuthType.API_KEY, env=env)

    assert credential is not None
    assert credential.secret.reveal() == "sk-from-mounted-tree"
    assert credential.source == f"file {path}"


def test_the_home_argument_locates_the_action_llama_tree(
    spec: CredentialSpec, trees: Trees, home: Path
) -> None:
    trees.write(trees.action_llama, "sk-from-action-llama")
    env = {"HOTSWAP_CREDENTIALS_DIR": str(home / "elsewhere")}

    credential = resolve_credential(spec, AuthType.API_KEY, env=env, home=home)

    assert credential is not None
    assert credential.secret.reveal() == "sk-from-action-llama"


def test_auth_type_none_looks_nowhere(spec: CredentialSpec, env: dict[str, str]) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-ant-api03-unused"

    assert resolve_credential(spec, AuthType.NONE, env=env) is None


# --- when nothing is found -------------------------------------------------------------------


def test_the_missing_credential_message_names_every_place_and_the_fix(
    spec: CredentialSpec, env: dict[str, str], trees: Trees
) -> None:
    own = trees.hotswap / "anthropic_key" / "default" / "token"
    action_llama = trees.action_llama / "anthropic_key" / "default" / "token"

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.API_KEY, env=env)

    assert str(caught.value) == (
        "no api_key credential found for anthropic_key/default. Looked in, in this order:\n"
        "  - environment variable ANTHROPIC_API_KEY: not set\n"
        f"  - file {own}: no such file\n"
        f"  - file {action_llama}: no such file\n"
        "  - keychain hotswap anthropic_key/default: no entry\n"
        f"  To fix: set ANTHROPIC_API_KEY, or write the key to {own} (chmod 600),"
        " or run `keyring set hotswap anthropic_key/default`"
    )


def test_without_keyring_the_message_says_the_keychain_is_not_available(
    spec: CredentialSpec, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # makes `import keyring` fail

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.API_KEY, env=env)

    message = str(caught.value)
    assert (
        "  - keychain hotswap anthropic_key/default: keychain not available (pip install keyring)"
        in message
    )
    assert "keyring set" not in message


def test_a_failing_keychain_backend_is_skipped_with_a_debug_log(
    spec: CredentialSpec,
    env: dict[str, str],
    locked_keychain: LockedKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="hotswap.credentials")

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.API_KEY, env=env)

    assert (
        "  - keychain hotswap anthropic_key/default:"
        " keychain not usable (KeyringLocked from the keyring backend)"
    ) in str(caught.value)
    assert "KeyringLocked: the keychain is locked" in caplog.text


def test_a_spec_without_a_credential_name_consults_only_the_environment(
    env: dict[str, str],
) -> None:
    spec = CredentialSpec(env_vars=("GROQ_API_KEY",))

    with pytest.raises(CredentialError) as caught:
        resolve_credential(spec, AuthType.API_KEY, env=env)

    assert str(caught.value) == (
        "no api_key credential found. Looked in, in this order:\n"
        "  - environment variable GROQ_API_KEY: not set\n"
        "  To fix: set GROQ_API_KEY"
    )


def test_a_spec_naming_no_place_says_so(env: dict[str, str]) -> None:
    with pytest.raises(CredentialError, match="names no environment variable or credential"):
        resolve_credential(CredentialSpec(), AuthType.API_KEY, env=env)
