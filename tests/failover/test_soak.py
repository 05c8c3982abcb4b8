"""A seeded random soak: thousands of random faults from the fault server, across the four wire
formats, through chains of two or three models, called sync (from threads) and async (many
calls in flight, over httpx2 and over aiohttp), streamed or whole, in every stream_recovery.

Each call must end (within its deadline, and never hang), and its outcome must be one a caller
can trust: an answer exactly the canonical reply (for a stream, the text after its last
``StreamReset``, ending with its finish), or a hotswap error carrying its attempts; either way
every request the server received is one of the attempts, and an attempt it did not receive
timed out. A chain whose last model answers cleanly must answer, unless an earlier model's
stream broke after text under ``raise``. Bytes after the provider's completion signal
(``trailing_garbage``) are allowed any typed outcome. Once the transports are closed, no
connection may be left open on the server and no thread left running.

``HOTSWAP_SOAK_CALLS`` sets the size (default: a run that fits the suite), ``HOTSWAP_SOAK_SEED``
the seed (default: a fresh one, given in the failure message), and ``HOTSWAP_SOAK_CALL`` replays
a single call of a seed. ``make soak`` runs 50,000 calls.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import pytest

import hotswap
from hotswap import (
    AllModelsFailedError,
    Attempt,
    Config,
    FailoverChain,
    Finish,
    HotswapError,
    ModelConfig,
    Outcome,
    ProviderError,
    StreamEvent,
    StreamInterruptedError,
)
from hotswap.engine import MemoryBreakerStore
from hotswap.wire.transport import Transport

from . import faults
from .conftest import DRIVERS, PROVIDER_OF, text_after_resets
from .faults import Fault
from .faultserver import FaultServer
from .wireformats import FORMATS, PieceStyle, canonical_reply

CALLS = int(os.environ.get("HOTSWAP_SOAK_CALLS") or 2000)
SEED = int(os.environ.get("HOTSWAP_SOAK_SEED") or random.SystemRandom().randrange(2**32))
ONLY = os.environ.get("HOTSWAP_SOAK_CALL")
WORDS = 6
LIMITS = {
    "first_event_timeout_s": 0.25,
    "idle_timeout_s": 0.25,
    "attempt_timeout_s": 1.0,
    "deadline_s": 4.0,
    "retry_delay_ms": 10,
}
OVERRUN = 2.0
"""How far past its deadline a call may end on a loaded machine before that is a violation."""
HANG = LIMITS["deadline_s"] + 6.0
"""A call still running after this long has hung."""
IN_FLIGHT, THREADS = 48, 24
EXAMPLES = 5
"""Calls shown of each kind of violation."""
BATCH = 2000
"""Calls made at once: only their violations are kept from one batch to the next, so the heap
(and the collector's pauses, which a stream's limits would feel) stays small."""
AFTER_TEXT = ("stall_after", "cut_after", "rst_after", "malformed", "stream_error")
BENIGN_SLOW = 0.003
"""A ``slow`` fault this gentle stays within every limit: the model answers."""


# -- what each call does -------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One call: how it is made, and the faults each model of its chain is scripted with."""

    index: int
    driver: str
    stream: bool
    recovery: str
    max_retries: int
    pieces: PieceStyle
    models: tuple[tuple[str, tuple[Fault, ...]], ...]  # (wire format, faults) per model

    @property
    def question(self) -> str:
        return f"q{self.index}"

    def model_id(self, position: int) -> str:
        return f"c{self.index}-m{position}"

    def __str__(self) -> str:
        chain = ", ".join(f"{w}[{' '.join(map(str, fs))}]" for w, fs in self.models)
        way = "stream" if self.stream else "whole"
        return (
            f"call {self.index}: {self.driver} {way} recovery={self.recovery} "
            f"retries={self.max_retries} pieces={self.pieces}: {chain}"
        )


def plan_call(index: int) -> Plan:
    """Call ``index`` of the seed, the same whatever the number of calls."""
    rng = random.Random(f"{SEED}-{index}")
    stream = rng.random() < 0.6
    models = []
    for _ in range(rng.choice((2, 2, 3))):
        wire = rng.choice(tuple(FORMATS))
        count = 2 if rng.random() < 0.2 else 1
        models.append((wire, tuple(random_fault(rng, wire, stream) for _ in range(count))))
    return Plan(
        index=index,
        driver=rng.choice(DRIVERS),
        stream=stream,
        recovery=rng.choice(("raise", "restart", "continue")),
        max_retries=rng.choice((0, 0, 1)),
        pieces=rng.choice(("leading", "trailing")),
        models=tuple(models),
    )


