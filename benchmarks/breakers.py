"""Open breakers: a chain whose first 49 models are cooling down against the same chain with
only its last model, both answering from that model: time per request, and the cost of each
model skipped.

The 49 models are sent to a model the simulator always answers 429 (the failover section's
:data:`~failover.PRIMARY`): the chain's first call tries each once, which opens its breaker for
an hour, and every later call passes over them without a request. Measured over loopback, and
in memory (httpx2's mock transport answering with the simulator's bytes: the 429 to the
cooling models, the answer to the last), where the difference is hotswap's own work alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
from failover import PRIMARY
from harness import (
    FORMATS,
    Goal,
    Table,
    WireFormat,
    captured_request,
    interleaved,
    paired_ratio,
    ratio_quartiles,
    us,
)

from hotswap import Config, Transport, chain

COOLING = 49
GOAL = 1.05
"""Skipping open breakers should cost next to nothing: read here as within the 5% the overhead
goal allows a whole call."""
PROMPT = "What is the capital of Norway?"


def run(url: str, formats: list[WireFormat], *, quick: bool) -> Table:
    rounds, batch = (3, 5) if quick else (20, 40)
    anthropic = FORMATS[0]
    rows: list[list[Any]] = []
    data: dict[str, Any] = {}
    goals = []
    for where, transport in (("over loopback", _loopback), ("in memory", _in_memory)):
        with transport(url, anthropic) as (one, every):
            timing = _measure(
                one, every, rounds=rounds, batch=batch * (4 if where == "in memory" else 1)
            )
        alone, skipping = timing["one model"], timing["49 cooling, then it"]
        ratio = paired_ratio(skipping.wall, alone.wall)
        low, high = ratio_quartiles(skipping.wall, alone.wall)
        cpu_ratio = paired_ratio(skipping.cpu, alone.cpu)
        per_model = (skipping.cpu_median - alone.cpu_median) / COOLING
        goal = Goal(
            f"a chain whose first {COOLING} models are cooling down, {where}", ratio, "x", GOAL
        )
        rows.append(
            [
                where,
                us(alone.median),
                us(skipping.median),
                f"{ratio:.3f}x",
                f"{low:.2f} to {high:.2f}x",
                round(per_model * 1e6, 2),
                us(alone.cpu_median),
                us(skipping.cpu_median),
                f"{cpu_ratio:.2f}x",
                *goal.cells(),
            ]
        )
        data[where] = {
            "one_model_us": us(alone.median),
            "cooling_us": us(skipping.median),
            "ratio": round(ratio, 4),
            "ratio_q1": round(low, 4),
            "ratio_q3": round(high, 4),
            "per_skipped_us": round(per_model * 1e6, 3),
            "one_model_cpu_us": us(alone.cpu_median),
            "cooling_cpu_us": us(skipping.cpu_median),
            "cpu_ratio": round(cpu_ratio, 4),
            "rounds": rounds,
        }
        goals.append(goal.as_json())
    data["goals"] = goals
    return Table(
        f"Open breakers ({COOLING} models cooling down before the one that answers)",
        [
            "where",
            "one model µs/req",
            f"{COOLING} cooling + it µs/req",
            "ratio",
            "middle half",
            "µs per skipped model",
            "one model CPU µs",
            "cooling CPU µs",
            "CPU ratio",
            "goal",
            "",
        ],
        rows,
        [
            f"{rounds} alternating rounds; medians; ratio is the median of per-round ratios. "
            "µs per skipped model: this process's CPU time per request, the cooling chain's "
            f"less the one-model chain's, / {COOLING} (steadier than elapsed time on a busy "
            "machine).",
            f"Goal: skipping open breakers costs next to nothing, read as under {GOAL}x the "
            "one-model chain.",
        ],
        data,
    )


Pair = tuple[Any, Any]


def _chains(url: str, fmt: WireFormat, where: str, transport: Transport) -> Pair:
    """A chain of ``fmt``'s model alone, and one of the same behind :data:`COOLING` models
    that always answer 429, with its breakers opened by one call."""
    models = {
        f"{where}-cooling-{i}": {
            "provider": fmt.provider,
            "model": PRIMARY,
            "base_url": url + fmt.base_path,
        }
        for i in range(COOLING)
    }
    answering = f"{where}-answering"
    models[answering] = {
        "provider": fmt.provider,
        "model": fmt.model,
        "base_url": url + fmt.base_path,
    }
    config = Config.from_dict(
        {"models": models, "failover": {"cooldowns": {"rate_limited": 3600.0}}}
    )
    every = chain(list(models), config=config, transport=transport)
    one = chain([answering], config=config, transport=transport)
    answer = every.complete(PROMPT)  # opens the 49 breakers
    if answer.model != answering:
        raise RuntimeError(f"the chain was answered by {answer.model}, not {answering}")
    return one, every


@contextmanager
def _loopback(url: str, fmt: WireFormat) -> Iterator[Pair]:
    with Transport() as transport:
        yield _chains(url, fmt, "loopback", transport)


@contextmanager
def _in_memory(url: str, fmt: WireFormat) -> Iterator[Pair]:
    refused = captured_request(url, _cooling(fmt), PROMPT)
    answered = captured_request(url, fmt, PROMPT)
    with httpx2.Client(follow_redirects=False) as real:
        replies = {
            PRIMARY: real.send(refused.build(real)),
            fmt.model: real.send(answered.build(real)),
        }

    def reply(request: httpx2.Request) -> httpx2.Response:
        # The model is in the body (Anthropic's format, which this section uses).
        original = replies[PRIMARY if PRIMARY.encode() in request.content else fmt.model]
        return httpx2.Response(
            original.status_code, headers=original.headers, content=original.content
        )

    client = httpx2.Client(transport=httpx2.MockTransport(reply), follow_redirects=False)
    with Transport(client=client) as transport:
        yield _chains(url, fmt, "memory", transport)


def _cooling(fmt: WireFormat) -> WireFormat:
    return WireFormat(f"{fmt.name}, always 429", fmt.provider, PRIMARY, fmt.base_path, fmt.text_of)


def _measure(one: Any, every: Any, *, rounds: int, batch: int) -> dict[str, Any]:
    def alone(n: int) -> None:
        for _ in range(n):
            one.complete(PROMPT)

    def skipping(n: int) -> None:
        for _ in range(n):
            every.complete(PROMPT)

    alone(10)
    skipping(10)
    return interleaved(
        {"one model": alone, "49 cooling, then it": skipping}, rounds=rounds, batch=batch
    )
