"""A workload to profile: hotswap's hot paths, in memory, for a number of seconds.

    .venv/bin/python benchmarks/hotpaths.py [complete|decode] [--provider anthropic] [--seconds 8]

``complete`` runs ``chain.complete`` against httpx2's mock transport (the overhead section's
in-memory row); ``decode`` turns a captured 5,000-chunk stream into events (the streams
section's offline row). Run it under a sampling profiler, which does not slow the code it
watches the way cProfile does::

    uvx py-spy record -r 2000 -o profile.svg -- .venv/bin/python benchmarks/hotpaths.py complete
    uvx pyinstrument benchmarks/hotpaths.py decode --provider openai

``--cprofile`` prints the standard library's deterministic profile instead (no install needed;
its overhead inflates small functions, so read it for call counts rather than time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import streams

PROMPT = "What is the capital of Norway?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["complete", "decode"], nargs="?", default="complete")
    parser.add_argument("--provider", default="anthropic", help="anthropic, openai, google, ollama")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    formats = {f.provider: f for f in harness.installed_formats()}
    if args.provider not in formats:
        parser.error(f"no installed plugin speaks {args.provider!r}; choose from {list(formats)}")
    fmt = formats[args.provider]
    harness.use_benchmark_keys()
    with harness.simulator_process() as url:
        if args.workload == "complete":
            with harness.in_memory(url, fmt, PROMPT) as setup:
                _run(lambda: setup.chain.complete(PROMPT), args.seconds, args.cprofile)
            return
        words = " ".join(f"w{i}" for i in range(5000))
        options = {"max_tokens": 5010}
        _, _, chunks, _, _ = streams._live(url, fmt, words, options, 1)

        def decode() -> None:
            for _ in streams._replayed(url, fmt, chunks, words, options):
                pass

        _run(decode, args.seconds, args.cprofile)


def _run(step: Callable[[], object], seconds: float, deterministic: bool) -> None:
    profiler = cProfile.Profile() if deterministic else None
    if profiler is not None:
        profiler.enable()
    ends, count = time.perf_counter() + seconds, 0
    while time.perf_counter() < ends:
        step()
        count += 1
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    print(f"{count} runs in {seconds:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
