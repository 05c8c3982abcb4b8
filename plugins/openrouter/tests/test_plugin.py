"""The plugin as installed: found through its entry point, and working in an environment that
holds only it, hotswap-openai and the core."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotswap import PluginHost
from hotswap.testing import probe_installed

PLUGINS = Path(__file__).resolve().parents[2]


def test_the_entry_point_provides_openrouter():
    info = PluginHost().provider("openrouter")

    assert (info.base_url, info.env_vars) == (
        "https://openrouter.ai/api/v1",
        ("OPENROUTER_API_KEY",),
    )
    assert info.capabilities_of("anthropic/claude-sonnet-4.5").vision


@pytest.mark.slow
def test_it_works_installed_alone(fresh_venv):
    python = fresh_venv(PLUGINS / "openai", PLUGINS / "openrouter")

    found = probe_installed(python, "openrouter", "anthropic/claude-sonnet-4.5")

    assert found["plugins"] == sorted([["openrouter", "loaded"], ["openai", "loaded"]])
    assert (found["path"], found["model"], found["text"]) == (
        "/chat/completions",
        "anthropic/claude-sonnet-4.5",
        "hello",
    )
