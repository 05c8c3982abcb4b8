"""Start-up: a fresh interpreter importing hotswap, ``hotswap --help``, and a whole program that
makes its first request, with every plugin of the workspace installed; each beside the same
without hotswap (a bare interpreter, httpx2, one bare request)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from importlib.metadata import entry_points
from typing import Any

from harness import BIN, Table, ms

FIRST_REQUEST = """
import sys
from hotswap import Config, chain
config = Config.from_dict({"models": {"m": {
    "provider": "anthropic", "model": "claude-sonnet-4-5", "base_url": sys.argv[1] + "/v1"}}})
chain(["m"], config=config).complete("hi")
"""

BARE_REQUEST = """
import sys, httpx2
httpx2.post(sys.argv[1] + "/v1/messages", json={
    "model": "claude-sonnet-4-5", "max_tokens": 64,
    "messages": [{"role": "user", "content": "hi"}]},
    headers={"x-api-key": "sk-ant-api03-benchmark-0001", "anthropic-version": "2023-06-01"},
).json()
"""


def run(url: str, formats: list[Any], *, quick: bool) -> Table:
    runs = 1 if quick else 15
    python = sys.executable
    cases = [
        ("python -c pass", [python, "-c", "pass"]),
        ("python -c 'import httpx2'", [python, "-c", "import httpx2"]),
        ("python -c 'import hotswap'", [python, "-c", "import hotswap"]),
        ("hotswap --help", [str(BIN / "hotswap"), "--help"]),
        ("first request, bare httpx2 (whole program)", [python, "-c", BARE_REQUEST, url]),
        ("first request, hotswap chain (whole program)", [python, "-c", FIRST_REQUEST, url]),
    ]
    for _, command in cases:
        _elapsed(command)  # writes the bytecode an installed application has
    seconds: dict[str, list[float]] = {name: [] for name, _ in cases}
    for index in range(runs):
        for name, command in cases if index % 2 == 0 else reversed(cases):
            seconds[name].append(_elapsed(command))
    plugins = sorted(e.name for e in entry_points(group="hotswap"))
    rows = [[name, ms(min(s)), ms(statistics.median(s))] for name, s in seconds.items()]
    return Table(
        "Start-up",
        ["what", "best ms", "median ms"],
        rows,
        [
            f"{runs} runs each, interleaved; fresh interpreters with compiled bytecode. "
            f"Plugins installed: {', '.join(plugins) or 'none'}.",
        ],
        {
            "plugins": plugins,
            **{
                name: {"best_ms": ms(min(s)), "median_ms": ms(statistics.median(s))}
                for name, s in seconds.items()
            },
        },
    )


def _elapsed(command: list[str]) -> float:
    # The test runs set PYTHONDONTWRITEBYTECODE; an installed application's interpreter writes
    # and reuses bytecode.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started
