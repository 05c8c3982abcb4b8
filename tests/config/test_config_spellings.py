"""The other spellings that load: camelCase keys, and primary with a failover list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from hotswap import ConfigError, ErrorKind, ThinkingLevel
from hotswap.config import ChainConfig, Config, FailoverSettings, load_config_file
from hotswap.types.auth import AuthType

if TYPE_CHECKING:
    from .conftest import WriteFile


def _model(**keys: Any) -> dict[str, Any]:
    return {"models": {"m": {"provider": "anthropic", "model": "claude-haiku-4-5", **keys}}}


@pytest.mark.parametrize(
    ("camel", "snake", "value", "expected"),
    [
        ("authType", "auth_type", "oauth_token", AuthType.OAUTH_TOKEN),
        ("thinkingLevel", "thinking_level", "high", ThinkingLevel.HIGH),
        ("baseUrl", "base_url", "http://localhost:8080", "http://localhost:8080"),
        ("baseURL", "base_url", "http://localhost:8080", "http://localhost:8080"),
        ("timeoutS", "timeout_s", 30, 30.0),
        ("contextWindow", "context_window", 8192, 8192),
    ],
)
def test_camel_case_model_key_means_the_snake_case_key(
    camel: str, snake: str, value: object, expected: object
) -> None:
    config = Config.from_dict(_model(**{camel: value}))

    assert getattr(config.models["m"], snake) == expected
    assert config == Config.from_dict(_model(**{snake: value}))


@pytest.mark.parametrize(
    ("camel", "snake", "value"),
    [
        ("maxRetries", "max_retries", 9),
        ("retryDelayMs", "retry_delay_ms", 250),
        ("cooldownS", "cooldown_s", 5),
    ],
)
def test_camel_case_failover_key_means_the_snake_case_key(
    camel: str, snake: str, value: int
) -> None:
    config = Config.from_dict({"failover": {camel: value}})

    assert getattr(config.failover, snake) == value


def test_camel_case_key_in_a_chain_failover_table_is_read() -> None:
    config = Config.from_dict(
        {"chains": {"default": {"models": ["ollama/llama3"], "failover": {"maxRetries": 0}}}}
    )

    assert config.chains["default"].failover == FailoverSettings(max_retries=0)


def test_model_names_keep_the_spelling_they_are_written_in() -> None:
    config = Config.from_dict(
        {
            "models": {"myModel": {"provider": "ollama", "model": "llama3"}},
            "chains": {"mainChain": {"models": ["myModel"]}},
        }
    )

    assert list(config.models) == ["myModel"]
    assert list(config.chains) == ["mainChain"]


def test_header_and_option_names_are_passed_on_as_written() -> None:
    config = Config.from_dict(
        _model(headers={"anthropicBeta": "x"}, options={"topK": 5, "max_tokens": 10})
    )

    assert config.models["m"].headers == {"anthropicBeta": "x"}
    assert config.models["m"].options == {"topK": 5, "max_tokens": 10}


def test_unknown_camel_case_key_is_reported_as_written() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict(_model(thinkingBudget=1024))

    assert caught.value.key == "models.m.thinkingBudget"


def test_one_key_in_both_spellings_is_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict(_model(auth_type="api_key", authType="oauth_token"))

    assert caught.value.key == "models.m.authType"
    assert caught.value.problem == "auth_type is given twice, as 'auth_type' and 'authType'"
    assert caught.value.fix == "keep one of them (hotswap spells it auth_type)."


def test_primary_and_failover_list_define_the_default_chain(write_file: WriteFile) -> None:
    path = write_file(
        "hotswap.toml",
        """
        primary = "sonnet"
        failover = ["haiku", "openai/gpt-4o"]

        [models.sonnet]
        provider = "anthropic"
        model = "claude-sonnet-4-20250514"
        authType = "api_key"

        [models.haiku]
        provider = "anthropic"
        model = "claude-haiku-4-5"
        """,
    )

    config = load_config_file(path)

    assert config.chains == {"default": ChainConfig(models=("sonnet", "haiku", "openai/gpt-4o"))}


def test_primary_alone_is_a_chain_of_one() -> None:
    config = Config.from_dict({"primary": "ollama/llama3"})

    assert config.chains == {"default": ChainConfig(models=("ollama/llama3",))}


def test_top_level_failover_config_is_the_global_failover_settings() -> None:
    config = Config.from_dict(
        {
            "primary": "ollama/llama3",
            "failover": ["groq/llama-3.3-70b"],
            "failoverConfig": {"maxRetries": 1, "retryDelayMs": 200, "conditions": ["timeout"]},
        }
    )

    assert config.failover == FailoverSettings(
        max_retries=1, retry_delay_ms=200, conditions=(ErrorKind.TIMEOUT,)
    )
    assert config.chains["default"].failover is None


def test_primary_may_sit_beside_a_failover_settings_table() -> None:
    config = Config.from_dict({"primary": "ollama/llama3", "failover": {"max_retries": 0}})

    assert config.chains == {"default": ChainConfig(models=("ollama/llama3",))}
    assert config.failover == FailoverSettings(max_retries=0)


def test_primary_and_a_default_chain_table_together_are_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict(
            {"primary": "ollama/llama3", "chains": {"default": {"models": ["ollama/qwen3"]}}}
        )

    assert caught.value.key == "primary"
    assert caught.value.problem == (
        "chain 'default' is given twice, by primary/failover and by [chains.default]"
    )


def test_failover_list_without_primary_is_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict({"failover": ["ollama/llama3"]})

    assert caught.value.key == "failover"
    assert caught.value.problem == "failover is given without primary"
    assert caught.value.fix == (
        'add primary = "MODEL", the model tried first (failover lists those tried after).'
    )


def test_failover_table_and_failover_config_together_are_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict({"failover": {"max_retries": 1}, "failover_config": {"max_retries": 2}})

    assert caught.value.key == "failover_config"
    assert caught.value.problem == (
        "failover settings are given twice, as [failover] and [failover_config]"
    )


def test_bad_entry_in_the_failover_list_is_reported_at_its_position() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict({"primary": "ollama/llama3", "failover": ["ollama/qwen3", 7]})

    assert caught.value.key == "failover[1]"
    assert caught.value.problem == "expected a string, got an integer"


def test_undefined_primary_is_reported_at_primary() -> None:
    with pytest.raises(ConfigError) as caught:
        Config.from_dict({"primary": "sonnet"})

    assert caught.value.key == "primary"
    assert (
        caught.value.problem == "chain 'default' names 'sonnet', which is not defined in [models]"
    )
