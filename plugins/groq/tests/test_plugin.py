"""The plugin as installed: found through its entry point, and working in an environment that
holds only it, hotswap-openai and the core."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotswap import PluginHost
from hotswap.testing import probe_installed

PLUGINS = Path(__file__).resolve().parents[2]


def test_the_entry_point_provides_groq():
    info = PluginHost().provider("groq")

    assert (info.base_url, info.env_vars) == ("https://api.groq.com/openai/v1", ("GROQ_API_KEY",))
    assert info.known_model("openai/gpt-oss-120b").context_window == 131_072
    assert info.capabilities_of("openai/gpt-oss-120b").thinking


@pytest.mark.slow
def test_it_works_installed_alone(fresh_venv):
    python = fresh_venv(PLUGINS / "openai", PLUGINS / "groq")

    found = probe_installed(python, "groq", "llama-3.1-8b-instant")

    assert found["plugins"] == [["groq", "loaded"], ["openai", "loaded"]]
    assert (found["path"], found["model"], found["text"]) == (
        "/chat/completions",
        "llama-3.1-8b-instant",
        "hello",
    )
