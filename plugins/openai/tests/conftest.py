"""Fixtures for the OpenAI plugin's tests: no OpenAI credential from the machine, and the
plugin alone in a host, aimed at the simulator."""

from __future__ import annotations

from pathlib import Path

import hotswap_openai
import pytest

from hotswap.testing import Harness

KEY = "sk-simulated-openai-key-0001"


@pytest.fixture
def home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home, and only the simulated key in the environment."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return isolated_home


@pytest.fixture
def openai(simulator, home) -> Harness:
    """``gpt-4.1`` at the simulator."""
    return Harness(hotswap_openai.plugin, model="gpt-4.1", base_url=f"{simulator.url}/v1")
