"""Against the real API: runs only when OPENROUTER_API_KEY is set."""

from __future__ import annotations

import os

import hotswap_openrouter
import pytest

from hotswap.testing import Harness, assemble, request

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not os.environ.get("OPENROUTER_API_KEY"), reason="OPENROUTER_API_KEY not set"
    ),
]


def test_a_real_stream_with_usage():
    provider = Harness(hotswap_openrouter.plugin, model="openai/gpt-4o-mini")

    completion = assemble(
        provider.stream(request("Reply with the single word: pong", max_tokens=16))
    )

    assert "pong" in completion.text.lower()
    assert completion.usage.output_tokens > 0
