"""The plugin as installed: found through its entry point, and working in an environment that
holds only it, hotswap-openai and the core."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotswap import PluginHost
from hotswap.testing import probe_installed

PLUGINS = Path(__file__).resolve().parents[2]


def test_the_entry_point_provides_mistral():
    info = PluginHost().provider("mistral")

    assert (info.base_url, info.env_vars) == ("https://api.mistral.ai/v1", ("MISTRAL_API_KEY",))
    assert info.known_model("codestral-latest").context_window == 256_000
    assert info.capabilities_of("magistral-medium-latest").thinking


@pytest.mark.slow
def test_it_works_installed_alone(fresh_venv):
    python = fresh_venv(PLUGINS / "openai", PLUGINS / "mistral")

    found = probe_installed(python, "mistral", "mistral-small-latest")

    assert found["plugins"] == sorted([["mistral", "loaded"], ["openai", "loaded"]])
    assert (found["path"], found["model"], found["text"]) == (
        "/chat/completions",
        "mistral-small-latest",
        "hello",
    )
