"""Concurrency: 1, 10, 100 and 1000 requests (and streams) in flight at once from one event loop,
through one chain and through bare httpx2 and bare aiohttp clients sending the same bytes.

For each: requests per second, p50 and p99 latency, this process's CPU time per request, the
memory each request in flight holds (traced allocations at the peak of one wave of that many
simultaneous requests, divided by their number), and the tasks still alive once every request
has finished. Every client gets the same pool size (100 connections, httpx2's default), and
the bare clients send, through their public APIs, the request the chain sends.
"""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx2
from harness import (
    BareRequest,
    Table,
    WireFormat,
    captured_request,
    chain_for,
    decode,
    ms,
    percentile,
)

from hotswap import TextDelta, Transport

PROMPT = "What is the capital of Norway?"
STREAM_WORDS = 40
POOL = 100
TIMEOUT = 120.0
"""Seconds any one request may take, pool wait included, for the bare clients (hotswap's own
limits are longer): with a thousand requests queued for a hundred connections, httpx2's
default five-second pool limit would fail requests that are only waiting their turn."""


@dataclass
class Client:
    """One way of sending the benchmark's requests."""

    name: str
    complete: Callable[[], Awaitable[Any]]
    stream: Callable[[], Awaitable[Any]]
    close: Callable[[], Awaitable[None]]


def run(url: str, formats: list[WireFormat], *, quick: bool) -> Table:
    levels = (1, 10) if quick else (1, 10, 100, 1000)
    return asyncio.run(_run(url, formats[0], levels, quick))


async def _run(url: str, fmt: WireFormat, levels: tuple[int, ...], quick: bool) -> Table:
    rows: list[list[Any]] = []
    data: dict[str, Any] = {}
    for kind in ("complete", "stream"):
        for level in levels:
            total = max(level, 20) if quick else max(3 * level, 300 if kind == "complete" else 100)
            for make in _CLIENTS:
                client = await make(url, fmt)
                try:
                    result = await _load(client, kind, level, total)
                finally:
                    await client.close()
                rows.append(
                    [
                        kind,
                        level,
                        client.name,
                        round(result["per_second"]),
                        result["p50_ms"],
                        result["p99_ms"],
                        result["cpu_us"],
                        result["kib_in_flight"],
                        result["left_over"],
                    ]
                )
                data[f"{kind}/{level}/{client.name}"] = result
    return Table(
        "Concurrency (one event loop, one chain)",
        [
            "kind",
            "in flight",
            "client",
            "req/s",
            "p50 ms",
            "p99 ms",
            "CPU µs/req",
            "KiB/in-flight",
            "left over",
        ],
        rows,
        [
            f"complete: a short answer; stream: a {STREAM_WORDS + 2}-word answer read to its end. "
            f"Each level sends max(3 x in flight, 300 or 100) requests; pool of {POOL} "
            "connections for every client.",
            "left over: tasks still alive once all finished (0 = nothing leaked).",
        ],
        data,
    )


async def _load(client: Client, kind: str, level: int, total: int) -> dict[str, Any]:
    call = client.complete if kind == "complete" else client.stream
    for _ in range(min(level, 10)):
        await call()  # warm: open connections, fill caches
    latencies: list[float] = []
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    gc.collect()
    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(level)))
    elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu
    memory = await _memory_per_request(call, level)
    await asyncio.sleep(0)
    tasks = len(asyncio.all_tasks()) - 1
    return {
        "requests": total,
        "per_second": total / elapsed,
        "p50_ms": ms(percentile(latencies, 0.5)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "cpu_us": round(cpu_used / total * 1e6),
        "kib_in_flight": round(memory / 1024, 1),
        "left_over": tasks,
    }


async def _memory_per_request(call: Callable[[], Awaitable[Any]], level: int) -> float:
    """Traced bytes at the peak of ``level`` simultaneous requests, per request."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        await asyncio.gather(*(call() for _ in range(level)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return max(peak - before, 0) / level


# -- the clients -----------------------------------------------------------------------------------


async def _hotswap(url: str, fmt: WireFormat) -> Client:
    return through_chain("hotswap (httpx2)", url, fmt, Transport())


async def _hotswap_aiohttp(url: str, fmt: WireFormat) -> Client:
    return through_chain("hotswap (aiohttp)", url, fmt, Transport.aiohttp())


def through_chain(name: str, url: str, fmt: WireFormat, transport: Transport) -> Client:
    """A client sending through a chain of ``fmt``'s model over ``transport``."""
    chain = chain_for(url, fmt, transport=transport)

    async def complete() -> None:
        await chain.acomplete(PROMPT)

    async def stream() -> None:
        texts = 0
        async for event in chain.astream(_LONG):
            texts += isinstance(event, TextDelta)
        if texts < STREAM_WORDS:
            raise RuntimeError(f"a stream of {texts} texts")

    return Client(name, complete, stream, transport.aclose)


async def _bare_httpx(url: str, fmt: WireFormat) -> Client:
    client = httpx2.AsyncClient(follow_redirects=False, timeout=TIMEOUT)
    short, long = _requests(url, fmt)

    async def complete() -> None:
        response = await client.send(short.build(client))
        _check(response.status_code)
        decode(response.content)

    async def stream() -> None:
        response = await client.send(long.build(client), stream=True)
        try:
            _check(response.status_code)
            buffer = b""
            async for chunk in response.aiter_bytes():
                buffer = _plain_lines(buffer + chunk)
        finally:
            await response.aclose()

    return Client("bare httpx2", complete, stream, client.aclose)


async def bare_aiohttp(url: str, fmt: WireFormat) -> Client:
    """A plain aiohttp program sending the chain's request, with the same pool size."""
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=POOL),
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
    )
    short, long = _requests(url, fmt)

    async def complete() -> None:
        async with session.request(
            short.method, short.url, data=short.body(), headers=short.headers
        ) as response:
            _check(response.status)
            decode(await response.read())

    async def stream() -> None:
        async with session.request(
            long.method, long.url, data=long.body(), headers=long.headers
        ) as response:
            _check(response.status)
            buffer = b""
            async for chunk in response.content.iter_any():
                buffer = _plain_lines(buffer + chunk)

    return Client("bare aiohttp", complete, stream, session.close)


_CLIENTS = (_bare_httpx, bare_aiohttp, _hotswap, _hotswap_aiohttp)

_LONG = " ".join(f"w{i}" for i in range(STREAM_WORDS))


def _requests(url: str, fmt: WireFormat) -> tuple[BareRequest, BareRequest]:
    return captured_request(url, fmt, PROMPT), captured_request(url, fmt, _LONG, stream=True)


def _plain_lines(buffer: bytes) -> bytes:
    *lines, rest = buffer.split(b"\n")
    for line in lines:
        if line.startswith(b"data:") and line != b"data: [DONE]":
            decode(line[5:])
        elif line[:1] == b"{":
            decode(line)
    return rest


def _check(status: int) -> None:
    if status != 200:
        raise RuntimeError(f"request failed with {status}")
