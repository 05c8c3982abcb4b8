"""The plugin as installed: found through its entry point, and working in an environment that
holds only it, hotswap-openai and the core."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotswap import PluginHost
from hotswap.testing import probe_installed

PLUGINS = Path(__file__).resolve().parents[2]


def test_the_entry_point_provides_custom_with_no_key_by_default():
    info = PluginHost().provider("custom")

    assert (info.default_auth_type, info.env_vars) == ("none", ("CUSTOM_API_KEY",))


@pytest.mark.slow
def test_it_works_installed_alone(fresh_venv):
    python = fresh_venv(PLUGINS / "openai", PLUGINS / "custom")

    found = probe_installed(python, "custom", "my-model")

    assert found["plugins"] == [["custom", "loaded"], ["openai", "loaded"]]
    assert (found["path"], found["model"], found["text"]) == (
        "/chat/completions",
        "my-model",
        "hello",
    )
