"""Groq's plugin alone in a host, aimed at the simulator's Groq path, with a simulated key."""

from __future__ import annotations

import hotswap_groq
import pytest

from hotswap.testing import Harness

KEY = "gsk_simulated_groq_key_0001"


@pytest.fixture
def groq(simulator, isolated_home, monkeypatch) -> Harness:
    monkeypatch.setenv("GROQ_API_KEY", KEY)
    return Harness(
        hotswap_groq.plugin, model="llama-3.3-70b-versatile", base_url=f"{simulator.url}/openai/v1"
    )
