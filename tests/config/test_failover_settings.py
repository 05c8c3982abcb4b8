"""Failover settings: their defaults, the global table, and per-chain overrides."""

from __future__ import annotations

import pytest

from hotswap import ErrorKind
from hotswap.config import DEFAULT_CONDITIONS, ChainConfig, Config, FailoverSettings


def test_defaults() -> None:
    settings = FailoverSettings()

    assert settings.conditions == (
        ErrorKind.RATE_LIMITED,
        ErrorKind.OVERLOADED,
        ErrorKind.SERVER_ERROR,
        ErrorKind.TIMEOUT,
        ErrorKind.CONNECTION,
        ErrorKind.QUOTA_EXHAUSTED,
        ErrorKind.AUTH,
        ErrorKind.PERMISSION,
    )
    assert settings.conditions == DEFAULT_CONDITIONS
    assert (settings.cooldown_s, settings.max_retries, settings.retry_delay_ms) == (60, 3, 1000)
    assert (settings.profile, settings.max_cooldown_s) == ("instant", 300)
    assert settings.cooldowns == {
        ErrorKind.QUOTA_EXHAUSTED: 3600.0,
        ErrorKind.AUTH: 3600.0,
        ErrorKind.PERMISSION: 3600.0,
    }


def test_config_without_failover_table_uses_defaults() -> None:
    assert Config.from_dict({}).failover == FailoverSettings()


def test_global_table_replaces_only_the_keys_it_sets() -> None:
    config = Config.from_dict({"failover": {"max_retries": 5}})

    assert config.failover == FailoverSettings(
        conditions=DEFAULT_CONDITIONS, cooldown_s=60, max_retries=5, retry_delay_ms=1000
    )


@pytest.mark.parametrize("kind", list(ErrorKind))
def test_every_error_kind_is_a_condition(kind: ErrorKind) -> None:
    config = Config.from_dict({"failover": {"conditions": [kind.value]}})

    assert config.failover.conditions == (kind,)


def test_chain_without_own_settings_runs_with_the_global_ones() -> None:
    config = Config.from_dict(
        {"chains": {"default": {"models": ["ollama/llama3"]}}, "failover": {"cooldown_s": 5}}
    )

    assert config.failover_for(config.chains["default"]) == FailoverSettings(cooldown_s=5)


def test_chain_settings_override_only_the_keys_the_chain_sets() -> None:
    config = Config.from_dict(
        {
            "chains": {"default": {"models": ["ollama/llama3"], "failover": {"max_retries": 0}}},
            "failover": {"cooldown_s": 5, "max_retries": 7, "conditions": ["timeout"]},
        }
    )

    assert config.failover_for(config.chains["default"]) == FailoverSettings(
        conditions=(ErrorKind.TIMEOUT,), cooldown_s=5, max_retries=0, retry_delay_ms=1000
    )


def test_chain_setting_equal_to_the_default_still_overrides_the_global_one() -> None:
    config = Config.from_dict(
        {
            "chains": {"default": {"models": ["ollama/llama3"], "failover": {"max_retries": 3}}},
            "failover": {"max_retries": 9},
        }
    )

    assert config.failover_for(config.chains["default"]).max_retries == 3


def test_chain_may_turn_failover_off_with_an_empty_condition_list() -> None:
    config = Config.from_dict(
        {"chains": {"default": {"models": ["ollama/llama3"], "failover": {"conditions": []}}}}
    )

    assert config.failover_for(config.chains["default"]).conditions == ()


def test_settings_built_in_python_merge_the_same_way() -> None:
    chain = ChainConfig(models=("ollama/llama3",), failover=FailoverSettings(retry_delay_ms=10))
    config = Config(chains={"default": chain}, failover=FailoverSettings(max_retries=1))

    assert config.failover_for(chain) == FailoverSettings(max_retries=1, retry_delay_ms=10)
