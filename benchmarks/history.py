"""History cost: one request carrying a long conversation (100, 1,000 and 3,000 messages),
through ``chain.complete`` against a bare httpx2 program sending the same JSON body to the same
loopback simulator, for each installed wire format.

The conversation is given to the chain twice over: as plain dicts (``{"role": "user",
"content": "..."}``, as most applications hold it) and as ``hotswap.Message`` objects built
once beforehand. The bare program holds the provider's own JSON payload (caught from the
chain's request) and encodes it for every request, as it must; it validates and translates
nothing. What hotswap adds is then the cost of taking the conversation in and writing it out.
"""

from __future__ import annotations

import statistics
from typing import Any

import httpx2
from harness import (
    Goal,
    Table,
    WireFormat,
    captured_request,
    chain_for,
    decode,
    interleaved,
    paired_ratio,
    ratio_quartiles,
    us,
)

from hotswap import Message, Transport

SIZES = (100, 1000, 3000)
GOAL = 1.10
"""At most this times the bare client's time, at :data:`GOAL_SIZES` messages."""
GOAL_SIZES = (1000, 3000)
GIVEN = ("dicts", "Messages")


def conversation(size: int) -> list[dict[str, str]]:
    """``size`` messages: a system prompt, then user and assistant turns ending with a user's."""
    turns = [{"role": "system", "content": "You answer questions about Norway, briefly."}]
    for index in range(1, size):
        role = "user" if (size - 1 - index) % 2 == 0 else "assistant"
        turns.append({"role": role, "content": f"Turn {index}: what about fjord number {index}?"})
    return turns


def as_messages(turns: list[dict[str, str]]) -> list[Message]:
    return [_message(turn["role"], turn["content"]) for turn in turns]


def _message(role: str, text: str) -> Message:
    if role == "system":
        return Message.system(text)
    return Message.user(text) if role == "user" else Message.assistant(text)


def run(url: str, formats: list[WireFormat], *, quick: bool) -> Table:
    sizes, rounds = ((100, 1000), 3) if quick else (SIZES, 12)
    rows: list[list[Any]] = []
    data: dict[str, Any] = {}
    ratios: dict[tuple[str, int], list[float]] = {}
    for fmt in formats:
        for size in sizes:
            batch = 2 if quick else max(4, 2000 // size)
            timing = _measure(url, fmt, size, rounds=rounds, batch=batch)
            bare = timing["bare"]
            for given in GIVEN:
                ours = timing[given]
                ratio = paired_ratio(ours.wall, bare.wall)
                low, high = ratio_quartiles(ours.wall, bare.wall)
                ratios.setdefault((given, size), []).append(ratio)
                rows.append(
                    [
                        fmt.name,
                        size,
                        given,
                        us(bare.median),
                        us(ours.median),
                        f"{ratio:.2f}x",
                        f"{low:.2f} to {high:.2f}x",
                        us(bare.cpu_median),
                        us(ours.cpu_median),
                        *_goal_of(f"{fmt.name}, {size:,} {given}", size, ratio),
                    ]
                )
                data[f"{fmt.provider}/{given}/{size}"] = {
                    "messages": size,
                    "bare_us": us(bare.median),
                    "hotswap_us": us(ours.median),
                    "ratio": round(ratio, 4),
                    "ratio_q1": round(low, 4),
                    "ratio_q3": round(high, 4),
                    "bare_cpu_us": us(bare.cpu_median),
                    "hotswap_cpu_us": us(ours.cpu_median),
                    "rounds": rounds,
                    "batch": batch,
                }
    goals = []
    for (given, size), found in ratios.items():
        median = statistics.median(found)
        rows.append(
            ["median over formats", size, given, "", "", f"{median:.2f}x", "", "", "", "", ""]
        )
        if size in GOAL_SIZES:
            goal = Goal(
                f"chain.complete with {size:,} messages as {given}, against bare httpx2",
                median,
                "x",
                GOAL,
            )
            rows[-1][-2:] = list(goal.cells())
            goals.append(goal.as_json())
    data["goals"] = goals
    return Table(
        "History cost (one request carrying a long conversation, sync)",
        [
            "format",
            "messages",
            "given as",
            "bare µs/req",
            "hotswap µs/req",
            "ratio",
            "middle half",
            "bare CPU µs",
            "hotswap CPU µs",
            "goal",
            "",
        ],
        rows,
        [
            f"{rounds} alternating rounds (bare, dicts, Messages) of a few requests each; "
            "medians; ratio is the median of per-round ratios against the bare client.",
            "bare: a plain httpx2 program (its own Client, client.send) holding the provider's "
            "JSON payload as plain dicts and encoding it for every request with msgspec; "
            "dicts: chain.complete given the conversation as plain dicts; Messages: as "
            "hotswap.Message objects built once beforehand.",
            f"Goal: within {GOAL}x of the bare client at "
            + " and ".join(f"{s:,}" for s in GOAL_SIZES)
            + " messages (the median over the wire formats).",
        ],
        data,
    )


def _goal_of(measure: str, size: int, ratio: float) -> tuple[str, str]:
    if size not in GOAL_SIZES:
        return "", ""
    return Goal(measure, ratio, "x", GOAL).cells()


def _measure(url: str, fmt: WireFormat, size: int, *, rounds: int, batch: int) -> dict[str, Any]:
    turns = conversation(size)
    messages = as_messages(turns)
    request = captured_request(url, fmt, turns)
    if captured_request(url, fmt, messages).payload != request.payload:
        raise RuntimeError("the conversation as Messages is sent unlike the same as dicts")
    with Transport() as transport, httpx2.Client(follow_redirects=False) as client:
        chain = chain_for(url, fmt, transport=transport)

        def bare(n: int) -> None:
            for _ in range(n):
                response = client.send(request.build(client))
                if response.status_code != 200:
                    raise RuntimeError(f"bare request failed: {response.status_code}")
                decode(response.content)

        def dicts(n: int) -> None:
            for _ in range(n):
                chain.complete(turns)

        def prebuilt(n: int) -> None:
            for _ in range(n):
                chain.complete(messages)

        cases = {"bare": bare, "dicts": dicts, "Messages": prebuilt}
        for case in cases.values():
            case(2)
        return interleaved(cases, rounds=rounds, batch=batch)
