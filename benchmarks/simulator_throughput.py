"""How many short non-streaming answers a second the provider simulator serves.

    .venv/bin/python benchmarks/simulator_throughput.py [--requests 20000] [--concurrency 32]
        [--provider anthropic|openai|gemini|ollama] [--in-process]

By default the simulator runs as ``hotswap simulate --port 0`` in its own process, as a
benchmark of hotswap would use it, and this process only generates load: aiohttp's client over
``--concurrency`` keep-alive connections, because the load generator must be faster than what
it measures. ``--in-process`` starts the simulator on a thread of this process instead, as
tests do, so the server and the load generator share one interpreter (and its GIL).
Traffic goes to 127.0.0.1 only, and the run stops after ``--requests`` requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp

PROMPT = [{"role": "user", "content": "What is the capital of Norway?"}]
REQUESTS: dict[str, tuple[str, dict[str, Any], dict[str, str]]] = {
    "anthropic": (
        "/v1/messages",
        {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": PROMPT},
        {"x-api-key": "sk-ant-api03-bench", "anthropic-version": "2023-06-01"},
    ),
    "openai": (
        "/v1/chat/completions",
        {"model": "gpt-4.1", "messages": PROMPT},
        {"authorization": "Bearer sk-bench"},
    ),
    "gemini": (
        "/v1beta/models/gemini-2.5-flash:generateContent",
        {"contents": [{"role": "user", "parts": [{"text": PROMPT[0]["content"]}]}]},
        {"x-goog-api-key": "bench"},
    ),
    "ollama": ("/api/chat", {"model": "llama3.2", "messages": PROMPT, "stream": False}, {}),
}


@contextmanager
def simulator_process() -> Iterator[str]:
    """Run ``hotswap simulate`` on a free port; yield its URL."""
    hotswap = Path(sys.executable).with_name("hotswap")
    command = [str(hotswap), "simulate", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            yield server.stdout.readline().rsplit(" ", 1)[-1].strip()
        finally:
            server.terminate()
            server.wait(10)


@contextmanager
def simulator_thread() -> Iterator[str]:
    from hotswap.testing import Simulator

    with Simulator() as simulator:
        yield simulator.url


async def load(url: str, provider: str, total: int, concurrency: int) -> float:
    """Send ``total`` requests over ``concurrency`` connections; return the seconds taken."""
    path, body, headers = REQUESTS[provider]
    payload = json.dumps(body).encode()
    headers = {**headers, "content-type": "application/json"}
    remaining = concurrency  # one request per connection first, to open them all

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            async with session.post(url + path, data=payload, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"unexpected {response.status}: {await response.text()}")

    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        remaining = total
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--provider", choices=sorted(REQUESTS), default="anthropic")
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    serve = simulator_thread if args.in_process else simulator_process
    with serve() as url:
        seconds = asyncio.run(load(url, args.provider, args.requests, args.concurrency))
    where = "in-process (thread)" if args.in_process else "own process"
    print(
        f"{args.requests} {args.provider} requests, {args.concurrency} connections, "
        f"simulator in {where}: {seconds:.2f} s, {args.requests / seconds:,.0f} requests/s"
    )


if __name__ == "__main__":
    main()
