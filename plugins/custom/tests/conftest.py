"""The custom plugin alone in a host, aimed at the simulator as any compatible server."""

from __future__ import annotations

import hotswap_custom
import pytest
from hotswap_openai.testing import Harness


@pytest.fixture
def custom(simulator, tmp_path, monkeypatch) -> Harness:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "credentials"))
    monkeypatch.delenv("CUSTOM_API_KEY", raising=False)
    return Harness(hotswap_custom.plugin, model="qwen2.5-7b", base_url=f"{simulator.url}/v1")
