"""Streaming: a long streamed answer (thousands of chunks) through ``chain.stream`` against
raw httpx2 reading the same bytes with the fastest plain parse, for each installed wire
format; then both decoders run again on the same captured bytes, with no network at all.

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
    Table,
    WireFormat,
    chain_for,
    decode,
    interleaved,
    ms,
    paired_ratio,
    us,
    wire_request,
)

from hotswap import TextDelta
from hotswap.plugin.framing import NDJSONDecoder, SSEDecoder
from hotswap.wire.transport import Transport

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
        exchange, parse, captured, results, timing = _live(url, fmt, prompt, options, rounds)
        events = sum(1 for _ in _events(exchange, captured))
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
        decode_rows += _decode_rows(fmt, exchange, captured, parse, quick, decode_data)
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
            "framing: bytes to frames (hotswap's SSEDecoder/NDJSONDecoder; a stream's "
            "NDJSON lines are cut the same way, inline) against splitting lines and keeping "
            "data lines.",
            "to events: bytes to typed events (StreamState: decoder, the plugin's translator, "
            "failure checks) against the plain parse (split, msgspec's decode, take the text). "
            "Goal: within 1.5x.",
            "to events, plain parse with json: the same, against a plain parse reading JSON with "
            "the standard library's json.loads (the baseline before hotswap read JSON with "
            "a faster library).",
        ],
        decode_data,
    )
    return [live, decoding]


# -- over HTTP -------------------------------------------------------------------------------------


def _live(url: str, fmt: WireFormat, prompt: str, options: dict[str, Any], rounds: int) -> Any:
    """Stream ``prompt``'s answer raw and through a chain, alternately; return the exchange,
    the plain parser used, the chunks as last read, the (TTFT, total) pairs and the timing."""
    with Transport() as transport:
        client = transport.client  # raw reads go over the chain's own connection pool
        chain = chain_for(url, fmt, transport=transport)
        exchange = wire_request(chain, prompt, stream=True, **options)
        ndjson = exchange.open_stream()._translator.framing == "ndjson"
        parse = _plain_ndjson if ndjson else _plain_sse
        captured: list[bytes] = []
        results: dict[str, list[tuple[float, float]]] = {"raw": [], "hotswap": []}

        def raw(n: int) -> None:
            for _ in range(n):
                first, total, chunks = _raw_stream(client, exchange, parse, fmt.text_of)
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
    return exchange, parse, captured, results, timing


def _raw_stream(
    client: httpx2.Client,
    exchange: Any,
    parse: Callable[[Iterable[bytes], Callable[[Any], str | None]], Iterable[str]],
    text_of: Callable[[Any], str | None],
) -> tuple[float, float, list[bytes]]:
    started = time.perf_counter()
    first = 0.0
    chunks: list[bytes] = []
    request = client.build_request(
        exchange.method, exchange.url, content=exchange.body, headers=exchange.headers
    )
    response = client.send(request, stream=True)
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


def _plain_frames(chunks: Iterable[bytes], ndjson: bool) -> int:
    count = 0
    buffer = b""
    for chunk in chunks:
        *lines, buffer = (buffer + chunk).split(b"\n")
        for line in lines:
            if line if ndjson else line.startswith(b"data:"):
                count += 1
    return count


# -- offline decoding ------------------------------------------------------------------------------


def _events(exchange: Any, chunks: list[bytes]) -> Iterable[Any]:
    state = exchange.open_stream()
    for chunk in chunks:
        yield from state.feed(chunk)
        if state.failure is not None:
            raise state.failure
    yield from state.end()


def _decode_rows(
    fmt: WireFormat,
    exchange: Any,
    chunks: list[bytes],
    parse: Any,
    quick: bool,
    data: dict[str, Any],
) -> list[list[Any]]:
    ndjson = parse is _plain_ndjson
    decoder = NDJSONDecoder if ndjson else SSEDecoder
    events = sum(1 for _ in _events(exchange, chunks))

    def frames_plain(n: int) -> None:
        for _ in range(n):
            _plain_frames(chunks, ndjson)

    def frames_ours(n: int) -> None:
        for _ in range(n):
            feed = decoder().feed
            for chunk in chunks:
                feed(chunk)

    def events_plain(n: int) -> None:
        for _ in range(n):
            for _ in parse(chunks, fmt.text_of):
                pass

    def events_plain_stdlib(n: int) -> None:
        for _ in range(n):
            for _ in parse(chunks, fmt.text_of, json.loads):
                pass

    def events_ours(n: int) -> None:
        for _ in range(n):
            for _ in _events(exchange, chunks):
                pass

    rounds, batch = (3, 2) if quick else (15, 10)
    rows = []
    for stage, plain, ours in (
        ("framing", frames_plain, frames_ours),
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
    return rows
