"""The benchmarks still run: every section, with tiny counts (a smoke test, not a measurement).
The comparison with LiteLLM is left out: it installs LiteLLM from the package index first."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_every_section_runs_and_writes_its_table_as_json_and_markdown(tmp_path: Path) -> None:
    results, page = tmp_path / "results.json", tmp_path / "benchmarks.md"

    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/run.py"),
            "--quick",
            "--only",
            "overhead,stages,streams,failover,concurrency,startup",
            "--json",
            str(results),
            "--markdown",
            str(page),
        ],
        check=True,
        capture_output=True,
        timeout=110,
    )

    written = json.loads(results.read_text())
    titles = [table["title"] for table in written["tables"]]
    assert titles[0].startswith("Completion overhead")
    assert any(t.startswith("Where the added time goes") for t in titles)
    assert any(t.startswith("Streaming over HTTP") for t in titles)
    assert any(t.startswith("Failover cost") for t in titles)
    assert any(t.startswith("Concurrency") for t in titles)
    assert any(t.startswith("Start-up") for t in titles)
    assert written["machine"]["cores"] >= 1
    overhead = written["tables"][0]["data"]
    for figures in overhead.values():
        # The median of the rounds' ratios lies within their middle half.
        assert figures["ratio_q1"] <= figures["ratio"] <= figures["ratio_q3"]
    for title in titles:
        assert f"## {title}" in page.read_text()


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_instructions_are_counted_for_both_clients(tmp_path: Path) -> None:
    results = tmp_path / "results.json"

    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/run.py"),
            "--quick",
            "--only",
            "instructions",
            "--json",
            str(results),
        ],
        check=True,
        capture_output=True,
        timeout=110,
    )

    (table,) = json.loads(results.read_text())["tables"]
    assert table["title"].startswith("Instructions per request")
    (figures,) = table["data"].values()
    # A request through either client runs hundreds of thousands of instructions at least.
    assert figures["bare"] > 100_000
    assert figures["hotswap"] > 100_000
    assert figures["ratio"] == pytest.approx(figures["hotswap"] / figures["bare"], abs=1e-3)
    # And misses the simulated L1 caches some thousands of times.
    for cache in ("i1", "d1"):
        assert figures[f"{cache}_misses_bare"] > 1_000
        assert figures[f"{cache}_misses_hotswap"] > 1_000