def random_fault(rng: random.Random, wire: str, stream: bool) -> Fault:
    frames = rng.randrange(WORDS + 8)  # the reply's pieces, and on into its last frames
    makers: list[Callable[[], Fault]] = [
        lambda: faults.ANSWER,
        lambda: faults.ANSWER,
        lambda: faults.ANSWER,
        faults.rst_before_headers,
        faults.close_before_headers,
        faults.stall_before_headers,
        faults.stall_after_headers,
        lambda: faults.stall_after(frames),
        lambda: faults.cut_after(frames),
        lambda: faults.rst_after(frames),
        lambda: faults.malformed(frames, rng.choice(("json", "utf8", "shape"))),
        lambda: faults.slow(rng.choice((BENIGN_SLOW, 0.4))),
        faults.trailing_garbage,
        lambda: faults.error(*rng.choice(FORMATS[wire].kinds())),
        lambda: faults.error(*rng.choice(FORMATS[wire].kinds())),
    ]
    if stream:
        kinds = tuple(FORMATS[wire].stream_errors)
        makers.append(lambda: faults.stream_error(rng.choice(kinds), after=frames))
    return rng.choice(makers)()


def answers_cleanly(fault: Fault, stream: bool) -> bool:
    if fault.name == "slow":
        return fault.delay <= BENIGN_SLOW
    return fault.name == "answer" or (fault.name == "stream_error" and not stream)


def breaks_after_text(fault: Fault, stream: bool) -> bool:
    if not stream:
        return False
    return fault.name == "trailing_garbage" or (fault.name in AFTER_TEXT and fault.after > 0)


def must_answer(plan: Plan) -> bool:
    """Whether the call must succeed: its last model answers cleanly, and no model before it
    can end the call by failing after text under ``raise``."""
    *earlier, (_, last) = plan.models
    if not answers_cleanly(last[0], plan.stream):
        return False
    if plan.recovery != "raise":
        return True
    return not any(breaks_after_text(fs[0], plan.stream) for _, fs in earlier)


def slowed_by_load(plan: Plan, result: Result) -> bool:
    """Whether a request that should have been answered cleanly timed out instead (never before
    its limit, which is checked on its own): the machine, loaded by the soak itself (two cores,
    dozens of calls in flight, the collector's pauses), was slower than the short limits, which
    is no fault of hotswap's."""
    for position, (_, scripted) in enumerate(plan.models):
        sent = [
            a
            for a in result.attempts or ()
            if a.model == f"m{position}" and a.outcome is not Outcome.SKIPPED
        ]
        for nth, attempt in enumerate(sent):
            # Each request takes the model's next scripted fault; past them it is answered.
            fault = scripted[nth] if nth < len(scripted) else faults.ANSWER
            if attempt.kind == "timeout" and answers_cleanly(fault, plan.stream):
                return True
    return False


def has_garbage(plan: Plan) -> bool:
    return any(f.name == "trailing_garbage" for _, fs in plan.models for f in fs)


# -- making the calls ----------------------------------------------------------------------------


@dataclass
class Result:
    """How a call ended, as it ended."""

    elapsed: float = 0.0
    text: str | None = None  # an answer's text (for a stream, after its last reset)
    events: list[StreamEvent] = field(default_factory=list)
    error: Exception | None = None
    attempts: list[Attempt] | None = None
    hung: bool = False


@dataclass(frozen=True)
class Ending:
    """A call's result once judged, all that is kept of it (so a long soak's heap, and the
    collector's pauses, stay small): what was wrong, and per model how many requests the call
    sent and how many of those timed out, to compare with what the server received."""

    problems: list[str]
    sent: dict[int, tuple[int, int]]


