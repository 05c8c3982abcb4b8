"""The sections that hold hotswap to its goals run, with tiny counts, and write well-formed
figures: numbers where numbers belong, every goal stated with whether it is met. What the
figures are is a measurement, never checked here."""

from __future__ import annotations

import json
import subprocess
import sys
from numbers import Real
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = {
    "coldstart": "Cold start",
    "history": "History cost",
    "breakers": "Open breakers",
    "in_flight": "Requests in flight",
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("bench")
    results, page = folder / "results.json", folder / "benchmarks.md"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/run.py"),
            "--quick",
            "--only",
            ",".join(SECTIONS),
            "--json",
            str(results),
            "--markdown",
            str(page),
        ],
        check=True,
        capture_output=True,
        timeout=170,
    )
    tables = {
        next(name for name, title in SECTIONS.items() if table["title"].startswith(title)): table
        for table in json.loads(results.read_text())["tables"]
    }
    return {"tables": tables, "page": page.read_text()}


def _positive(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and value > 0


def _goals_are_stated(data: dict[str, Any], count: int) -> None:
    goals = data["goals"]
    assert len(goals) == count
    for goal in goals:
        assert set(goal) == {"measure", "value", "unit", "limit", "at_least", "goal", "met"}
        assert _positive(goal["value"])
        assert _positive(goal["limit"])
        assert isinstance(goal["met"], bool)
        assert goal["goal"].startswith(("under ", "at least "))


pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def test_every_goal_section_writes_a_table_and_its_page_section(written: dict[str, Any]) -> None:
    assert set(written["tables"]) == set(SECTIONS)
    for table in written["tables"].values():
        assert f"## {table['title']}" in written["page"]
        assert table["rows"]
        assert all(len(row) == len(table["columns"]) for row in table["rows"])
    assert "## Summary" in written["page"]


def test_cold_start_times_three_programs_against_its_goal(written: dict[str, Any]) -> None:
    data = written["tables"]["coldstart"]["data"]
    for program in ("python", "bare", "hotswap"):
        assert _positive(data[program]["best_ms"])
        assert data[program]["best_ms"] <= data[program]["median_ms"]
    _goals_are_stated(data, 1)


def test_history_cost_is_measured_per_format_size_and_form(written: dict[str, Any]) -> None:
    data = written["tables"]["history"]["data"]
    figures = {key: value for key, value in data.items() if key != "goals"}
    # A quick run: 100 and 1,000 messages, as dicts and as Messages, per installed format.
    assert {key.split("/", 1)[1] for key in figures} == {
        "dicts/100",
        "Messages/100",
        "dicts/1000",
        "Messages/1000",
    }
    for value in figures.values():
        for key in ("bare_us", "hotswap_us", "ratio", "bare_cpu_us", "hotswap_cpu_us"):
            assert _positive(value[key])
        assert value["ratio_q1"] <= value["ratio"] <= value["ratio_q3"]
    _goals_are_stated(data, 2)  # 1,000 messages, as dicts and as Messages


def test_open_breakers_are_timed_over_loopback_and_in_memory(written: dict[str, Any]) -> None:
    data = written["tables"]["breakers"]["data"]
    for where in ("over loopback", "in memory"):
        for key in ("one_model_us", "cooling_us", "ratio", "cpu_ratio", "one_model_cpu_us"):
            assert _positive(data[where][key])
        assert isinstance(data[where]["per_skipped_us"], float)
    _goals_are_stated(data, 2)


def test_requests_in_flight_are_counted_for_both_clients(written: dict[str, Any]) -> None:
    data = written["tables"]["in_flight"]["data"]
    levels = [key for key in data if key != "goals"]
    assert levels == ["10", "20"]
    for level in levels:
        for key in (
            "bare_per_second",
            "hotswap_per_second",
            "ratio",
            "bare_cpu_us",
            "hotswap_cpu_us",
            "cpu_ratio",
        ):
            assert _positive(data[level][key])
    _goals_are_stated(data, 2)
