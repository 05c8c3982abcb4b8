"""Completion overhead: N sequential non-streaming answers through ``chain.complete`` (and
``chain.acomplete``) against a bare httpx2 program sending the same request through the same
public API: its own ``httpx2.Client`` (``AsyncClient``), ``client.send`` of a request built by
``client.build_request`` with the JSON body encoded for each request, and the JSON answer
parsed (as any application must) with msgspec, the fastest JSON reader and the one hotswap
uses. The request is the one the chain sends, caught once by an httpx2 event hook.

The in-memory rows replace the network by httpx2's mock transport answering with the bytes the
simulator answered: no sockets, no other process, so the difference is hotswap's own work
alone, measured with far less noise than over loopback. The chain is given the mock client,
the bare program sends through the same one."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import httpx2
from harness import (
    BareRequest,
    Table,
    Timing,
    ainterleaved,
    captured_request,
    chain_for,
    decode,
    in_memory,
    interleaved,
    paired_ratio,
    ratio_quartiles,
    us,
)

from hotswap import Transport

PROMPT = "What is the capital of Norway?"


def run(url: str, formats: list[Any], *, quick: bool) -> Table:
    # Many short rounds rather than a few long ones: the median of the per-round ratios then
    # rests on more pairs, and a burst of other work on the machine spoils fewer requests.
    rounds, batch = (4, 20) if quick else (30, 60)
    rows: list[list[Any]] = []
    data: dict[str, Any] = {}
    for fmt in formats:
        for mode, measure in (
            ("sync", _sync),
            ("async", _async),
            ("async, aiohttp transport vs bare aiohttp", _async_aiohttp),
            ("sync, in memory", _memory),
        ):
            timing = measure(url, fmt, rounds=rounds, batch=batch)
            bare, ours = timing["bare"], timing["hotswap"]
            ratio = paired_ratio(ours.wall, bare.wall)
            low, high = ratio_quartiles(ours.wall, bare.wall)
            cpu_ratio = paired_ratio(ours.cpu, bare.cpu)
            rows.append(
                [
                    f"{fmt.name}, {mode}",
                    us(bare.median),
                    us(ours.median),
                    f"{ratio:.3f}x",
                    f"{low:.2f} to {high:.2f}x",
                    f"{us(ours.median - bare.median):+}",
                    us(bare.cpu_median),
                    us(ours.cpu_median),
                    f"{us(ours.cpu_median - bare.cpu_median):+}",
                ]
            )
            data[f"{fmt.provider}/{mode}"] = {
                "bare_us": us(bare.median),
                "hotswap_us": us(ours.median),
                "ratio": round(ratio, 4),
                "ratio_q1": round(low, 4),
                "ratio_q3": round(high, 4),
                "added_us": us(ours.median - bare.median),
                "bare_cpu_us": us(bare.cpu_median),
                "hotswap_cpu_us": us(ours.cpu_median),
                "cpu_ratio": round(cpu_ratio, 4),
                "added_cpu_us": us(ours.cpu_median - bare.cpu_median),
                "rounds": rounds,
                "batch": batch,
            }
    return Table(
        "Completion overhead (sequential, one connection)",
        [
            "format, mode",
            "bare µs/req",
            "hotswap µs/req",
            "ratio",
            "middle half",
            "added µs",
            "bare CPU µs",
            "hotswap CPU µs",
            "added CPU µs",
        ],
        rows,
        [
            f"{rounds} alternating rounds of {batch} requests each; medians; ratio is the median "
            "of per-round ratios, and the middle half is where the middle half of those ratios "
            "lie (first to third quartile): how far one round's ratio strays from another's.",
            "CPU is this process's CPU time per request: the client's own work (the simulator "
            "runs in another process).",
        ],
        data,
    )


def _sync(url: str, fmt: Any, *, rounds: int, batch: int) -> dict[str, Timing]:
    request = captured_request(url, fmt, PROMPT)
    with Transport() as transport, httpx2.Client(follow_redirects=False) as client:
        chain = chain_for(url, fmt, transport=transport)
        return _sync_pair(chain, client, request, rounds=rounds, batch=batch)


def _sync_pair(
    chain: Any, client: httpx2.Client, request: BareRequest, *, rounds: int, batch: int
) -> dict[str, Timing]:
    """``chain.complete`` against ``client`` sending ``request`` bare, alternately."""

    def bare(n: int) -> None:
        for _ in range(n):
            response = client.send(request.build(client))
            if response.status_code != 200:
                raise RuntimeError(f"bare request failed: {response.status_code}")
            decode(response.content)

    def ours(n: int) -> None:
        for _ in range(n):
            chain.complete(PROMPT)

    bare(50)
    ours(50)
    return interleaved({"bare": bare, "hotswap": ours}, rounds=rounds, batch=batch)


def _async_aiohttp(url: str, fmt: Any, *, rounds: int, batch: int) -> dict[str, Timing]:
    request = captured_request(url, fmt, PROMPT)

    async def measure() -> dict[str, Timing]:
        transport = Transport.aiohttp()
        chain = chain_for(url, fmt, transport=transport)
        session = aiohttp.ClientSession()

        async def bare(n: int) -> None:
            for _ in range(n):
                async with session.request(
                    request.method, request.url, data=request.body(), headers=request.headers
                ) as answer:
                    if answer.status != 200:
                        raise RuntimeError(f"bare request failed: {answer.status}")
                    decode(await answer.read())

        async def ours(n: int) -> None:
            for _ in range(n):
                await chain.acomplete(PROMPT)

        await bare(20)
        await ours(20)
        cases = {"bare": bare, "hotswap": ours}
        timings = await ainterleaved(cases, rounds=rounds, batch=batch)
        await transport.aclose()
        await session.close()
        return timings

    return asyncio.run(measure())


def _memory(url: str, fmt: Any, *, rounds: int, batch: int) -> dict[str, Timing]:
    with in_memory(url, fmt, PROMPT) as setup:
        return _sync_pair(setup.chain, setup.client, setup.request, rounds=rounds, batch=batch * 4)


def _async(url: str, fmt: Any, *, rounds: int, batch: int) -> dict[str, Timing]:
    request = captured_request(url, fmt, PROMPT)

    async def measure() -> dict[str, Timing]:
        transport = Transport()
        client = httpx2.AsyncClient(follow_redirects=False)
        chain = chain_for(url, fmt, transport=transport)

        async def bare(n: int) -> None:
            for _ in range(n):
                response = await client.send(request.build(client))
                if response.status_code != 200:
                    raise RuntimeError(f"bare request failed: {response.status_code}")
                decode(response.content)

        async def ours(n: int) -> None:
            for _ in range(n):
                await chain.acomplete(PROMPT)

        await bare(20)
        await ours(20)
        cases = {"bare": bare, "hotswap": ours}
        timings = await ainterleaved(cases, rounds=rounds, batch=batch)
        await transport.aclose()
        await client.aclose()
        return timings

    return asyncio.run(measure())