class Calls:
    """Builds each call's chain (breakers of its own, so calls do not cool each other's models
    down), makes the call, and judges how it ended."""

    def __init__(self, host: hotswap.PluginHost, servers: dict[str, FaultServer]) -> None:
        self.host = host
        self.servers = servers
        self.configs: dict[tuple[str, int], Config] = {}

    def chain(self, plan: Plan, transport: Transport) -> FailoverChain:
        key = (plan.recovery, plan.max_retries)
        config = self.configs.get(key)
        if config is None:
            settings = {**LIMITS, "stream_recovery": plan.recovery, "max_retries": plan.max_retries}
            config = self.configs[key] = Config.from_dict({"failover": settings})
        server = self.servers[plan.pieces]
        models = [
            ModelConfig(
                name=f"m{position}",
                provider=PROVIDER_OF[wire],
                model=plan.model_id(position),
                base_url=server.base_url(wire),
            )
            for position, (wire, _) in enumerate(plan.models)
        ]
        return hotswap.chain(
            models,
            config=config,
            host=self.host,
            transport=transport,
            breakers=MemoryBreakerStore(),
        )

    def run(self, plan: Plan, transport: Transport) -> Ending:
        chain = self.chain(plan, transport)
        started = time.monotonic()
        try:
            if plan.stream:
                running = chain.stream(plan.question)
                events = list(running)
                result = Result(text=text_after_resets(events), events=events)
                result.attempts = running.attempts
            else:
                completion = chain.complete(plan.question)
                result = Result(text=completion.text, attempts=list(completion.attempts))
        except Exception as error:  # every kind is checked, not only hotswap's
            result = Result(error=error, attempts=getattr(error, "attempts", None))
        result.elapsed = time.monotonic() - started
        return judged(plan, result)

    async def arun(self, plan: Plan, transport: Transport) -> Ending:
        chain = self.chain(plan, transport)
        started = time.monotonic()
        try:
            result = await asyncio.wait_for(self._acall(chain, plan), HANG)
        except asyncio.TimeoutError:
            result = Result(hung=True)
        except Exception as error:  # every kind is checked, not only hotswap's
            result = Result(error=error, attempts=getattr(error, "attempts", None))
        result.elapsed = time.monotonic() - started
        return judged(plan, result)

    @staticmethod
    async def _acall(chain: FailoverChain, plan: Plan) -> Result:
        if plan.stream:
            running = chain.astream(plan.question)
            events = [event async for event in running]
            result = Result(text=text_after_resets(events), events=events)
            result.attempts = running.attempts
            return result
        completion = await chain.acomplete(plan.question)
        return Result(text=completion.text, attempts=list(completion.attempts))


# -- what must hold ------------------------------------------------------------------------------


def judged(plan: Plan, result: Result) -> Ending:
    """What is wrong with how ``plan``'s call ended (nothing, if all is well)."""
    if result.hung:
        return Ending([f"hung: still running after {HANG:g} s"], {})
    found = []
    if result.elapsed > LIMITS["deadline_s"] + OVERRUN:
        found.append(f"overran its {LIMITS['deadline_s']:g} s deadline: {result.elapsed:.2f} s")
    reply = canonical_reply(plan.question, WORDS)
    garbage = has_garbage(plan)
    error = result.error
    if error is None:
        if not garbage and result.text != reply:
            found.append(f"altered answer: {result.text!r}")
        if plan.stream and not (result.events and isinstance(result.events[-1], Finish)):
            found.append("a stream answer that does not end with its finish event")
    elif not isinstance(error, HotswapError):
        found.append(f"not a hotswap error ({type(error).__name__}): {error}")
    elif not isinstance(error, (AllModelsFailedError, StreamInterruptedError, ProviderError)):
        found.append(f"unexpected hotswap error ({type(error).__name__}): {error}")
    else:
        partial = getattr(error, "partial_text", "")
        if not garbage and not reply.startswith(partial):
            found.append(f"interrupted with text that is not the reply's start: {partial!r}")
        if must_answer(plan) and not slowed_by_load(plan, result):
            found.append(f"failed though its last model answers ({type(error).__name__}): {error}")
    found += [
        f"timed out before its limit: {attempt.describe()}"
        for attempt in result.attempts or ()
        if attempt.kind == "timeout"
        and attempt.elapsed_ms < 1000 * LIMITS["first_event_timeout_s"] - 1
    ]
    if not result.attempts:
        found.append(f"no attempts recorded ({type(error).__name__ if error else 'answer'})")
        return Ending(found, {})
    sent = {}
    for position in range(len(plan.models)):
        tried = [
            a
            for a in result.attempts
            if a.model == f"m{position}" and a.outcome is not Outcome.SKIPPED
        ]
        sent[position] = (len(tried), sum(1 for a in tried if a.kind == "timeout"))
    return Ending(found, sent)


def unreceived(plan: Plan, ending: Ending, received: Callable[[str], int]) -> list[str]:
    """Where the attempts ``plan``'s call recorded and the requests the server received differ.
    A request the client gave up on before the server read it (a timeout) was sent but never
    received: so every request received is an attempt, and every other attempt timed out."""
    found = []
    for position, (tried, timed_out) in ending.sent.items():
        count = received(plan.model_id(position))
        if not tried - timed_out <= count <= tried:
            found.append(
                f"attempts and requests differ: m{position} was tried {tried} times "
                f"({timed_out} timed out) and received {count} requests"
            )
    return found


