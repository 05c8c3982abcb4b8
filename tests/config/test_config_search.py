"""Which config file is used: --config, then $HOTSWAP_CONFIG, then ./hotswap.toml, then the
user config directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from hotswap import ConfigError
from hotswap.config import find_config_path, load_config

if TYPE_CHECKING:
    from pathlib import Path

    from .conftest import WriteFile

CONFIG = 'primary = "ollama/llama3"\n'


@pytest.fixture
def every_place(write_file: WriteFile, tmp_path: Path) -> dict[str, Path]:
    """A config file in each place looked in, and the environment and cwd that find them."""
    return {
        "explicit": write_file("explicit.toml", CONFIG),
        "env": write_file("from-env.toml", CONFIG),
        "local": write_file("project/hotswap.toml", CONFIG),
        "user": write_file("xdg/hotswap/hotswap.toml", CONFIG),
    }


def test_explicit_path_comes_first(every_place: dict[str, Path], tmp_path: Path) -> None:
    env = {"HOTSWAP_CONFIG": str(every_place["env"]), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}

    found = find_config_path(every_place["explicit"], env, cwd=tmp_path / "project")

    assert found == every_place["explicit"]


def test_environment_variable_comes_before_local_and_user_files(
    every_place: dict[str, Path], tmp_path: Path
) -> None:
    env = {"HOTSWAP_CONFIG": str(every_place["env"]), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}

    assert find_config_path(None, env, cwd=tmp_path / "project") == every_place["env"]


def test_local_hotswap_toml_comes_before_the_user_file(
    every_place: dict[str, Path], tmp_path: Path
) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}

    assert find_config_path(None, env, cwd=tmp_path / "project") == every_place["local"]


def test_user_file_is_under_xdg_config_home(every_place: dict[str, Path], tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}

    assert find_config_path(None, env, cwd=tmp_path) == every_place["user"]


def test_user_file_is_under_home_dot_config_without_xdg(
    write_file: WriteFile, tmp_path: Path
) -> None:
    user_file = write_file("home/.config/hotswap/hotswap.toml", CONFIG)

    assert find_config_path(None, {"HOME": str(tmp_path / "home")}, cwd=tmp_path) == user_file


def test_no_file_anywhere_finds_nothing(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}

    assert find_config_path(None, env, cwd=tmp_path) is None


def test_no_file_anywhere_loads_an_empty_config(tmp_path: Path) -> None:
    config = load_config(None, {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}, cwd=tmp_path)

    assert config.source is None
    assert (config.models, config.chains, config.agents) == ({}, {}, {})


def test_load_config_reads_the_file_it_finds(every_place: dict[str, Path], tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}

    config = load_config(None, env, cwd=tmp_path / "project")

    assert config.source == every_place["local"]
    assert config.chains["default"].models == ("ollama/llama3",)


def test_relative_explicit_path_is_relative_to_cwd(
    every_place: dict[str, Path], tmp_path: Path
) -> None:
    assert find_config_path("explicit.toml", {}, cwd=tmp_path) == every_place["explicit"]


def test_empty_environment_variable_is_ignored(
    every_place: dict[str, Path], tmp_path: Path
) -> None:
    env = {"HOTSWAP_CONFIG": "", "XDG_CONFIG_HOME": str(tmp_path / "xdg")}

    assert find_config_path(None, env, cwd=tmp_path / "project") == every_place["local"]


def test_missing_explicit_file_is_an_error_naming_it(
    every_place: dict[str, Path], tmp_path: Path
) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}

    with pytest.raises(ConfigError) as caught:
        find_config_path("nope.toml", env, cwd=tmp_path / "project")

    assert caught.value.path == str(tmp_path / "project" / "nope.toml")
    assert caught.value.problem == "the config file given explicitly (--config) does not exist"
    assert caught.value.fix == (
        "check the path, or leave out --config to use ./hotswap.toml or "
        f"{tmp_path / 'xdg' / 'hotswap' / 'hotswap.toml'}."
    )


def test_missing_file_named_by_environment_variable_is_an_error_naming_the_variable(
    every_place: dict[str, Path], tmp_path: Path
) -> None:
    env = {"HOTSWAP_CONFIG": str(tmp_path / "gone.toml"), "XDG_CONFIG_HOME": str(tmp_path / "x")}

    with pytest.raises(ConfigError) as caught:
        load_config(None, env, cwd=tmp_path / "project")

    assert str(caught.value) == (
        f"{tmp_path / 'gone.toml'}: the config file named by HOTSWAP_CONFIG does not exist\n"
        "  check the path, or unset HOTSWAP_CONFIG to use ./hotswap.toml or "
        f"{tmp_path / 'x' / 'hotswap' / 'hotswap.toml'}."
    )


def test_explicit_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        find_config_path(tmp_path, {}, cwd=tmp_path)

    assert caught.value.problem == "the config file given explicitly (--config) is not a file"
