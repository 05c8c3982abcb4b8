"""How long the ``hotswap`` command takes to start: ``hotswap --help`` and a command's help,
against a bare interpreter, with the heaviest imports of ``--help`` from ``python -X importtime``.

    .venv/bin/python benchmarks/cli_startup.py [--runs 15] [--imports 12]

Each figure is the best and the median of ``--runs`` runs of the installed ``hotswap`` script
(whatever plugins are installed in this environment: the workspace's ``.venv`` has them all).
The budget is 150 ms for ``hotswap --help``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
HOTSWAP = str(BIN / "hotswap")
BUDGET_MS = 150.0


def timed(command: list[str], runs: int) -> tuple[float, float]:
    """Best and median wall time of ``command``, in milliseconds."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        samples.append((time.perf_counter() - start) * 1000.0)
    return min(samples), statistics.median(samples)


def heaviest_imports(count: int) -> list[tuple[float, str]]:
    """The top-level imports of ``hotswap --help`` that took longest, with their cumulative ms."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", HOTSWAP, "--help"],
        check=True,
        capture_output=True,
        text=True,
    )
    found = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "cumulative" in line:
            continue
        _, cumulative, name = line.split(":", 1)[1].split("|")
        # Top level only (nested imports are indented): its time includes its children's.
        if not name[1:].startswith(" "):
            found.append((int(cumulative) / 1000.0, name.strip()))
    return sorted(found, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--imports", type=int, default=12)
    args = parser.parse_args()

    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("hotswap --help", [HOTSWAP, "--help"]),
        ("hotswap ask --help", [HOTSWAP, "ask", "--help"]),
        ("hotswap --version", [HOTSWAP, "--version"]),
    ]
    print(f"{'command':<22} {'best ms':>8} {'median ms':>10}")
    results = {}
    for label, command in rows:
        best, median = timed(command, args.runs)
        results[label] = best
        print(f"{label:<22} {best:>8.1f} {median:>10.1f}")
    print(f"\nheaviest imports of `hotswap --help` (cumulative ms, {args.imports} largest):")
    for ms, name in heaviest_imports(args.imports):
        print(f"  {ms:7.1f}  {name}")
    verdict = "within" if results["hotswap --help"] <= BUDGET_MS else "OVER"
    help_ms = results["hotswap --help"]
    print(f"\nhotswap --help: {help_ms:.0f} ms, {verdict} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
