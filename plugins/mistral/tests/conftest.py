"""Mistral's plugin alone in a host, aimed at the simulator (which answers Mistral's model ids
in Mistral's variant of the format), with a simulated key."""

from __future__ import annotations

import hotswap_mistral
import pytest
from hotswap_openai.testing import Harness

KEY = "simulated-mistral-key-0001"


@pytest.fixture
def mistral(simulator, tmp_path, monkeypatch) -> Harness:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "credentials"))
    monkeypatch.setenv("MISTRAL_API_KEY", KEY)
    return Harness(
        hotswap_mistral.plugin, model="mistral-large-latest", base_url=f"{simulator.url}/v1"
    )
