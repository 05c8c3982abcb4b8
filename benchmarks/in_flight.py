"""Many requests in flight through ``Transport.aiohttp()``: 200 and 1,000 short answers at once
from one event loop, through ``chain.acomplete`` against a bare aiohttp program sending the same
request (the concurrency section's clients, same pool size), in alternating rounds: requests
per second, and this process's CPU time per request, hotswap's against aiohttp's alone.
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from concurrency import Client, bare_aiohttp, through_chain
from harness import Goal, Table, WireFormat, paired_ratio

from hotswap import Transport

LEVELS = (200, 1000)
GOAL = 0.8
"""At least this share of bare aiohttp's requests per second."""


def run(url: str, formats: list[WireFormat], *, quick: bool) -> Table:
    levels, rounds = ((10, 20), 2) if quick else (LEVELS, 6)
    return asyncio.run(_run(url, formats[0], levels, rounds, quick))


async def _run(
    url: str, fmt: WireFormat, levels: tuple[int, ...], rounds: int, quick: bool
) -> Table:
    rows: list[list[Any]] = []
    data: dict[str, Any] = {}
    goals = []
    bare = await bare_aiohttp(url, fmt)
    ours = through_chain("hotswap (aiohttp)", url, fmt, Transport.aiohttp())
    try:
        for level in levels:
            total = 2 * level if quick else max(3 * level, 600)
            figures = await _rounds(bare, ours, level, total, rounds)
            rps_bare, rps_ours = figures[bare.name], figures[ours.name]
            ratio = paired_ratio(rps_ours.per_second, rps_bare.per_second)
            cpu_ratio = paired_ratio(rps_ours.cpu, rps_bare.cpu)
            goal = Goal(
                f"requests/s with {level:,} in flight, Transport.aiohttp() against bare aiohttp",
                ratio,
                "x",
                GOAL,
                at_least=True,
            )
            rows.append(
                [
                    level,
                    round(statistics.median(rps_bare.per_second)),
                    round(statistics.median(rps_ours.per_second)),
                    f"{ratio:.2f}x",
                    round(statistics.median(rps_bare.cpu) * 1e6),
                    round(statistics.median(rps_ours.cpu) * 1e6),
                    f"{cpu_ratio:.2f}x",
                    *goal.cells(),
                ]
            )
            data[str(level)] = {
                "in_flight": level,
                "requests": total,
                "rounds": rounds,
                "bare_per_second": round(statistics.median(rps_bare.per_second), 1),
                "hotswap_per_second": round(statistics.median(rps_ours.per_second), 1),
                "ratio": round(ratio, 4),
                "bare_cpu_us": round(statistics.median(rps_bare.cpu) * 1e6, 1),
                "hotswap_cpu_us": round(statistics.median(rps_ours.cpu) * 1e6, 1),
                "cpu_ratio": round(cpu_ratio, 4),
            }
            goals.append(goal.as_json())
    finally:
        await bare.close()
        await ours.close()
    data["goals"] = goals
    return Table(
        "Requests in flight through Transport.aiohttp() (one event loop)",
        [
            "in flight",
            "bare aiohttp req/s",
            "hotswap req/s",
            "ratio",
            "bare CPU µs/req",
            "hotswap CPU µs/req",
            "CPU ratio",
            "goal",
            "",
        ],
        rows,
        [
            f"{rounds} alternating rounds of max(3 x in flight, 600) short answers each; "
            "medians; ratios are medians of per-round ratios.",
            "CPU: this process's CPU time per request (the simulator runs in another process), "
            "the client's own work and the event loop's.",
            f"Goal: at least {GOAL}x bare aiohttp's requests per second.",
        ],
        data,
    )


class _Rounds:
    """Per round: requests per second, and CPU seconds per request."""

    def __init__(self) -> None:
        self.per_second: list[float] = []
        self.cpu: list[float] = []


async def _rounds(
    bare: Client, ours: Client, level: int, total: int, rounds: int
) -> dict[str, _Rounds]:
    clients = [bare, ours]
    figures = {client.name: _Rounds() for client in clients}
    for client in clients:
        await _wave(client.complete, level, level)  # open the connections, fill the caches
    for index in range(rounds):
        for client in clients if index % 2 == 0 else reversed(clients):
            elapsed, cpu = await _wave(client.complete, level, total)
            figures[client.name].per_second.append(total / elapsed)
            figures[client.name].cpu.append(cpu / total)
    return figures


async def _wave(call: Callable[[], Awaitable[Any]], level: int, total: int) -> tuple[float, float]:
    """Send ``total`` requests, ``level`` at a time; the seconds it took, and the CPU time."""
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    gc.collect()
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(level)))
    return time.perf_counter() - started, time.process_time() - cpu
