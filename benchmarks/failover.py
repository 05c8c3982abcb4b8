"""Failover cost: how long after a 429 arrives the fallback's request leaves, through a chain
and through a bare client that does the same by hand; and how long skipping a model whose
breaker is open takes (no network at all).

Both clients send through an httpx2 transport that stamps each request as it goes to the
connection pool and when its response headers are back, so the gap is measured in the client,
from the 429's headers to the next request leaving, with the 429's body read in between in both.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx2
from harness import FORMATS, Table, chain_for, interleaved, us, wire_request

from hotswap import ErrorKind
from hotswap.engine import MemoryBreakerStore
from hotswap.wire.transport import Transport

PRIMARY = "claude-opus-4-1"
"""The model that always answers 429 (scripted in :data:`FAULTS`)."""

FAULTS = f"""
[models."{PRIMARY}"]
then = {{ kind = "rate_limit" }}
"""

PROMPT = "What is the capital of Norway?"


class StampingTransport(httpx2.HTTPTransport):
    """An httpx2 transport that notes, per request, when it left and when its headers came."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: list[tuple[float, float, int]] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        sent = time.perf_counter()
        response = super().handle_request(request)
        self.stamps.append((sent, time.perf_counter(), response.status_code))
        return response

    def gap(self) -> float:
        """From the first response's headers to the second request leaving; then forget."""
        (_, answered, status), (sent, _, _) = self.stamps[-2:]
        if status != 429:
            raise RuntimeError(f"expected the primary's 429, got {status}")
        self.stamps.clear()
        return sent - answered


def run(url: str, formats: list[Any], *, quick: bool) -> Table:
    rounds, batch = (4, 10) if quick else (10, 100)
    anthropic = FORMATS[0]
    primary = type(anthropic)(
        "Anthropic, always 429", "anthropic", PRIMARY, anthropic.base_path, anthropic.text_of
    )
    stamping = StampingTransport()
    client = httpx2.Client(transport=stamping, follow_redirects=False)
    gaps: dict[str, list[float]] = {"bare httpx2": [], "hotswap": []}
    with Transport(client=client) as transport:
        chain = chain_for(url, primary, anthropic, transport=transport)
        first = wire_request(chain, PROMPT, stream=False)
        second = wire_request(chain_for(url, anthropic), PROMPT, stream=False)

        def bare(n: int) -> None:
            for _ in range(n):
                refused = client.request(
                    first.method, first.url, content=first.body, headers=first.headers
                )
                if refused.status_code == 429:
                    client.request(
                        second.method, second.url, content=second.body, headers=second.headers
                    ).json()
                gaps["bare httpx2"].append(stamping.gap())

        def ours(n: int) -> None:
            for _ in range(n):
                chain.breakers = MemoryBreakerStore()  # so the primary is tried every time
                chain.complete(PROMPT)
                gaps["hotswap"].append(stamping.gap())

        bare(10)
        ours(10)
        gaps = {"bare httpx2": [], "hotswap": []}
        interleaved({"bare httpx2": bare, "hotswap": ours}, rounds=rounds, batch=batch)
        skip, direct = _skip(url, primary, anthropic, transport, rounds, batch)
    bare_gap = statistics.median(gaps["bare httpx2"])
    our_gap = statistics.median(gaps["hotswap"])
    rows = [
        [
            "429 received → fallback request sent",
            us(bare_gap),
            us(our_gap),
            f"{us(our_gap - bare_gap):+}",
        ],
        [
            "pick the next model, the first cooling down (no network)",
            "",
            us(skip),
            f"{us(skip - direct):+}",
        ],
        ["pick the model of a one-model chain (no network)", "", us(direct), ""],
    ]
    return Table(
        "Failover cost",
        ["measure", "bare httpx2 µs", "hotswap µs", "added µs"],
        rows,
        [
            f"Medians of {rounds * batch} failovers each, alternating bare and hotswap. The gap "
            "includes reading the 429's body; hotswap also classifies it, opens the breaker, "
            "tells observers and builds the fallback's request.",
            "Skip: planning a call and picking its model when the chain's first model is cooling "
            "down, against the same for a chain of the fallback alone; added = the skip itself.",
        ],
        {
            "gap_bare_us": us(bare_gap),
            "gap_hotswap_us": us(our_gap),
            "gap_added_us": us(our_gap - bare_gap),
            "skip_open_breaker_us": us(skip),
            "plan_closed_us": us(direct),
            "samples": len(gaps["hotswap"]),
        },
    )


def _skip(
    url: str, primary: Any, fallback: Any, transport: Transport, rounds: int, batch: int
) -> tuple[float, float]:
    """Median seconds for a chain's plan to pass over an open breaker and pick the next
    model, and for a one-model chain's plan to pick its model."""
    from hotswap.engine.failover_chain import _request

    request = _request(PROMPT, {})
    cooling = chain_for(url, primary, fallback, transport=transport)
    cooling.breakers.open(cooling.models[0].name, time.monotonic() + 3600, ErrorKind.RATE_LIMITED)
    alone = chain_for(url, fallback, transport=transport)

    def skipping(n: int) -> None:
        for _ in range(n):
            if cooling._plan(request).next() is not cooling.models[1]:
                raise RuntimeError("the cooling model was not skipped")

    def plain(n: int) -> None:
        for _ in range(n):
            alone._plan(request).next()

    timing = interleaved({"skip": skipping, "plain": plain}, rounds=rounds, batch=batch * 10)
    return timing["skip"].median, timing["plain"].median
