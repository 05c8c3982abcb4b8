"""Streaming: a long streamed answer (thousands of chunks) through ``chain.stream`` against
raw httpx2 reading the same bytes with the fastest plain parse, for each installed wire
format; then both again on the same captured bytes, replayed by httpx2's mock transport with
no network at all (the chain given a client on the mock, the plain parse reading from the
same client).

The plain parse is the least a client can do to get the text out: split lines, read each
``data:`` line (each NDJSON line) with msgspec, the fastest JSON reader and the one hotswap uses,
take the text. hotswap does more for each frame: it
follows the whole SSE grammar (CR line ends, multi-line data, comments), checks the provider
signalled the end, and hands out typed events.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpx2
from harness import (
    BareRequest,
    Table,
    WireFormat,
    captured_request,
    chain_for,
    decode,
    interleaved,
    ms,
    paired_ratio,
    us,
)

from hotswap import TextDelta, Transport

Loads = Callable[[bytes], Any]
loads: Loads = decode


def run(url: str, formats: list[WireFormat], *, quick: bool) -> list[Table]:
    words = 300 if quick else 5000
    rounds = 4 if quick else 10
    prompt = " ".join(f"w{i}" for i in range(words))
    options = {"max_tokens": words + 10}
    live_rows, decode_rows = [], []
    live_data: dict[str, Any] = {}
    decode_data: dict[str, Any] = {}
    for fmt in formats:
        request, parse, captured, results, timing = _live(url, fmt, prompt, options, rounds)
        events = sum(1 for _ in _replayed(url, fmt, captured, prompt, options))
        first_raw = sorted(f for f, _ in results["raw"])[len(results["raw"]) // 2]
        first_ours = sorted(f for f, _ in results["hotswap"])[len(results["hotswap"]) // 2]
        total_raw, total_ours = timing["raw httpx2"], timing["hotswap"]
        ratio = paired_ratio(total_ours.wall, total_raw.wall)
        live_rows.append(
            [
                fmt.name,
                len(captured),
                ms(first_raw),
                ms(first_ours),
                ms(total_raw.median),
                ms(total_ours.median),
                f"{ratio:.3f}x",
                ms(total_raw.cpu_median),
                ms(total_ours.cpu_median),
                round(events / total_ours.median),
            ]
        )
        live_data[fmt.provider] = {
            "chunks": len(captured),
            "events": events,
            "ttft_raw_ms": ms(first_raw),
            "ttft_hotswap_ms": ms(first_ours),
            "total_raw_ms": ms(total_raw.median),
            "total_hotswap_ms": ms(total_ours.median),
            "ratio": round(ratio, 4),
            "cpu_raw_ms": ms(total_raw.cpu_median),
            "cpu_hotswap_ms": ms(total_ours.cpu_median),
            "cpu_ratio": round(paired_ratio(total_ours.cpu, total_raw.cpu), 4),
        }
        decode_rows += _decode_rows(
            url, fmt, request, captured, (prompt, options), parse, quick, decode_data
        )
    live = Table(
        "Streaming over HTTP (one long answer, sync)",
        [
            "format",
            "chunks",
            "raw TTFT ms",
            "hotswap TTFT ms",
            "raw total ms",
            "hotswap total ms",
            "ratio",
            "raw CPU ms",
            "hotswap CPU ms",
            "hotswap events/s",
        ],
        live_rows,
        [
            f"A {words}-word answer streamed one word per event; {rounds} alternating rounds; "
            "medians. Raw: httpx2 iter_bytes with the plain parse below.",
            "TTFT: from sending the request to the first text in hand. CPU: this process's.",
        ],
        live_data,
    )
    decoding = Table(
        "Stream decoding without the network (the same captured bytes)",
        ["format", "stage", "plain parse µs", "hotswap µs", "ratio", "hotswap events/s"],
        decode_rows,
        [
            "to events: the captured bytes replayed by httpx2's mock transport, to typed events "
            "through chain.stream (the whole call: request, decoder, the plugin's translator, "
            "failure checks) against the same bytes read from the same mock client with the "
            "plain parse (split, msgspec's decode, take the text). Goal: within 1.5x.",
            "to events, plain parse with json: the same, against a plain parse reading JSON with "
            "the standard library's json.loads (the baseline before hotswap read JSON with "
            "a faster library).",
        ],
        decode_data,
    )
    return [live, decoding]


# -- over HTTP -------------------------------------------------------------------------------------


def _live(url: str, fmt: WireFormat, prompt: str, options: dict[str, Any], rounds: int) -> Any:
    """Stream ``prompt``'s answer raw and through a chain, alternately; return the request,
    the plain parser used, the chunks as last read, the (TTFT, total) pairs and the timing."""
    request = captured_request(url, fmt, prompt, stream=True, **options)
    parse = _plain_ndjson if fmt.framing == "ndjson" else _plain_sse
    with Transport() as transport, httpx2.Client(follow_redirects=False) as client:
        chain = chain_for(url, fmt, transport=transport)
        captured: list[bytes] = []
        results: dict[str, list[tuple[float, float]]] = {"raw": [], "hotswap": []}

        def raw(n: int) -> None:
            for _ in range(n):
                first, total, chunks = _raw_stream(client, request, parse, fmt.text_of)
                results["raw"].append((first, total))
                captured[:] = chunks

        def ours(n: int) -> None:
            for _ in range(n):
                results["hotswap"].append(_hotswap_stream(chain, prompt, options))

        raw(1)
        ours(1)
        results["raw"].clear()
        results["hotswap"].clear()
        timing = interleaved({"raw httpx2": raw, "hotswap": ours}, rounds=rounds, batch=1)
    return request, parse, captured, results, timing


def _raw_stream(
    client: httpx2.Client,
    request: BareRequest,
    parse: Callable[[Iterable[bytes], Callable[[Any], str | None]], Iterable[str]],
    text_of: Callable[[Any], str | None],
) -> tuple[float, float, list[bytes]]:
    started = time.perf_counter()
    first = 0.0
    chunks: list[bytes] = []
    response = client.send(request.build(client), stream=True)
    try:
        if response.status_code != 200:
            raise RuntimeError(f"raw stream failed: {response.status_code} {response.read()!r}")
        for _ in parse(_recorded(response.iter_bytes(), chunks), text_of):
            if not first:
                first = time.perf_counter() - started
    finally:
        response.close()
    return first, time.perf_counter() - started, chunks


def _recorded(chunks: Iterable[bytes], into: list[bytes]) -> Iterable[bytes]:
    for chunk in chunks:
        into.append(chunk)
        yield chunk


def _hotswap_stream(chain: Any, prompt: str, options: dict[str, Any]) -> tuple[float, float]:
    started = time.perf_counter()
    first = 0.0
    for event in chain.stream(prompt, **options):
        if not first and isinstance(event, TextDelta):
            first = time.perf_counter() - started
    return first, time.perf_counter() - started


# -- the plain parse -------------------------------------------------------------------------------


def _plain_sse(
    chunks: Iterable[bytes], text_of: Callable[[Any], str | None], loads: Loads = loads
) -> Iterable[str]:
    buffer = b""
    for chunk in chunks:
        *lines, buffer = (buffer + chunk).split(b"\n")
        for line in lines:
            if line.startswith(b"data:") and line != b"data: [DONE]":
                text = text_of(loads(line[5:]))
                if text:
                    yield text


def _plain_ndjson(
    chunks: Iterable[bytes], text_of: Callable[[Any], str | None], loads: Loads = loads
) -> Iterable[str]:
    buffer = b""
    for chunk in chunks:
        *lines, buffer = (buffer + chunk).split(b"\n")
        for line in lines:
            if line:
                text = text_of(loads(line))
                if text:
                    yield text


# -- replayed, without the network ---------------------------------------------------------------


def _replaying(chunks: list[bytes]) -> httpx2.Client:
    """A client whose every request is answered 200 with ``chunks``, one by one."""

    def reply(_: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=iter(chunks))

    return httpx2.Client(transport=httpx2.MockTransport(reply), follow_redirects=False)


def _replayed(
    url: str, fmt: WireFormat, chunks: list[bytes], prompt: str, options: dict[str, Any]
) -> Iterable[Any]:
    with _replaying(chunks) as client:
        yield from chain_for(url, fmt, transport=Transport(client=client)).stream(prompt, **options)


def _decode_rows(
    url: str,
    fmt: WireFormat,
    request: BareRequest,
    chunks: list[bytes],
    asked: tuple[str, dict[str, Any]],
    parse: Any,
    quick: bool,
    data: dict[str, Any],
) -> list[list[Any]]:
    prompt, options = asked
    client = _replaying(chunks)
    chain = chain_for(url, fmt, transport=Transport(client=client))
    events = sum(1 for _ in chain.stream(prompt, **options))

    def read(loads: Loads) -> None:
        response = client.send(request.build(client), stream=True)
        try:
            for _ in parse(response.iter_bytes(), fmt.text_of, loads):
                pass
        finally:
            response.close()

    def events_plain(n: int) -> None:
        for _ in range(n):
            read(loads)

    def events_plain_stdlib(n: int) -> None:
        for _ in range(n):
            read(json.loads)

    def events_ours(n: int) -> None:
        for _ in range(n):
            for _ in chain.stream(prompt, **options):
                pass

    rounds, batch = (3, 2) if quick else (15, 10)
    rows = []
    for stage, plain, ours in (
        ("to events", events_plain, events_ours),
        ("to events, plain parse with json", events_plain_stdlib, events_ours),
    ):
        plain(1)
        ours(1)
        timing = interleaved({"plain": plain, "hotswap": ours}, rounds=rounds, batch=batch)
        ratio = paired_ratio(timing["hotswap"].wall, timing["plain"].wall)
        rows.append(
            [
                fmt.name,
                stage,
                us(timing["plain"].median),
                us(timing["hotswap"].median),
                f"{ratio:.2f}x",
                round(events / timing["hotswap"].median),
            ]
        )
        data[f"{fmt.provider}/{stage}"] = {
            "chunks": len(chunks),
            "bytes": sum(map(len, chunks)),
            "events": events,
            "plain_us": us(timing["plain"].median),
            "hotswap_us": us(timing["hotswap"].median),
            "ratio": round(ratio, 4),
        }
    client.close()
    return rows
