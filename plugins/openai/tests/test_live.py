"""Against the real API: runs only when OPENAI_API_KEY is set (it costs a few tokens)."""

from __future__ import annotations

import os

import hotswap_openai
import pytest

from hotswap.plugin import FinishReason
from hotswap.testing import Harness, request

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not os.environ.get("OPENAI_API_KEY"), reason="OPENAI_API_KEY not set"),
]

PONG = request("Reply with the single word: pong", max_tokens=16)


def test_a_real_answer_and_stream():
    openai = Harness(hotswap_openai.plugin, model="gpt-4o-mini")

    whole = openai.complete(PONG)
    streamed = "".join(getattr(e, "text", "") for e in openai.stream(PONG))

    assert "pong" in whole.text.lower()
    assert whole.finish_reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert whole.usage.input_tokens > 0
    assert "pong" in streamed.lower()
