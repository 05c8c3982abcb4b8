"""Cold start: from a fresh interpreter's start to the first request of a chain built from a
config file arriving at a loopback server.

Each run starts a new interpreter on a program that builds ``hotswap.chain("default")`` from
the ``hotswap.toml`` in its working directory (one model per installed wire format, Anthropic's
first) and calls ``complete``. A stdlib HTTP server in this process stamps each request as it
arrives; the time is that stamp less the moment just before the interpreter was started. The
same is measured for a bare httpx2 program sending the same first request, and for
``python -c pass`` to its end.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from harness import KEYS, Goal, Table, WireFormat, ms

GOAL_MS = 250.0

HOTSWAP_PROGRAM = """
import hotswap
hotswap.chain("default").complete("hi")
"""

BARE_PROGRAM = """
import os, httpx2
httpx2.post(os.environ["COLDSTART_URL"] + "/v1/messages", json={
    "model": "claude-sonnet-4-5", "max_tokens": 64,
    "messages": [{"role": "user", "content": "hi"}]},
    headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"], "anthropic-version": "2023-06-01"},
).json()
"""

ANSWER = json.dumps(
    {
        "id": "msg_coldstart",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": "hello"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }
).encode()
"""What the server answers every request: an Anthropic message (the chain's first model)."""


class _Arrivals(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.arrived: list[float] = []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Arrivals

    def do_POST(self) -> None:
        # Stamped once the request line and headers are read, before the body.
        self.server.arrived.append(time.time())
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def log_message(self, format: str, *args: object) -> None:
        pass


def config_file(url: str, formats: list[WireFormat]) -> str:
    """A ``hotswap.toml`` with one model per wire format and a chain of them all."""
    names = [f"m{i}" for i in range(len(formats))]
    tables = [
        f'[models.{name}]\nprovider = "{fmt.provider}"\nmodel = "{fmt.model}"\n'
        f'base_url = "{url}{fmt.base_path}"\n'
        for name, fmt in zip(names, formats, strict=True)
    ]
    chain = "[chains.default]\nmodels = [" + ", ".join(f'"{n}"' for n in names) + "]\n"
    return "\n".join([*tables, chain])


def run(url: str, formats: list[WireFormat], *, quick: bool) -> Table:
    runs = 2 if quick else 15
    first = [f for f in formats if f.provider == "anthropic"] + [
        f for f in formats if f.provider != "anthropic"
    ]
    server = _Arrivals()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        seconds = _measure(server, first, runs)
    finally:
        server.shutdown()
        server.server_close()
    hotswap = statistics.median(seconds["hotswap"])
    goal = Goal(
        "cold start: process start to a config-file chain's first request",
        hotswap * 1e3,
        " ms",
        GOAL_MS,
    )
    names = {
        "python": "python -c pass (to its end)",
        "bare": "bare httpx2: first request arrives",
        "hotswap": "hotswap chain from hotswap.toml: first request arrives",
    }
    rows = [
        [
            names[key],
            ms(min(values)),
            ms(statistics.median(values)),
            *(("", "") if key != "hotswap" else goal.cells()),
        ]
        for key, values in seconds.items()
    ]
    data: dict[str, Any] = {
        key: {"best_ms": ms(min(values)), "median_ms": ms(statistics.median(values)), "runs": runs}
        for key, values in seconds.items()
    }
    data["goals"] = [goal.as_json()]
    return Table(
        "Cold start (process start to the first request arriving)",
        ["what", "best ms", "median ms", "goal", ""],
        rows,
        [
            f"{runs} runs each, interleaved; fresh interpreters with compiled bytecode. The "
            "chain is hotswap.chain('default') from a hotswap.toml of "
            f"{len(first)} models ({', '.join(f.provider for f in first)}), then complete('hi').",
            f"Goal: under {GOAL_MS:g} ms, the median.",
        ],
        data,
    )


def _measure(server: _Arrivals, formats: list[WireFormat], runs: int) -> dict[str, list[float]]:
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="hotswap-coldstart-") as folder:
        cwd = Path(folder)
        (cwd / "hotswap.toml").write_text(config_file(url, formats))
        env = {
            **os.environ,
            **KEYS,
            "COLDSTART_URL": url,
            "HOME": folder,
            "XDG_CONFIG_HOME": str(cwd / "xdg"),
            "HOTSWAP_CREDENTIALS_DIR": str(cwd / "credentials"),
        }
        env.pop("HOTSWAP_CONFIG", None)
        # Set here for the test runs; an installed application's interpreter writes and reuses
        # bytecode, which the warm-up run below writes.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cases: dict[str, Callable[[], float]] = {
            "python": lambda: _whole([sys.executable, "-c", "pass"], env),
            "bare": lambda: _first_request(server, BARE_PROGRAM, env, cwd),
            "hotswap": lambda: _first_request(server, HOTSWAP_PROGRAM, env, cwd),
        }
        for measure in cases.values():
            measure()  # bytecode compiled, files in the page cache
        seconds: dict[str, list[float]] = {name: [] for name in cases}
        for index in range(runs):
            order = list(cases.items())
            for name, measure in order if index % 2 == 0 else reversed(order):
                seconds[name].append(measure())
    return seconds


def _first_request(server: _Arrivals, program: str, env: dict[str, str], cwd: Path) -> float:
    """Seconds from just before the interpreter starts to its first request's arrival."""
    server.arrived.clear()
    started = time.time()
    subprocess.run(
        [sys.executable, "-c", program], check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL
    )
    if not server.arrived:
        raise RuntimeError("the program finished without sending a request")
    return server.arrived[0] - started


def _whole(command: list[str], env: dict[str, str]) -> float:
    started = time.time()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.time() - started
