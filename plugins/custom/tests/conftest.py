"""The custom plugin alone in a host, aimed at the simulator as any compatible server."""

from __future__ import annotations

import hotswap_custom
import pytest

from hotswap.testing import Harness


@pytest.fixture
def custom(simulator, isolated_home, monkeypatch) -> Harness:
    monkeypatch.delenv("CUSTOM_API_KEY", raising=False)
    return Harness(hotswap_custom.plugin, model="qwen2.5-7b", base_url=f"{simulator.url}/v1")
