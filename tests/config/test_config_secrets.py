"""API keys written into configuration are refused, without repeating them, with directions to
where they belong."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from hotswap import ConfigError
from hotswap.config import Config, load_config_file

if TYPE_CHECKING:
    from .conftest import WriteFile

KEY = "sk-ant-api03-A1b2C3d4E5f6G7h8I9j0"
ENV = {"HOTSWAP_CREDENTIALS_DIR": "/creds"}


def _refusal(data: dict[str, Any]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict(data, env=ENV)
    return caught.value


def _model(**keys: Any) -> dict[str, Any]:
    return {"models": {"sonnet": {"provider": "anthropic", "model": "claude", **keys}}}


@pytest.mark.parametrize(
    "name",
    [
        "api_key",
        "apiKey",
        "key",
        "token",
        "secret",
        "password",
        "access_token",
        "refresh_token",
        "accessToken",
        "openai_api_key",
        "client_secret",
    ],
)
def test_key_named_like_a_secret_is_refused(name: str) -> None:
    error = _refusal(_model(**{name: "hunter2-is-my-password"}))

    assert error.key == f"models.sonnet.{name}"
    assert (
        error.problem == "a key named like a secret is refused: API keys never live in config files"
    )
    assert "hunter2" not in str(error)


def test_refusal_says_where_the_providers_key_belongs() -> None:
    error = _refusal(_model(api_key=KEY))

    assert error.fix == (
        "Delete it from this file and put the key in the environment variable "
        "ANTHROPIC_API_KEY, or in the file /creds/anthropic_key/default/token (mode 600), "
        'or in the OS keychain; a model picks a stored key with credential = "anthropic_key" '
        'or "anthropic_key:INSTANCE". If this file was ever shared, revoke the key.'
    )


def test_refusal_without_a_known_provider_describes_the_places_generally() -> None:
    error = _refusal({"chains": {"default": {"models": ["ollama/llama3"], "token": "x"}}})

    assert error.key == "chains.default.token"
    assert "the provider's environment variable (like ANTHROPIC_API_KEY)" in error.fix
    assert "/creds/PROVIDER_key/default/token (mode 600)" in error.fix


def test_value_shaped_like_a_key_is_refused_under_any_name() -> None:
    error = _refusal(_model(model=KEY))

    assert error.key == "models.sonnet.model"
    assert error.problem == (
        "a value shaped like an API key or token is refused: API keys never live in config files"
    )
    assert KEY not in str(error)
    assert KEY[-8:] not in str(error)


def test_key_shaped_value_nested_in_options_is_refused() -> None:
    error = _refusal(_model(options={"metadata": {"notes": ["fine", f"use {KEY}"]}}))

    assert error.key == "models.sonnet.options.metadata.notes[1]"
    assert KEY not in str(error)


def test_secret_named_option_is_refused() -> None:
    error = _refusal(_model(options={"api_key": "abc"}))

    assert error.key == "models.sonnet.options.api_key"


def test_bearer_token_in_a_header_is_refused() -> None:
    error = _refusal(_model(headers={"X-Proxy-Auth": "Bearer abcdefghijklmnop"}))

    assert error.key == "models.sonnet.headers.X-Proxy-Auth"
    assert "abcdefghijklmnop" not in str(error)


@pytest.mark.parametrize("header", ["Authorization", "x-api-key", "Cookie"])
def test_credential_header_is_refused_whatever_its_value(header: str) -> None:
    error = _refusal(_model(headers={header: "opaque"}))

    assert error.key == f"models.sonnet.headers.{header}"
    assert "opaque" not in str(error)


def test_credential_reference_is_allowed() -> None:
    config = Config.from_dict(_model(credential="anthropic_key:work"), env=ENV)

    assert config.models["sonnet"].credential == "anthropic_key:work"


def test_key_written_as_a_credential_reference_is_refused() -> None:
    error = _refusal(_model(credential=KEY))

    assert error.key == "models.sonnet.credential"
    assert KEY not in str(error)


def test_secret_at_the_top_level_is_refused_before_it_is_called_unknown() -> None:
    error = _refusal({"anthropic_api_key": KEY})

    assert error.key == "anthropic_api_key"
    assert error.problem.startswith("a key named like a secret is refused")


def test_refusal_names_the_file(write_file: WriteFile) -> None:
    path = write_file(
        "hotswap.toml",
        f'[models.gpt]\nprovider = "openai"\nmodel = "gpt-4o"\napiKey = "{KEY}"\n',
    )

    with pytest.raises(ConfigError) as caught:
        load_config_file(path, env=ENV)

    assert (caught.value.path, caught.value.key) == (str(path), "models.gpt.apiKey")
    assert "OPENAI_API_KEY" in caught.value.fix
    assert "/creds/openai_key/default/token" in caught.value.fix
    assert KEY not in str(caught.value)


def test_secret_in_an_agent_file_chain_key_is_refused_naming_the_agent_file(
    write_file: WriteFile,
) -> None:
    main = write_file("hotswap.toml", "")
    agent = write_file("agents/bot/config.toml", f'models = ["ollama/llama3", "{KEY}"]\n')

    with pytest.raises(ConfigError) as caught:
        load_config_file(main, env=ENV)

    assert (caught.value.path, caught.value.key) == (str(agent), "models[1]")
    assert KEY not in str(caught.value)


def test_tables_of_other_tools_in_a_config_toml_are_not_read(write_file: WriteFile) -> None:
    path = write_file("config.toml", '[gateway]\napi_key = "ours-to-ignore"\n')

    assert load_config_file(path, env=ENV).models == {}
