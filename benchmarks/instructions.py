"""Instructions per request: hotswap's own work counted exactly, where timing cannot settle it.

On a busy machine a loopback request's time swings by more than the 5% a goal is about, from
run to run. The number of instructions the client's process executes per request does not: it
is counted here by valgrind's cachegrind, for ``chain.complete`` and ``chain.acomplete`` and for
the same requests sent by a bare httpx2 client (the exchange's exact bytes, the answer decoded
with msgspec), over loopback to the simulator in its own process.

Each count is taken in a child process under valgrind that sets up everything (imports, the
chain, the bare client, one request of each kind) and then sends N requests of one kind; a run
that sends none is subtracted, so what remains is N requests' worth, divided by N. Counts are of
user-space instructions in the client's process: the kernel's work on the socket, the same for
both, is not in them, so the ratio here is an upper bound on what the same work adds to a
request's time. Skipped, with a note, where valgrind is not installed.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from harness import Table, WireFormat, chain_for, decode, use_benchmark_keys, wire_request

from hotswap.transport import Transport

PROMPT = "What is the capital of Norway?"
MODES = ("sync", "async")
CASES = ("none", "bare", "hotswap")


def run(url: str, formats: list[WireFormat], *, quick: bool) -> Table:
    title = "Instructions per request (valgrind, over loopback)"
    columns = ["format, mode", "bare", "hotswap", "ratio", "added"]
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return Table(title, columns, [], ["Skipped: valgrind is not installed."], {})
    # Each count takes a valgrind run of several seconds: a quick run makes three.
    formats, modes = (formats[:1], MODES[:1]) if quick else (formats, MODES)
    requests = 2 if quick else 100
    jobs = [(fmt.provider, mode, case) for fmt in formats for mode in modes for case in CASES]
    # Two at a time: the counts do not depend on how busy the machine is, only the wait does.
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(
            zip(
                jobs,
                pool.map(lambda job: _count(valgrind, url, *job, requests), jobs),
                strict=True,
            )
        )
    rows: list[list[Any]] = []
    data: dict[str, Any] = {}
    for fmt in formats:
        for mode in modes:
            base = counts[(fmt.provider, mode, "none")]
            bare = (counts[(fmt.provider, mode, "bare")] - base) / requests
            ours = (counts[(fmt.provider, mode, "hotswap")] - base) / requests
            ratio = ours / bare
            rows.append(
                [
                    f"{fmt.name}, {mode}",
                    f"{bare / 1000:,.1f}k",
                    f"{ours / 1000:,.1f}k",
                    f"{ratio:.3f}x",
                    f"{(ours - bare) / 1000:+,.1f}k",
                ]
            )
            data[f"{fmt.provider}/{mode}"] = {
                "bare": round(bare),
                "hotswap": round(ours),
                "ratio": round(ratio, 4),
                "added": round(ours - bare),
                "requests": requests,
            }
    return Table(
        title,
        columns,
        rows,
        [
            f"{requests} requests per count, less a run of none; user-space instructions of the "
            "client's process (cachegrind).",
            "sync: chain.complete against httpx2.Client.request; async: chain.acomplete against "
            "httpx2.AsyncClient.request, the same bytes on the same connection pool.",
        ],
        data,
    )


def _count(valgrind: str, url: str, provider: str, mode: str, case: str, requests: int) -> int:
    """Instructions a child process runs to set up and send ``requests`` of ``case``."""
    command = [
        valgrind,
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        url,
        provider,
        mode,
        case,
        str(requests if case != "none" else 0),
    ]
    # A fixed hash seed: sets and dicts of strings then take the same steps in every run.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"counting {provider} {mode} {case} failed:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def _child(url: str, provider: str, mode: str, case: str, requests: int) -> None:
    """Set up both kinds of request, send one of each, then ``requests`` of ``case`` (none for
    ``none``)."""
    use_benchmark_keys()
    from harness import installed_formats

    fmt = next(f for f in installed_formats() if f.provider == provider)
    if mode == "sync":
        with Transport() as transport:
            chain = chain_for(url, fmt, transport=transport)
            exchange = wire_request(chain, PROMPT, stream=False)
            client = transport.client

            def bare() -> None:
                answer = client.request(
                    exchange.method, exchange.url, content=exchange.body, headers=exchange.headers
                )
                decode(answer.content)

            def ours() -> None:
                chain.complete(PROMPT)

            bare()
            ours()
            send = bare if case == "bare" else ours
            for _ in range(requests):
                send()
        return

    async def main() -> None:
        transport = Transport()
        chain = chain_for(url, fmt, transport=transport)
        exchange = wire_request(chain, PROMPT, stream=False)
        client = transport.async_client

        async def bare() -> None:
            answer = await client.request(
                exchange.method, exchange.url, content=exchange.body, headers=exchange.headers
            )
            decode(answer.content)

        async def ours() -> None:
            await chain.acomplete(PROMPT)

        await bare()
        await ours()
        send = bare if case == "bare" else ours
        for _ in range(requests):
            await send()
        await transport.aclose()

    asyncio.run(main())


if __name__ == "__main__":  # a child process, started by _count
    _child(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
