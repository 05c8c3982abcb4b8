"""hotswap's own cost, measured: ``make bench`` (or ``.venv/bin/python benchmarks/run.py``).

    .venv/bin/python benchmarks/run.py [--quick] [--only overhead,streams,...]
        [--json benchmarks/results/latest.json] [--markdown docs/benchmarks.md]

Starts the provider simulator in its own process, runs each section against it side by side
with the bare HTTP clients, prints the tables, and writes them as JSON (and, with
``--markdown``, as the documentation page). ``--quick`` runs every section with tiny counts:
a check that the benchmarks work, not a measurement. A full run of every section writes
``benchmarks/results/latest.json`` unless ``--json`` says otherwise; a quick or partial run
writes JSON only where ``--json`` asks, so it never replaces the published figures. Traffic
goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import report

SectionRun = Callable[..., "harness.Table | list[harness.Table]"]

SECTIONS = (
    "overhead",
    "stages",
    "instructions",
    "streams",
    "failover",
    "concurrency",
    "in_flight",
    "history",
    "breakers",
    "startup",
    "coldstart",
    "alternative",
)
"""Every section, in the order a full run takes them; each is the module of that name."""


def section(name: str) -> SectionRun:
    """A section's ``run``, its module imported only when chosen, so that one section broken by
    a change inside hotswap does not stop the others."""
    run: SectionRun = importlib.import_module(name).run
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny counts: a smoke test")
    parser.add_argument("--only", default="", help="comma-separated sections to run")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args(argv)
    harness.use_benchmark_keys()
    chosen = [s for s in args.only.split(",") if s] or list(SECTIONS)
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {sorted(SECTIONS)}")
    machine = harness.machine()
    formats = harness.installed_formats()
    tables: list[harness.Table] = []
    import failover

    with harness.simulator_process(failover.FAULTS) as url:
        for name in chosen:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            result: Any = section(name)(url, formats, quick=args.quick)
            tables.extend(result if isinstance(result, list) else [result])
    print(report.text(tables, machine))
    written = args.json
    if written is None and not args.quick and chosen == list(SECTIONS):
        written = harness.ROOT / "benchmarks/results/latest.json"
    if written is not None:
        harness.dump(
            written,
            {"machine": machine, "quick": args.quick, "tables": [t.as_json() for t in tables]},
        )
    if args.markdown is not None:
        command = "make bench" if not args.quick else "python benchmarks/run.py --quick"
        args.markdown.write_text(report.markdown(tables, machine, command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
