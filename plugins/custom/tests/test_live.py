"""Against a real OpenAI-compatible server: runs only when HOTSWAP_CUSTOM_BASE_URL (and the
model, HOTSWAP_CUSTOM_MODEL) is set; CUSTOM_API_KEY is sent when set."""

from __future__ import annotations

import os

import hotswap_custom
import pytest

from hotswap.testing import Harness, assemble, request

BASE_URL = os.environ.get("HOTSWAP_CUSTOM_BASE_URL")
pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not BASE_URL, reason="HOTSWAP_CUSTOM_BASE_URL not set"),
]


def test_a_real_stream():
    server = Harness(
        hotswap_custom.plugin,
        model=os.environ.get("HOTSWAP_CUSTOM_MODEL", "default"),
        base_url=BASE_URL,
        auth_type="api_key" if os.environ.get("CUSTOM_API_KEY") else "none",
    )

    completion = assemble(server.stream(request("Reply with the single word: pong", max_tokens=16)))

    assert "pong" in completion.text.lower()
