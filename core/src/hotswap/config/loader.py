"""Finding the config file, and reading it together with the agent files next to it."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hotswap.config.parse import AgentFile, parse_config
from hotswap.config.paths import user_config_dir
from hotswap.config.schema import Config
from hotswap.types.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:
    # mypy checks this branch (python_version is 3.10) where tomli need not be installed.
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

__all__ = [
    "CONFIG_ENV_VAR",
    "LOCAL_CONFIG_NAME",
    "find_config_path",
    "load_config",
    "load_config_file",
]

CONFIG_ENV_VAR = "HOTSWAP_CONFIG"
"""The environment variable naming the config file."""
LOCAL_CONFIG_NAME = "hotswap.toml"
"""The config file looked for in the current directory."""


def find_config_path(
    explicit: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] = os.environ,
    cwd: Path | None = None,
) -> Path | None:
    """The config file to use, first found of:

    1. ``explicit`` (the CLI's ``--config``);
    2. the file ``$HOTSWAP_CONFIG`` names;
    3. ``hotswap.toml`` in ``cwd``;
    4. ``hotswap.toml`` in the user config directory (``$XDG_CONFIG_HOME/hotswap``).

    :param cwd: where relative paths and ``hotswap.toml`` are looked for; the process's
        current directory if None.
    :returns: the path, or None if there is no config file.
    :raises ConfigError: if ``explicit`` or ``$HOTSWAP_CONFIG`` names a file that does not
        exist: a name given on purpose is never silently skipped.
    """
    base = cwd if cwd is not None else Path()
    user_file = user_config_dir(env) / LOCAL_CONFIG_NAME
    named = (
        (explicit, "given explicitly (--config)", "leave out --config"),
        (env.get(CONFIG_ENV_VAR), f"named by {CONFIG_ENV_VAR}", f"unset {CONFIG_ENV_VAR}"),
    )
    for given, origin, instead in named:
        if not given:
            continue
        path = base / Path(given).expanduser()
        if not path.is_file():
            state = "is not a file" if path.exists() else "does not exist"
            raise ConfigError(
                f"the config file {origin} {state}",
                path=str(path),
                fix=f"check the path, or {instead} to use ./{LOCAL_CONFIG_NAME} or {user_file}.",
            )
        return path
    for candidate in (base / LOCAL_CONFIG_NAME, user_file):
        if candidate.is_file():
            return candidate
    return None


def load_config(
    explicit: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] = os.environ,
    cwd: Path | None = None,
) -> Config:
    """The configuration from the file :func:`find_config_path` finds, or an empty
    :class:`Config` (``source`` None) if there is none.

    :raises ConfigError: if the file is missing (when named), unreadable or invalid.
    """
    path = find_config_path(explicit, env, cwd)
    return Config() if path is None else load_config_file(path, env=env)


def load_config_file(
    path: str | os.PathLike[str], *, env: Mapping[str, str] = os.environ
) -> Config:
    """The configuration in ``path``, with a chain for each ``agents/NAME/config.toml``
    beside it that lists models.

    :param env: the environment, used only to name the credentials directory in errors.
    :raises ConfigError: naming the file, the key path and the fix.
    """
    source = Path(path)
    data = _read_toml(source)
    agents_dir = source.parent / "agents"
    agent_files = []
    if agents_dir.is_dir():
        for agent_dir in sorted(agents_dir.iterdir()):
            agent_path = agent_dir / "config.toml"
            if agent_path.is_file():
                agent_files.append(AgentFile(agent_dir.name, agent_path, _read_toml(agent_path)))
    return parse_config(data, source=source, agent_files=agent_files, env=env)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            data: dict[str, Any] = tomllib.load(file)
    except OSError as error:
        raise ConfigError(
            f"cannot read the file: {error.strerror}",
            path=str(path),
            fix="check that it exists and that you may read it.",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            "the file is not UTF-8 text", path=str(path), fix="save it as UTF-8, as TOML requires."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"not valid TOML: {error}",
            path=str(path),
            fix="fix the syntax at that line and column (TOML is described at https://toml.io).",
        ) from None
    return data
