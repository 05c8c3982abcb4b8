"""The plugin as installed: found through its entry point, and working in an environment that
holds only it, hotswap-openai and the core."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotswap import PluginHost
from hotswap.testing import probe_installed

PLUGINS = Path(__file__).resolve().parents[2]


def test_the_entry_point_provides_xai():
    info = PluginHost().provider("xai")

    assert (info.base_url, info.env_vars) == ("https://api.x.ai/v1", ("XAI_API_KEY",))
    assert info.known_model("grok-4-0709").id == "grok-4"
    assert info.capabilities_of("grok-3-mini").thinking


@pytest.mark.slow
def test_it_works_installed_alone(fresh_venv):
    python = fresh_venv(PLUGINS / "openai", PLUGINS / "xai")

    found = probe_installed(python, "xai", "grok-3")

    assert found["plugins"] == sorted([["xai", "loaded"], ["openai", "loaded"]])
    assert (found["path"], found["model"], found["text"]) == (
        "/chat/completions",
        "grok-3",
        "hello",
    )
