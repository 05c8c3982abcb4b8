"""Where hotswap's added time goes: one non-streaming ``chain.complete`` cut into its stages,
each timed on its own, in memory (httpx2's mock transport answering with the simulator's
bytes), for every wire format.

The stages are the engine's own steps, called directly, so this section reaches into private
methods: it explains the overhead table, and breaks (loudly, in ``tests/benchmarks``) when the
engine's steps change. The sum of the stages is less than the whole call: run back to back,
the steps evict each other from the CPU's caches, which no stage measured alone pays.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from harness import Table, decode, in_memory, us

from hotswap.wire.describe import describe_response

PROMPT = "What is the capital of Norway?"


def run(url: str, formats: list[Any], *, quick: bool) -> Table:
    repeat = 200 if quick else 4000
    stages: list[str] = []
    columns: dict[str, dict[str, float]] = {}
    for fmt in formats:
        figures = _stages(url, fmt, repeat)
        columns[fmt.name] = figures
        stages = list(figures)
    rows = [[stage, *(us(columns[f.name][stage]) for f in formats)] for stage in stages]
    return Table(
        "Where the added time goes (in memory, sync, µs per request)",
        ["stage", *(f.name for f in formats)],
        rows,
        [
            f"Each stage run {repeat} times on its own, best of 5, less what the bare client "
            "does too: sending the request through httpx2's client and decoding the JSON "
            "answer.",
            "The stages add up to less than the whole call: run back to back, they evict each "
            "other from the CPU's caches.",
        ],
        {fmt: {k: us(v) for k, v in figures.items()} for fmt, figures in columns.items()},
    )


def _stages(url: str, fmt: Any, repeat: int) -> dict[str, float]:
    from hotswap.engine.failover_chain import _request

    with in_memory(url, fmt, PROMPT) as setup:
        chain, client, content = setup.chain, setup.client, setup.answer
        transport = chain.transport
        request = _request(PROMPT, {})
        plan = chain._plan(request)
        model = plan.next()
        ours = chain._exchange(model, request, plan, stream=False)
        response = client.send(client.build_request(ours.method, ours.url), stream=False)
        reply_read = describe_response(response, response.content)
        completion = ours.completion(reply_read)

        def bare() -> None:
            sent = client.request(ours.method, ours.url, content=ours.body, headers=ours.headers)
            decode(sent.content)

        def records() -> None:
            fresh = chain._plan(request)
            step = fresh.next()
            fresh.succeeded(step, time.monotonic())
            chain._answered(completion, fresh)

        send, parse = "transport: limits, guard, sending", "parse: plugin's translation, completion"
        timed = {
            "the caller's request made": lambda: _request(PROMPT, {}),
            "plan made, model chosen": lambda: chain._plan(request).next(),
            "exchange: credential, plugin's body, JSON, headers": lambda: chain._exchange(
                model, request, plan, stream=False
            ),
            send: lambda: transport._sync._send_whole(ours),
            parse: lambda: ours.completion(reply_read),
            "records: attempt, breaker, stamping, observers": records,
        }
        figures = {name: _best(step, repeat) for name, step in timed.items()}
        # What the bare client does is subtracted from the rows that do it too: sending the
        # request (from the transport's) and decoding the JSON answer (from the parse's).
        decoding = _best(lambda: decode(content), repeat)
        bare_time = _best(bare, repeat)
        figures[send] -= bare_time - decoding
        figures[parse] -= decoding
        figures["records: attempt, breaker, stamping, observers"] -= figures[
            "plan made, model chosen"
        ]
        figures["sum of the stages"] = sum(figures.values())
        whole = _best(lambda: chain.complete(PROMPT), repeat)
        figures["the whole call, less the bare client's"] = whole - bare_time
        return figures


def _best(step: Callable[[], Any], repeat: int) -> float:
    step()
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(repeat):
            step()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best
