"""hotswap's configuration: which models exist, which chains try them in which order, and when a
chain fails over.

A config file (``hotswap.toml``, ``$HOTSWAP_CONFIG``, or ``~/.config/hotswap/hotswap.toml``)::

    [models.sonnet]
    provider = "anthropic"
    model = "claude-sonnet-4-20250514"
    thinking_level = "medium"

    [chains.default]
    models = ["sonnet", "ollama/llama3"]   # a [models] name, or an inline provider/model-id

    [failover]
    conditions = ["rate_limited", "overloaded", "server_error", "timeout", "connection"]

and in Python::

    config = load_config()
    chain = config.chain("default")
    models = [config.resolve(entry) for entry in chain.models]
    settings = config.failover_for(chain)

Also accepted, so that existing files load unchanged: camelCase keys (``authType``), a
``primary`` model with a ``failover`` list and a ``[failover_config]`` table, and Action Llama
agent files (``agents/NAME/config.toml`` beside the config file), each giving a chain in
``config.agents``. API keys are refused wherever they appear: they belong in the environment,
hotswap's credentials directory or the OS keychain.

Importing this package loads pydantic but no plugin, HTTP client or CLI.
"""

from hotswap.config.loader import (
    CONFIG_ENV_VAR,
    LOCAL_CONFIG_NAME,
    find_config_path,
    load_config,
    load_config_file,
)
from hotswap.config.schema import (
    DEFAULT_CONDITIONS,
    ChainConfig,
    ChainEntry,
    Config,
    FailoverSettings,
    ModelConfig,
)

__all__ = [
    "CONFIG_ENV_VAR",
    "DEFAULT_CONDITIONS",
    "LOCAL_CONFIG_NAME",
    "ChainConfig",
    "ChainEntry",
    "Config",
    "FailoverSettings",
    "ModelConfig",
    "find_config_path",
    "load_config",
    "load_config_file",
]
