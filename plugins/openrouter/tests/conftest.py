"""OpenRouter's plugin alone in a host, aimed at the simulator's OpenRouter path, with a
simulated key."""

from __future__ import annotations

import hotswap_openrouter
import pytest

from hotswap.testing import Harness

KEY = "sk-or-v1-simulated-key-0001"
MODEL = "anthropic/claude-sonnet-4.5"


@pytest.fixture
def openrouter(simulator, isolated_home, monkeypatch) -> Harness:
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    return Harness(hotswap_openrouter.plugin, model=MODEL, base_url=f"{simulator.url}/api/v1")
