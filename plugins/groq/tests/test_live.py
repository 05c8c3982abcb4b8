"""Against the real API: runs only when GROQ_API_KEY is set."""

from __future__ import annotations

import os

import hotswap_groq
import pytest

from hotswap.testing import Harness, assemble, request

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not os.environ.get("GROQ_API_KEY"), reason="GROQ_API_KEY not set"),
]


def test_a_real_stream_with_usage():
    groq = Harness(hotswap_groq.plugin, model="llama-3.1-8b-instant")

    completion = assemble(groq.stream(request("Reply with the single word: pong", max_tokens=16)))

    assert "pong" in completion.text.lower()
    assert completion.usage.output_tokens > 0
