"""thinking_level as thinkingLevel (Gemini 3) or thinkingBudget (Gemini 2.5), per the table in
hotswap_google.thinking, and maxOutputTokens leaving room for the thinking."""

from __future__ import annotations

import pytest
from hotswap_google.thinking import generation_fields

from hotswap.plugin import ThinkingLevel

LEVELS = ["off", "minimal", "low", "medium", "high", "xhigh"]


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("gemini-3-flash-preview", ["MINIMAL", "MINIMAL", "LOW", "MEDIUM", "HIGH", "HIGH"]),
        ("gemini-3.1-flash-lite", ["MINIMAL", "MINIMAL", "LOW", "MEDIUM", "HIGH", "HIGH"]),
        ("gemini-3.1-pro-preview", ["LOW", "LOW", "LOW", "MEDIUM", "HIGH", "HIGH"]),
        ("gemini-3-pro-preview", ["LOW", "LOW", "LOW", "HIGH", "HIGH", "HIGH"]),
    ],
)
def test_gemini_3_gets_a_thinking_level_it_accepts(model_id, expected):
    levels = [
        generation_fields(ThinkingLevel(level), None, model_id, None)["thinkingConfig"]
        for level in LEVELS
    ]

    assert [config["thinkingLevel"] for config in levels] == expected
    assert all("thinkingBudget" not in config for config in levels)


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("gemini-2.5-flash", [0, 512, 2048, 8192, 16384, 24576]),
        ("gemini-2.5-flash-lite", [0, 512, 2048, 8192, 16384, 24576]),
        ("gemini-2.5-pro", [128, 512, 2048, 8192, 16384, 32768]),
        ("gemini-flash-latest", [0, 512, 2048, 8192, 16384, 24576]),
    ],
)
def test_gemini_2_5_gets_a_budget_within_its_range(model_id, expected):
    budgets = [
        generation_fields(ThinkingLevel(level), None, model_id, None)["thinkingConfig"]
        for level in LEVELS
    ]

    assert [config["thinkingBudget"] for config in budgets] == expected


def test_thoughts_are_asked_for_except_at_off():
    off = generation_fields(ThinkingLevel.OFF, None, "gemini-2.5-flash", None)
    low = generation_fields(ThinkingLevel.LOW, None, "gemini-2.5-flash", None)

    assert off == {"thinkingConfig": {"thinkingBudget": 0}}
    assert low == {"thinkingConfig": {"thinkingBudget": 2048, "includeThoughts": True}}


def test_no_level_sends_no_thinking_config():
    assert generation_fields(None, None, "gemini-2.5-flash", None) == {}
    assert generation_fields(None, 300, "gemini-2.5-flash", 65536) == {"maxOutputTokens": 300}


def test_max_tokens_is_room_for_the_answer_with_the_thinking_on_top():
    budget = generation_fields(ThinkingLevel.LOW, 1000, "gemini-2.5-flash", 65536)
    level = generation_fields(ThinkingLevel.MEDIUM, 1000, "gemini-3-flash-preview", 65536)

    assert budget["maxOutputTokens"] == 1000 + 2048
    assert level["maxOutputTokens"] == 1000 + 8192


def test_the_sum_is_capped_at_the_model_s_output_limit():
    fields = generation_fields(ThinkingLevel.XHIGH, 60000, "gemini-2.5-pro", 65536)

    assert fields["maxOutputTokens"] == 65536
