"""Reading hotswap's own spelling of a config file, and building a config from Python data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from hotswap import ConfigError, ErrorKind, ThinkingLevel
from hotswap.config import (
    ChainConfig,
    Config,
    FailoverSettings,
    ModelConfig,
    load_config_file,
)
from hotswap.types.auth import AuthType

if TYPE_CHECKING:
    from .conftest import WriteFile

FULL_EXAMPLE = """
    [models.sonnet]
    provider = "anthropic"
    model = "claude-sonnet-4-20250514"
    auth_type = "api_key"
    thinking_level = "medium"
    base_url = "https://proxy.example.com/v1"
    timeout_s = 60
    credential = "anthropic_key:work"
    headers = { "X-Team" = "search" }
    options = { metadata = { user_id = "u1" }, top_k = 5 }
    context_window = 200000

    [models.haiku]
    provider = "anthropic"
    model = "claude-haiku-4-5"

    [chains.default]
    models = ["sonnet", "haiku", "ollama/llama3"]

    [chains.cheap]
    models = ["haiku"]

    [chains.cheap.failover]
    max_retries = 0

    [failover]
    conditions = [
        "rate_limited", "overloaded", "server_error", "timeout", "connection", "context_length",
    ]
    cooldown_s = 30
    max_retries = 2
    retry_delay_ms = 500
"""


def test_every_model_key_is_read(write_file: WriteFile) -> None:
    config = load_config_file(write_file("hotswap.toml", FULL_EXAMPLE))

    assert config.models["sonnet"] == ModelConfig(
        name="sonnet",
        provider="anthropic",
        model="claude-sonnet-4-20250514",
        auth_type=AuthType.API_KEY,
        thinking_level=ThinkingLevel.MEDIUM,
        base_url="https://proxy.example.com/v1",
        timeout_s=60.0,
        credential="anthropic_key:work",
        headers={"X-Team": "search"},
        options={"metadata": {"user_id": "u1"}, "top_k": 5},
        context_window=200000,
    )


def test_optional_model_keys_default_to_unset(write_file: WriteFile) -> None:
    config = load_config_file(write_file("hotswap.toml", FULL_EXAMPLE))

    assert config.models["haiku"] == ModelConfig(
        name="haiku", provider="anthropic", model="claude-haiku-4-5"
    )
    assert config.models["haiku"].auth_type is None
    assert config.models["haiku"].thinking_level is None
    assert config.models["haiku"].headers == {}


def test_chains_keep_their_order_and_own_failover_table(write_file: WriteFile) -> None:
    config = load_config_file(write_file("hotswap.toml", FULL_EXAMPLE))

    assert config.chains == {
        "default": ChainConfig(models=("sonnet", "haiku", "ollama/llama3")),
        "cheap": ChainConfig(models=("haiku",), failover=FailoverSettings(max_retries=0)),
    }


def test_failover_table_is_read(write_file: WriteFile) -> None:
    config = load_config_file(write_file("hotswap.toml", FULL_EXAMPLE))

    assert config.failover == FailoverSettings(
        conditions=(
            ErrorKind.RATE_LIMITED,
            ErrorKind.OVERLOADED,
            ErrorKind.SERVER_ERROR,
            ErrorKind.TIMEOUT,
            ErrorKind.CONNECTION,
            ErrorKind.CONTEXT_LENGTH,
        ),
        cooldown_s=30,
        max_retries=2,
        retry_delay_ms=500,
    )


def test_config_remembers_its_file(write_file: WriteFile) -> None:
    path = write_file("hotswap.toml", FULL_EXAMPLE)

    assert load_config_file(path).source == path


def test_empty_file_gives_empty_config(write_file: WriteFile) -> None:
    config = load_config_file(write_file("hotswap.toml", ""))

    assert (config.models, config.chains, config.agents) == ({}, {}, {})
    assert config.failover == FailoverSettings()


def test_named_entry_resolves_to_its_model(write_file: WriteFile) -> None:
    config = load_config_file(write_file("hotswap.toml", FULL_EXAMPLE))

    assert config.resolve("haiku") is config.models["haiku"]


def test_inline_reference_resolves_to_a_model_named_after_it() -> None:
    config = Config.from_dict({"chains": {"default": {"models": ["ollama/llama3"]}}})

    assert config.resolve("ollama/llama3") == ModelConfig(
        name="ollama/llama3", provider="ollama", model="llama3"
    )


def test_inline_reference_splits_at_the_first_slash() -> None:
    config = Config()

    model = config.resolve("openrouter/anthropic/claude-sonnet-4.5")

    assert (model.provider, model.model) == ("openrouter", "anthropic/claude-sonnet-4.5")


def test_resolving_an_undefined_name_lists_the_defined_models() -> None:
    config = Config.from_dict(
        {"models": {"haiku": {"provider": "anthropic", "model": "claude-haiku-4-5"}}},
        source=Path("hotswap.toml"),
    )

    with pytest.raises(ConfigError) as caught:
        config.resolve("haiky")

    assert str(caught.value) == (
        "hotswap.toml: no model named 'haiky'\n"
        "  defined models: haiku. Did you mean 'haiku'? "
        "Or write an inline PROVIDER/MODEL-ID reference, like ollama/llama3."
    )


def test_chain_is_looked_up_by_name() -> None:
    config = Config.from_dict({"chains": {"fast": {"models": ["groq/llama-3.3-70b"]}}})

    assert config.chain("fast") == ChainConfig(models=("groq/llama-3.3-70b",))


def test_looking_up_an_undefined_chain_lists_the_defined_chains() -> None:
    config = Config.from_dict({"chains": {"fast": {"models": ["groq/llama-3.3-70b"]}}})

    with pytest.raises(ConfigError) as caught:
        config.chain("fats")

    assert caught.value.problem == "no chain named 'fats'"
    assert caught.value.fix == "defined chains: fast. Did you mean 'fast'?"


def test_config_is_built_from_python_data_without_a_file() -> None:
    config = Config.from_dict(
        {
            "models": {"local": {"provider": "ollama", "model": "llama3", "auth_type": "none"}},
            "chains": {"default": {"models": ["local", "openai/gpt-4o"]}},
            "failover": {"max_retries": 1},
        }
    )

    assert config == Config(
        models={
            "local": ModelConfig(
                name="local", provider="ollama", model="llama3", auth_type=AuthType.NONE
            )
        },
        chains={"default": ChainConfig(models=("local", "openai/gpt-4o"))},
        failover=FailoverSettings(max_retries=1),
        source=None,
    )


def test_python_data_is_checked_like_a_file() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict({"models": {"local": {"provider": "ollama", "model": "llama3", "x": 1}}})

    assert caught.value.path is None
    assert caught.value.key == "models.local.x"
    assert str(caught.value).startswith("models.local.x: unknown key\n")


def test_config_is_immutable() -> None:
    config = Config()

    with pytest.raises(ValueError, match="frozen"):
        config.source = Path("other.toml")  # type: ignore[misc]


def test_path_may_be_given_as_a_string(write_file: WriteFile) -> None:
    path = write_file("hotswap.toml", FULL_EXAMPLE)

    assert load_config_file(str(path)).source == path
