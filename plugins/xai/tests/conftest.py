"""xAI's plugin alone in a host, aimed at the simulator (which answers ``grok-*`` in xAI's
variant of the format), with a simulated key."""

from __future__ import annotations

import hotswap_xai
import pytest

from hotswap.testing import Harness

KEY = "xai-simulated-key-0001"


@pytest.fixture
def xai(simulator, isolated_home, monkeypatch) -> Harness:
    monkeypatch.setenv("XAI_API_KEY", KEY)
    return Harness(hotswap_xai.plugin, model="grok-3", base_url=f"{simulator.url}/v1")
