"""Failover cost: how long after a 429 arrives the fallback's request leaves, through a chain
and through a bare client that does the same by hand. (What skipping models whose breakers
are open costs is the ``breakers`` section.)

Both clients send through an httpx2 transport that stamps each request as it goes to the
connection pool and when its response headers are back, so the gap is measured in the client,
from the 429's headers to the next request leaving, with the 429's body read in between in both.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx2
from harness import FORMATS, Table, captured_request, chain_for, interleaved, us

from hotswap import Transport
from hotswap.engine import MemoryBreakerStore

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
        first = captured_request(url, primary, PROMPT)
        second = captured_request(url, anthropic, PROMPT)

        def bare(n: int) -> None:
            for _ in range(n):
                refused = client.send(first.build(client))
                if refused.status_code == 429:
                    client.send(second.build(client)).json()
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
    bare_gap = statistics.median(gaps["bare httpx2"])
    our_gap = statistics.median(gaps["hotswap"])
    rows = [
        [
            "429 received → fallback request sent",
            us(bare_gap),
            us(our_gap),
            f"{us(our_gap - bare_gap):+}",
        ],
    ]
    return Table(
        "Failover cost",
        ["measure", "bare httpx2 µs", "hotswap µs", "added µs"],
        rows,
        [
            f"Medians of {rounds * batch} failovers each, alternating bare and hotswap. The gap "
            "includes reading the 429's body; hotswap also classifies it, opens the breaker, "
            "tells observers and builds the fallback's request.",
        ],
        {
            "gap_bare_us": us(bare_gap),
            "gap_hotswap_us": us(our_gap),
            "gap_added_us": us(our_gap - bare_gap),
            "samples": len(gaps["hotswap"]),
        },
    )
