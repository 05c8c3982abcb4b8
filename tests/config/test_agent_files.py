"""Action Llama agent files: ``agents/NAME/config.toml`` beside the config file, each giving
one agent's chain. Only the chain keys are read; the rest of the file is Action Llama's."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from hotswap import ConfigError
from hotswap.config import ChainConfig, FailoverSettings, load_config_file

if TYPE_CHECKING:
    from .conftest import WriteFile

PROJECT = """
    [models.sonnet]
    provider = "anthropic"
    model = "claude-sonnet-4-20250514"
    authType = "api_key"

    [models.haiku]
    provider = "anthropic"
    model = "claude-haiku-4-5"
"""


def test_agent_models_list_becomes_the_agents_chain(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    write_file("agents/reviewer/config.toml", 'models = ["sonnet", "haiku"]\n')

    config = load_config_file(main)

    assert config.agents == {"reviewer": ChainConfig(models=("sonnet", "haiku"))}


def test_agent_keys_that_are_not_chain_keys_are_ignored(write_file: WriteFile) -> None:
    main = write_file("config.toml", PROJECT)
    write_file(
        "agents/triage/config.toml",
        """
        models = ["haiku", "ollama/llama3"]
        credentials = ["github_token", "anthropic_key"]
        schedule = "*/5 * * * *"
        description = "Triage new issues"

        [params]
        repoName = "acme/app"
        repo_name = "acme/app"
        token = "not ours to judge"

        [webhooks.github]
        events = ["issues"]
        """,
    )

    config = load_config_file(main)

    assert config.agents == {"triage": ChainConfig(models=("haiku", "ollama/llama3"))}


def test_agent_primary_and_failover_with_failover_config_override(
    write_file: WriteFile,
) -> None:
    main = write_file("hotswap.toml", PROJECT)
    write_file(
        "agents/writer/config.toml",
        """
        primary = "sonnet"
        failover = ["haiku"]
        schedule = "0 9 * * *"

        [failoverConfig]
        maxRetries = 1
        """,
    )

    config = load_config_file(main)

    writer = config.agents["writer"]
    assert writer == ChainConfig(
        models=("sonnet", "haiku"), failover=FailoverSettings(max_retries=1)
    )
    assert config.failover_for(writer) == FailoverSettings(max_retries=1)


def test_agent_models_list_with_failover_config_override(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    write_file(
        "agents/reviewer/config.toml",
        'models = ["sonnet"]\n[failover_config]\ncooldown_s = 1\n',
    )

    config = load_config_file(main)

    assert config.agents["reviewer"].failover == FailoverSettings(cooldown_s=1)


def test_agent_without_models_has_no_chain(
    write_file: WriteFile, caplog: pytest.LogCaptureFixture
) -> None:
    main = write_file("hotswap.toml", PROJECT)
    write_file("agents/cron/config.toml", 'schedule = "@daily"\n')

    with caplog.at_level(logging.DEBUG, logger="hotswap.config"):
        config = load_config_file(main)

    assert config.agents == {}
    assert "no models, so agent 'cron' has no chain" in caplog.text


def test_agents_are_read_in_name_order(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    for name in ("zeta", "alpha", "mid"):
        write_file(f"agents/{name}/config.toml", 'models = ["haiku"]\n')

    assert list(load_config_file(main).agents) == ["alpha", "mid", "zeta"]


def test_directory_without_an_agent_file_is_skipped(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    write_file("agents/notes/README.md", "not an agent\n")

    assert load_config_file(main).agents == {}


def test_undefined_model_in_an_agent_is_reported_in_the_agent_file(
    write_file: WriteFile,
) -> None:
    main = write_file("hotswap.toml", PROJECT)
    agent = write_file("agents/reviewer/config.toml", 'models = ["sonnet", "haikuu"]\n')

    with pytest.raises(ConfigError) as caught:
        load_config_file(main)

    assert caught.value.path == str(agent)
    assert caught.value.key == "models[1]"
    assert caught.value.problem == (
        f"agent 'reviewer' names 'haikuu', which is not defined in [models] of {main}"
    )
    assert caught.value.fix == (
        "defined models: sonnet, haiku. Did you mean 'haiku'? "
        "Or write an inline PROVIDER/MODEL-ID reference, like ollama/llama3."
    )


def test_invalid_failover_config_is_reported_in_the_agent_file(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    agent = write_file(
        "agents/reviewer/config.toml", 'models = ["haiku"]\n[failover_config]\nmax_retries = "2"\n'
    )

    with pytest.raises(ConfigError) as caught:
        load_config_file(main)

    assert (caught.value.path, caught.value.key) == (str(agent), "failover_config.max_retries")
    assert caught.value.problem == "expected an integer, got a string"


def test_agent_toml_syntax_error_names_the_agent_file(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    agent = write_file("agents/reviewer/config.toml", 'models = ["haiku"\n')

    with pytest.raises(ConfigError) as caught:
        load_config_file(main)

    assert caught.value.path == str(agent)
    assert caught.value.problem.startswith("not valid TOML: ")


def test_agent_with_both_models_and_primary_is_an_error(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    agent = write_file("agents/reviewer/config.toml", 'models = ["haiku"]\nprimary = "sonnet"\n')

    with pytest.raises(ConfigError) as caught:
        load_config_file(main)

    assert (caught.value.path, caught.value.key) == (str(agent), "models")
    assert caught.value.problem == "the chain is given twice, as models and as primary/failover"


def test_agent_failover_must_be_a_list(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    write_file("agents/reviewer/config.toml", 'primary = "haiku"\n[failover]\nmax_retries = 1\n')

    with pytest.raises(ConfigError) as caught:
        load_config_file(main)

    assert caught.value.key == "failover"
    assert caught.value.problem == "expected a list of models, got a table"
    assert caught.value.fix == (
        "in an agent file, failover lists the models tried after primary; "
        "put settings in [failover_config]."
    )


def test_empty_agent_models_list_is_an_error(write_file: WriteFile) -> None:
    main = write_file("hotswap.toml", PROJECT)
    write_file("agents/reviewer/config.toml", "models = []\n")

    with pytest.raises(ConfigError) as caught:
        load_config_file(main)

    assert caught.value.key == "models"
    assert caught.value.problem == "a chain needs at least one model"
