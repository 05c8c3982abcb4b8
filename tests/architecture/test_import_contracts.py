"""The import contracts `make test` checks with import-linter (``[tool.importlinter]`` in
pyproject.toml) cover every plugin in the workspace, so a new plugin cannot slip past them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
# Each plugin's package, and its workspace directory.
PLUGIN_DIRS = {
    path.parent.name: path.parents[2] for path in REPO.glob("plugins/*/src/hotswap_*/__init__.py")
}
PLUGINS = set(PLUGIN_DIRS)


def importlinter() -> dict[str, Any]:
    settings: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text())
    return settings["tool"]["importlinter"]


def contract(contract_id: str) -> dict[str, Any]:
    [found] = [c for c in importlinter()["contracts"] if c["id"] == contract_id]
    return found


def test_every_plugin_is_analysed():
    assert set(importlinter()["root_packages"]) == {"hotswap"} | PLUGINS


def test_every_plugin_is_held_to_the_two_surfaces():
    assert set(contract("plugin-surfaces")["source_modules"]) == PLUGINS


def test_every_plugin_built_on_hotswap_openai_is_held_to_its_compat_module():
    built_on_openai = {
        name
        for name in PLUGINS - {"hotswap_openai"}
        if '"hotswap-openai"' in (PLUGIN_DIRS[name] / "pyproject.toml").read_text()
    }

    assert built_on_openai
    assert set(contract("openai-compatible")["source_modules"]) == built_on_openai
