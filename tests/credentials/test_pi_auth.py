"""Reading pi's auth.json for auth_type pi_auth, and merging an entry back into it."""

from __future__ import annotations

import json
import os
import shlex
import time
from typing import TYPE_CHECKING

import pytest

from hotswap import CredentialError
from hotswap.credentials import pi_auth, resolve_credential, update_pi_entry
from hotswap.types.auth import AuthType, CredentialSpec

if TYPE_CHECKING:
    from pathlib import Path

    from hotswap.types.auth import Credential

    from .conftest import WritePiAuth

PI_SPEC = CredentialSpec(env_vars=("ANTHROPIC_API_KEY",), pi_provider="anthropic")
LOGIN_HINT = "Log in with pi: run `pi`, then `/login`."
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX notion")


def resolve(env: dict[str, str]) -> Credential:
    credential = resolve_credential(PI_SPEC, AuthType.PI_AUTH, env=env)
    assert credential is not None
    return credential


# --- api_key entries -------------------------------------------------------------------------


def test_an_api_key_entry_gives_its_literal_key(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth({"anthropic": {"type": "api_key", "key": "sk-ant-api03-literal"}})

    credential = resolve(env)

    assert credential.secret.reveal() == "sk-ant-api03-literal"
    assert credential.auth_type is AuthType.PI_AUTH
    assert credential.source == "pi auth.json entry anthropic"
    assert credential.refresh_token is None
    assert credential.expires_at is None


def test_an_api_key_naming_a_set_environment_variable_gives_its_value(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth({"anthropic": {"type": "api_key", "key": "MY_ANTHROPIC_KEY"}})
    env["MY_ANTHROPIC_KEY"] = "sk-ant-api03-from-named-variable"

    assert resolve(env).secret.reveal() == "sk-ant-api03-from-named-variable"


def test_an_api_key_naming_an_unset_variable_is_taken_literally(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth({"anthropic": {"type": "api_key", "key": "MY_ANTHROPIC_KEY"}})

    assert resolve(env).secret.reveal() == "MY_ANTHROPIC_KEY"


def test_an_api_key_starting_with_a_bang_is_a_command_whose_output_is_the_key(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth({"anthropic": {"type": "api_key", "key": "!echo sk-test-value"}})

    assert resolve(env).secret.reveal() == "sk-test-value"


def test_a_key_command_runs_once_per_process(
    env: dict[str, str], write_pi_auth: WritePiAuth, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    command = f"echo run >> {shlex.quote(str(runs))}; echo sk-test-cached"
    write_pi_auth({"anthropic": {"type": "api_key", "key": f"!{command}"}})

    first, second = resolve(env), resolve(env)

    assert first.secret.reveal() == second.secret.reveal() == "sk-test-cached"
    assert runs.read_text() == "run\n"


def test_a_key_command_sees_the_given_environment(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth({"anthropic": {"type": "api_key", "key": '!echo "$KEY_FOR_COMMAND"'}})
    env["KEY_FOR_COMMAND"] = "sk-test-through-environment"

    assert resolve(env).secret.reveal() == "sk-test-through-environment"


def test_a_failing_key_command_names_the_entry_but_not_its_output(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth(
        {"anthropic": {"type": "api_key", "key": "!echo sk-test-half-printed; exit 3"}}
    )

    with pytest.raises(CredentialError) as caught:
        resolve(env)

    assert str(caught.value) == (
        f"the key command of entry 'anthropic' in pi's auth file {path} failed with exit status 3;"
        " run it yourself to see why"
    )


def test_a_key_command_that_takes_too_long_is_stopped(
    env: dict[str, str], write_pi_auth: WritePiAuth, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pi_auth, "COMMAND_TIMEOUT", 0.2)
    write_pi_auth({"anthropic": {"type": "api_key", "key": "!exec sleep 5"}})

    with pytest.raises(CredentialError, match=r"did not finish within 0\.2 s"):
        resolve(env)


# --- oauth entries ---------------------------------------------------------------------------


def test_an_oauth_entry_gives_access_and_refresh_tokens_and_expiry_in_seconds(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth(
        {
            "anthropic": {
                "type": "oauth",
                "access": "sk-ant-oat01-access",
                "refresh": "sk-ant-ort01-refresh",
                "expires": 1767225600000,
            }
        }
    )

    credential = resolve(env)

    assert credential.secret.reveal() == "sk-ant-oat01-access"
    assert credential.refresh_token is not None
    assert credential.refresh_token.reveal() == "sk-ant-ort01-refresh"
    assert credential.expires_at == 1767225600.0
    assert credential.auth_type is AuthType.PI_AUTH
    assert credential.source == "pi auth.json entry anthropic"


def test_an_expired_oauth_token_is_returned_as_it_is(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth(
        {"anthropic": {"type": "oauth", "access": "sk-ant-oat01-old", "refresh": "r", "expires": 1}}
    )

    credential = resolve(env)

    assert credential.secret.reveal() == "sk-ant-oat01-old"
    assert credential.expires_at == 0.001


# --- where the file is, and what if it is not ------------------------------------------------


def test_pi_coding_agent_dir_moves_the_file(
    env: dict[str, str], tmp_path: Path, write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth({"anthropic": {"type": "api_key", "key": "sk-from-default-place"}})
    agent_dir = tmp_path / "agent"
    agent_dir.mkdir(mode=0o700)
    (agent_dir / "auth.json").write_text('{"anthropic": {"type": "api_key", "key": "sk-moved"}}')
    os.chmod(agent_dir / "auth.json", 0o600)
    env["PI_CODING_AGENT_DIR"] = str(agent_dir)

    assert resolve(env).secret.reveal() == "sk-moved"


def test_a_missing_file_says_which_file_and_entry_and_how_to_log_in(
    env: dict[str, str], pi_auth_path: Path
) -> None:
    with pytest.raises(CredentialError) as caught:
        resolve(env)

    assert str(caught.value) == (
        f"pi's auth file {pi_auth_path} does not exist (looked for entry 'anthropic').\n  "
        + LOGIN_HINT
    )


def test_a_missing_entry_says_which_file_and_entry_and_how_to_log_in(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth({"openai": {"type": "api_key", "key": "sk-openai"}})

    with pytest.raises(CredentialError) as caught:
        resolve(env)

    assert str(caught.value) == f"pi's auth file {path} has no entry 'anthropic'.\n  " + LOGIN_HINT


def test_an_entry_of_an_unknown_type_is_refused(
    env: dict[str, str], write_pi_auth: WritePiAuth
) -> None:
    write_pi_auth({"anthropic": {"type": "device_code", "code": "x"}})

    with pytest.raises(CredentialError, match="has type 'device_code'"):
        resolve(env)


def test_pi_auth_only_reads_pis_file_not_the_environment(
    env: dict[str, str], pi_auth_path: Path
) -> None:
    env["ANTHROPIC_API_KEY"] = "sk-ant-api03-from-env"

    with pytest.raises(CredentialError, match="does not exist"):
        resolve(env)


def test_a_provider_without_a_pi_entry_cannot_use_pi_auth(env: dict[str, str]) -> None:
    spec = CredentialSpec(env_vars=("OLLAMA_KEY",))

    with pytest.raises(CredentialError, match="auth_type 'pi_auth' cannot work"):
        resolve_credential(spec, AuthType.PI_AUTH, env=env)


# --- writing an entry back -------------------------------------------------------------------


def test_updating_an_entry_keeps_every_other_entry(
    env: dict[str, str], home: Path, write_pi_auth: WritePiAuth
) -> None:
    openai = {"type": "api_key", "key": "sk-openai"}
    path = write_pi_auth({"anthropic": {"type": "api_key", "key": "old"}, "openai": openai})
    new = {"type": "oauth", "access": "a", "refresh": "r", "expires": 2}

    update_pi_entry("anthropic", new, env=env, home=home)

    assert json.loads(path.read_text()) == {"anthropic": new, "openai": openai}


@posix_only
def test_an_updated_file_has_mode_0600(
    env: dict[str, str], home: Path, write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth({})
    os.chmod(path, 0o644)

    update_pi_entry("anthropic", {"type": "api_key", "key": "k"}, env=env, home=home)

    assert path.stat().st_mode & 0o777 == 0o600


@posix_only
def test_updating_creates_the_file_and_a_private_directory(
    env: dict[str, str], home: Path, pi_auth_path: Path
) -> None:
    update_pi_entry("anthropic", {"type": "api_key", "key": "k"}, env=env, home=home)

    assert json.loads(pi_auth_path.read_text()) == {"anthropic": {"type": "api_key", "key": "k"}}
    assert pi_auth_path.parent.stat().st_mode & 0o777 == 0o700


def test_updating_leaves_no_lock_directory_or_temporary_file(
    env: dict[str, str], home: Path, write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth({})

    update_pi_entry("anthropic", {"type": "api_key", "key": "k"}, env=env, home=home)

    assert sorted(p.name for p in path.parent.iterdir()) == ["auth.json"]


def test_updating_takes_over_a_stale_lock(
    env: dict[str, str], home: Path, write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth({})
    lock = path.with_name("auth.json.lock")
    lock.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(lock, (an_hour_ago, an_hour_ago))

    update_pi_entry("anthropic", {"type": "api_key", "key": "k"}, env=env, home=home)

    assert json.loads(path.read_text()) == {"anthropic": {"type": "api_key", "key": "k"}}
    assert not lock.exists()


def test_updating_a_file_that_is_not_json_leaves_it_untouched(
    env: dict[str, str], home: Path, write_pi_auth: WritePiAuth
) -> None:
    path = write_pi_auth({})
    path.write_text("{not json")

    with pytest.raises(CredentialError, match="is not valid JSON"):
        update_pi_entry("anthropic", {"type": "api_key", "key": "k"}, env=env, home=home)

    assert path.read_text() == "{not json"
    assert not path.with_name("auth.json.lock").exists()
