"""Instructions per request: hotswap's own work counted exactly, where timing cannot settle it.

On a busy machine a loopback request's time swings by more than the 5% a goal is about, from
run to run. The number of instructions the client's process executes per request does not: it
is counted here by valgrind's cachegrind, for ``chain.complete`` and ``chain.acomplete`` and for
the same requests sent by a bare httpx2 program (``client.send``, the chain's request, the
answer decoded with msgspec), over loopback to the simulator in its own process.

Each count is taken in a child process under valgrind that sets up everything (imports, the
chain, the bare client, one request of each kind) and then sends N requests of one kind; a run
that sends none is subtracted, so what remains is N requests' worth, divided by N. Counts are of
user-space instructions in the client's process: the kernel's work on the socket, the same for
both, is not in them. Two runs agree to within a few thousand instructions per request: an
async run's event loop may go round once more or less while the simulator answers. Skipped,
with a note, where valgrind is not installed.

The same runs simulate the L1 caches (cachegrind's model of this machine's: 32 KiB each for
instructions and data) and count their misses per request. A miss costs a dozen cycles or more
where an instruction costs about one, which is why a request's time grows by more than its
instruction count when the extra work touches code and data the request had not touched yet.
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

import httpx2
from harness import Table, WireFormat, captured_request, chain_for, decode, use_benchmark_keys

from hotswap import Transport

PROMPT = "What is the capital of Norway?"
MODES = ("sync", "async")
CASES = ("none", "bare", "hotswap")
# What each count reads from cachegrind's summary.
EVENTS = {
    "instructions": r"I\s+refs:\s+([\d,]+)",
    "i1_misses": r"I1\s+misses:\s+([\d,]+)",
    "d1_misses": r"D1\s+misses:\s+([\d,]+)",
}


def run(url: str, formats: list[WireFormat], *, quick: bool) -> Table:
    title = "Instructions per request (valgrind, over loopback)"
    columns = [
        "format, mode",
        "bare",
        "hotswap",
        "ratio",
        "added",
        "L1i misses added",
        "L1d misses added",
    ]
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
            each = {
                case: {
                    event: (counts[(fmt.provider, mode, case)][event] - base[event]) / requests
                    for event in EVENTS
                }
                for case in ("bare", "hotswap")
            }
            bare, ours = each["bare"]["instructions"], each["hotswap"]["instructions"]
            ratio = ours / bare
            i1 = each["hotswap"]["i1_misses"] - each["bare"]["i1_misses"]
            d1 = each["hotswap"]["d1_misses"] - each["bare"]["d1_misses"]
            rows.append(
                [
                    f"{fmt.name}, {mode}",
                    f"{bare / 1000:,.1f}k",
                    f"{ours / 1000:,.1f}k",
                    f"{ratio:.3f}x",
                    f"{(ours - bare) / 1000:+,.1f}k",
                    f"{i1:+,.0f}",
                    f"{d1:+,.0f}",
                ]
            )
            data[f"{fmt.provider}/{mode}"] = {
                "bare": round(bare),
                "hotswap": round(ours),
                "ratio": round(ratio, 4),
                "added": round(ours - bare),
                "requests": requests,
                **{
                    f"{event}_{case}": round(figures[event])
                    for case, figures in each.items()
                    for event in EVENTS
                    if event != "instructions"
                },
            }
    return Table(
        title,
        columns,
        rows,
        [
            f"{requests} requests per count, less a run of none; user-space instructions of the "
            "client's process (cachegrind).",
            "sync: chain.complete against httpx2.Client.send; async: chain.acomplete against "
            "httpx2.AsyncClient.send, the same request, each client with its own pool.",
            "L1i/L1d misses added: per request, hotswap's less the bare client's, in "
            "cachegrind's simulation of the 32 KiB L1 instruction and data caches.",
        ],
        data,
    )


def _count(
    valgrind: str, url: str, provider: str, mode: str, case: str, requests: int
) -> dict[str, int]:
    """Instructions a child process runs to set up and send ``requests`` of ``case``, and its
    L1 cache misses."""
    command = [
        valgrind,
        "--tool=cachegrind",
        "--cache-sim=yes",
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
    found = {event: re.search(pattern, done.stderr) for event, pattern in EVENTS.items()}
    if done.returncode != 0 or not all(found.values()):
        raise RuntimeError(f"counting {provider} {mode} {case} failed:\n{done.stderr[-2000:]}")
    return {event: int(match.group(1).replace(",", "")) for event, match in found.items() if match}


def _child(url: str, provider: str, mode: str, case: str, requests: int) -> None:
    """Set up both kinds of request, send one of each, then ``requests`` of ``case`` (none for
    ``none``)."""
    use_benchmark_keys()
    from harness import installed_formats

    fmt = next(f for f in installed_formats() if f.provider == provider)
    request = captured_request(url, fmt, PROMPT)
    if mode == "sync":
        with Transport() as transport, httpx2.Client(follow_redirects=False) as client:
            chain = chain_for(url, fmt, transport=transport)

            def bare() -> None:
                answer = client.send(request.build(client))
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
        client = httpx2.AsyncClient(follow_redirects=False)

        async def bare() -> None:
            answer = await client.send(request.build(client))
            decode(answer.content)

        async def ours() -> None:
            await chain.acomplete(PROMPT)

        await bare()
        await ours()
        send = bare if case == "bare" else ours
        for _ in range(requests):
            await send()
        await transport.aclose()
        await client.aclose()

    asyncio.run(main())


if __name__ == "__main__":  # a child process, started by _count
    _child(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