# -- the soak ------------------------------------------------------------------------------------


@pytest.mark.timeout(120 + CALLS // 20)
def test_random_faults_never_hang_alter_an_answer_or_leak(fault_host):
    indices = [int(ONLY)] if ONLY else list(range(CALLS))
    print(f"soak: {len(indices)} calls, HOTSWAP_SOAK_SEED={SEED}")
    threads_before = set(threading.enumerate())
    found: list[str] = []

    with (
        FaultServer(words=WORDS, keep=False) as leading,
        FaultServer(words=WORDS, pieces="trailing", keep=False) as trailing,
    ):
        servers = {"leading": leading, "trailing": trailing}
        calls = Calls(fault_host, servers)
        for start in range(0, len(indices), BATCH):
            found += soak_batch(calls, [plan_call(i) for i in indices[start : start + BATCH]])
        left_open = {
            name: server.open_connections
            for name, server in servers.items()
            if not server.wait_until_closed(timeout=5)
        }

    if left_open:
        found.append(f"connections left open once the transports were closed: {left_open}")
    for server in servers.values():
        found += [f"the fault server failed: {failure}" for failure in server.failures]
    threads_left = [
        t.name for t in set(threading.enumerate()) - threads_before if t.name != "hotswap-alarms"
    ]
    if threads_left:
        found.append(f"threads left running: {threads_left}")
    if found:
        pytest.fail(report(found, len(indices)), pytrace=False)


def report(found: list[str], calls: int) -> str:
    """The violations by kind, most frequent first, with a few examples of each."""
    kinds: dict[str, list[str]] = {}
    for problem in found:
        kinds.setdefault(problem.split("\n    ")[-1].split(":")[0], []).append(problem)
    ranked = sorted(kinds.items(), key=lambda kind: -len(kind[1]))
    summary = "\n".join(f"  {len(problems):6d}  {kind}" for kind, problems in ranked)
    examples = "\n".join(problem for _, problems in ranked for problem in problems[:EXAMPLES])
    return (
        f"{len(found)} violations in {calls} calls; replay with HOTSWAP_SOAK_SEED={SEED} "
        f"(one call: HOTSWAP_SOAK_CALL=<n>)\n{summary}\n{examples}"
    )


def soak_batch(calls: Calls, plans: list[Plan]) -> list[str]:
    """Script, make and judge a batch of calls; what was wrong with them."""
    for plan in plans:
        for position, (_, scripted) in enumerate(plan.models):
            calls.servers[plan.pieces].script(plan.model_id(position), scripted)
    endings = run_all(calls, plans)
    return [
        f"{plan}\n    {problem}"
        for plan in plans
        for problem in endings[plan.index].problems
        + unreceived(plan, endings[plan.index], calls.servers[plan.pieces].count)
    ]


def run_all(calls: Calls, plans: list[Plan]) -> dict[int, Ending]:
    """Make every call: the sync ones from a pool of threads while the async ones run, many in
    flight, on this thread's event loop; then close every transport."""
    endings: dict[int, Ending] = {}
    sync = Transport()
    pool = ThreadPoolExecutor(THREADS, thread_name_prefix="soak")
    futures = {pool.submit(calls.run, plan, sync): plan for plan in plans if plan.driver == "sync"}
    hung: set[Any] = set()
    try:
        asyncio.run(_run_async(calls, [p for p in plans if p.driver != "sync"], endings))
        done, hung = wait(futures, timeout=HANG + 30)
        for future in done:
            endings[futures[future].index] = future.result()
        for future in hung:
            endings[futures[future].index] = judged(futures[future], Result(hung=True))
    finally:
        pool.shutdown(wait=not hung, cancel_futures=True)
        sync.close()
    return endings


async def _run_async(calls: Calls, plans: list[Plan], endings: dict[int, Ending]) -> None:
    transports = {"async-httpx2": Transport(), "async-aiohttp": Transport.aiohttp()}
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def one(plan: Plan) -> None:
        async with slots:
            endings[plan.index] = await calls.arun(plan, transports[plan.driver])

    try:
        await asyncio.gather(*(one(plan) for plan in plans))
    finally:
        for transport in transports.values():
            await transport.aclose()
