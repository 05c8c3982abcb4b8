"""Cold start: from a fresh interpreter's start to the first request of a chain built from a
config file arriving at a loopback server.

The program run in each fresh interpreter reads a ``hotswap.toml`` naming a chain of models of
different providers (anthropic first, then openai and ollama), builds ``hotswap.chain(...)``
and calls ``complete``. A stdlib HTTP server in this process stamps the request's arrival; the
time is that stamp less the moment just before the interpreter was started. The same is
measured for a bare httpx2 program sending one request, and for ``python -c pass``. One warm-up
run of each, not counted, writes the bytecode an installed application would have.

    .venv/bin/python benchmarks/coldstart.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CONFIG = """
[models.sonnet]
provider = "anthropic"
model = "claude-sonnet-4-5"
base_url = "{url}"

[models.gpt]
provider = "openai"
model = "gpt-4o-mini"
base_url = "{url}/v1"

[models.llama]
provider = "ollama"
model = "llama3"
base_url = "{url}"

[chains.default]
models = ["sonnet", "gpt", "llama"]

[failover]
cooldown_s = 30.0
"""

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

KEYS = {
    "ANTHROPIC_API_KEY": "sk-ant-api03-coldstart-0001",
    "OPENAI_API_KEY": "sk-coldstart-0001",
}


class _Arrivals(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.arrived: list[float] = []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Arrivals

    def do_POST(self) -> None:
        # Stamped once the headers are in, before the body is read.
        self.server.arrived.append(time.time())
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def log_message(self, format: str, *args: object) -> None:
        pass


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    server = _Arrivals()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="hotswap-coldstart-") as folder:
        cwd = Path(folder)
        (cwd / "hotswap.toml").write_text(CONFIG.format(url=url))
        env = {
            **os.environ,
            **KEYS,
            "COLDSTART_URL": url,
            "HOME": folder,
            "XDG_CONFIG_HOME": str(cwd / "xdg"),
            "HOTSWAP_CREDENTIALS_DIR": str(cwd / "credentials"),
        }
        env.pop("HOTSWAP_CONFIG", None)
        # An installed application runs from compiled bytecode: let the warm-up run write it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cases = {
            "python -c pass (whole run)": lambda: _whole([sys.executable, "-c", "pass"], env),
            "bare httpx2: first request arrives": lambda: _first_request(
                server, BARE_PROGRAM, env, cwd
            ),
            "hotswap chain from hotswap.toml: first request arrives": lambda: _first_request(
                server, HOTSWAP_PROGRAM, env, cwd
            ),
        }
        for measure in cases.values():
            measure()
        seconds: dict[str, list[float]] = {name: [] for name in cases}
        for index in range(args.runs):
            order = list(cases.items())
            for name, measure in order if index % 2 == 0 else reversed(order):
                seconds[name].append(measure())
    server.shutdown()
    width = max(len(name) for name in seconds)
    print(f"{'':{width}}  best ms  median ms   ({args.runs} runs, interleaved)")
    for name, values in seconds.items():
        best, median = min(values) * 1000, statistics.median(values) * 1000
        print(f"{name:{width}}  {best:7.1f}  {median:9.1f}")


if __name__ == "__main__":
    main()
