"""Every invalid file gets an error naming the file, the key path, what is wrong and what is
allowed instead."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from hotswap import ConfigError, ErrorKind
from hotswap.config import load_config_file

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import WriteFile

SONNET = """
    [models.sonnet]
    provider = "anthropic"
    model = "claude-sonnet-4-20250514"
"""


def _error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config_file(path)
    return caught.value


def test_message_names_file_key_problem_and_fix(write_file: WriteFile) -> None:
    path = write_file("hotswap.toml", SONNET + 'auth_type = "apikey"\n')

    assert str(_error(path)) == (
        f"{path}: models.sonnet.auth_type: 'apikey' is not allowed\n"
        "  allowed values: api_key, oauth_token, pi_auth, none. Did you mean 'api_key'?"
    )


def test_toml_syntax_error_gives_line_and_column(write_file: WriteFile) -> None:
    path = write_file("hotswap.toml", '[models.sonnet]\nprovider = "anthropic\n')

    error = _error(path)

    assert error.path == str(path)
    assert error.key is None
    assert error.problem.startswith("not valid TOML: ")
    assert "line 2, column " in error.problem


def test_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "hotswap.toml"
    path.write_bytes(b'primary = "caf\xe9"\n')

    assert _error(path).problem == "the file is not UTF-8 text"


def test_unknown_model_key_lists_allowed_keys_and_the_nearest(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", SONNET + "context_windw = 1000\n"))

    assert error.key == "models.sonnet.context_windw"
    assert error.problem == "unknown key"
    assert error.fix == (
        "allowed keys: provider, model, auth_type, thinking_level, base_url, timeout_s, "
        "credential, headers, options, context_window, prefill. Did you mean 'context_window'?"
    )


def test_unknown_failover_key_lists_the_failover_keys(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", "[failover]\nretries = 2\n"))

    assert error.key == "failover.retries"
    assert error.fix == (
        "allowed keys: profile, conditions, cooldown_s, max_cooldown_s, max_retries, "
        "retry_delay_ms, breaker_kinds, "
        "cooldowns, same_model_retries, wait_retry_after_s, stream_recovery, "
        "connect_timeout_s, first_event_timeout_s, idle_timeout_s, attempt_timeout_s, "
        "deadline_s. Did you mean 'max_retries'?"
    )


def test_unknown_top_level_key_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", '[chain.default]\nmodels = ["ollama/llama3"]\n'))

    assert error.key == "chain"
    assert error.problem == "unknown key"
    assert error.fix == (
        "allowed keys: models, chains, failover, primary, failover_config. Did you mean 'chains'?"
    )


def test_unknown_top_level_table_in_a_config_toml_is_ignored(
    write_file: WriteFile, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_file(
        "config.toml", SONNET + '[gateway]\nport = 8080\n[local]\nimage = "al-agent"\n'
    )

    with caplog.at_level(logging.DEBUG, logger="hotswap.config"):
        config = load_config_file(path)

    assert list(config.models) == ["sonnet"]
    assert f"{path}: ignoring [gateway], which is not a hotswap table" in caplog.text


def test_unknown_top_level_value_in_a_config_toml_is_still_an_error(
    write_file: WriteFile,
) -> None:
    error = _error(write_file("config.toml", 'primry = "ollama/llama3"\n'))

    assert error.key == "primry"
    assert error.fix.endswith("Did you mean 'primary'?")


def test_model_without_provider_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", '[models.sonnet]\nmodel = "claude"\n'))

    assert error.key == "models.sonnet.provider"
    assert error.problem == "required key is missing"
    assert error.fix == "add provider = ... to [models.sonnet]."


def test_model_without_model_id_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", '[models.sonnet]\nprovider = "anthropic"\n'))

    assert error.key == "models.sonnet.model"
    assert error.problem == "required key is missing"


def test_string_where_a_number_belongs_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", SONNET + 'timeout_s = "60"\n'))

    assert error.key == "models.sonnet.timeout_s"
    assert error.problem == "expected a number, got a string"


def test_boolean_where_an_integer_belongs_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", "[failover]\nmax_retries = true\n"))

    assert error.key == "failover.max_retries"
    assert error.problem == "expected an integer, got a boolean"


def test_model_that_is_not_a_table_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", '[models]\nsonnet = "claude-sonnet-4"\n'))

    assert error.key == "models.sonnet"
    assert error.problem == "expected a table, got a string"


def test_bad_thinking_level_lists_the_levels(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", SONNET + 'thinking_level = "max"\n'))

    assert error.key == "models.sonnet.thinking_level"
    assert error.fix == "allowed values: off, minimal, low, medium, high, xhigh."


def test_bad_condition_lists_the_error_kinds(write_file: WriteFile) -> None:
    error = _error(
        write_file("hotswap.toml", '[failover]\nconditions = ["timeout", "ratelimit"]\n')
    )

    assert error.key == "failover.conditions[1]"
    assert error.problem == "'ratelimit' is not allowed"
    assert error.fix == (
        "allowed values: rate_limited, overloaded, server_error, timeout, connection, auth, "
        "permission, quota_exhausted, context_length, content_filter, invalid_request, "
        "not_found, unknown. Did you mean 'rate_limited'?"
    )


def test_non_positive_timeout_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", SONNET + "timeout_s = 0\n"))

    assert error.key == "models.sonnet.timeout_s"
    assert (error.problem, error.fix) == ("0 is too small", "use a number > 0.")


def test_negative_retries_are_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", "[failover]\nmax_retries = -1\n"))

    assert (error.problem, error.fix) == ("-1 is too small", "use a number >= 0.")


def test_provider_name_must_be_lower_case(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", '[models.gpt]\nprovider = "OpenAI"\nmodel = "x"\n'))

    assert error.key == "models.gpt.provider"
    assert error.problem == "not a provider name"


def test_base_url_must_be_http(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", SONNET + 'base_url = "localhost:8080"\n'))

    assert error.key == "models.sonnet.base_url"
    assert error.problem == "not an http(s) URL"


def test_credential_must_be_a_type_or_type_and_instance(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", SONNET + 'credential = "../../etc/passwd"\n'))

    assert error.key == "models.sonnet.credential"
    assert error.problem == "not a credential reference"


def test_name_inside_a_model_table_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", SONNET + 'name = "opus"\n'))

    assert error.key == "models.sonnet.name"
    assert error.problem == "a model's name is the name of its table"


def test_empty_chain_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", "[chains.default]\nmodels = []\n"))

    assert error.key == "chains.default.models"
    assert error.problem == "a chain needs at least one model"
    assert error.fix == (
        'list [models] names or PROVIDER/MODEL-ID references: models = ["sonnet", "ollama/llama3"].'
    )


def test_chain_without_models_key_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", "[chains.default]\n"))

    assert error.key == "chains.default.models"
    assert error.problem == "required key is missing"


def test_chain_naming_an_undefined_model_lists_the_defined_ones(write_file: WriteFile) -> None:
    path = write_file("hotswap.toml", SONNET + '[chains.default]\nmodels = ["sonnet", "sonet4"]\n')

    error = _error(path)

    assert (error.path, error.key) == (str(path), "chains.default.models[1]")
    assert error.problem == "chain 'default' names 'sonet4', which is not defined in [models]"
    assert error.fix == (
        "defined models: sonnet. Did you mean 'sonnet'? "
        "Or write an inline PROVIDER/MODEL-ID reference, like ollama/llama3."
    )


def test_chain_naming_a_model_when_none_are_defined(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", '[chains.default]\nmodels = ["sonnet"]\n'))

    assert error.fix.startswith("defined models: none. Or write an inline")


def test_malformed_inline_reference_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", '[chains.default]\nmodels = ["ollama/"]\n'))

    assert error.key == "chains.default.models[0]"
    assert error.problem == "not a provider/model reference"
    assert error.fix == "an inline reference is PROVIDER/MODEL-ID, like ollama/llama3."


def test_key_path_quotes_names_that_are_not_bare_keys(write_file: WriteFile) -> None:
    error = _error(
        write_file("hotswap.toml", '[models."claude 4"]\nprovider = "anthropic"\nmodel = 4\n')
    )

    assert error.key == 'models."claude 4".model'


def test_failover_that_is_neither_table_nor_list_is_an_error(write_file: WriteFile) -> None:
    error = _error(write_file("hotswap.toml", 'failover = "haiku"\n'))

    assert error.key == "failover"
    assert error.problem == "expected a table of failover settings, got a string"


def test_a_per_kind_cooldown_keeps_the_long_defaults_of_the_other_kinds(
    write_file: WriteFile,
) -> None:
    config = load_config_file(
        write_file("hotswap.toml", "[failover.cooldowns]\nrate_limited = 5\n")
    )

    assert config.failover.cooldowns == {
        ErrorKind.RATE_LIMITED: 5.0,
        ErrorKind.QUOTA_EXHAUSTED: 3600.0,
        ErrorKind.AUTH: 3600.0,
        ErrorKind.PERMISSION: 3600.0,
    }
