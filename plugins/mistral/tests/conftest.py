"""Mistral's plugin alone in a host, aimed at the simulator (which answers Mistral's model ids
in Mistral's variant of the format), with a simulated key."""

from __future__ import annotations

import hotswap_mistral
import pytest

from hotswap.testing import Harness

KEY = "simulated-mistral-key-0001"


@pytest.fixture
def mistral(simulator, isolated_home, monkeypatch) -> Harness:
    monkeypatch.setenv("MISTRAL_API_KEY", KEY)
    return Harness(
        hotswap_mistral.plugin, model="mistral-large-latest", base_url=f"{simulator.url}/v1"
    )
