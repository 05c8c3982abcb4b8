"""What every benchmark shares: the simulator in its own process, chains aimed at it, the wire
formats whose plugins are installed, and timing that interleaves the things it compares.

Everything compared is measured in the same run, in alternating rounds (A B, B A, A B, ...),
and a ratio is the median of the per-round ratios: on a shared two-core machine the speed of
everything drifts from second to second, and pairing rounds cancels most of that drift.
"""

from __future__ import annotations

import ctypes
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import msgspec

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Keys the simulator accepts (any non-empty one); set before any chain resolves a credential.
KEYS = {
    "ANTHROPIC_API_KEY": "sk-ant-api03-benchmark-0001",
    "OPENAI_API_KEY": "sk-benchmark-0001",
    "GEMINI_API_KEY": "benchmark-0001",
    "GOOGLE_API_KEY": "benchmark-0001",
}


decode: Callable[[bytes | str], Any] = msgspec.json.Decoder().decode
"""How a bare client reads JSON here: msgspec, the fastest reader measured on these bodies and
frames (faster than orjson by 0.05 to 0.15 µs a frame) and the one hotswap uses."""

encode: Callable[[Any], bytes] = msgspec.json.Encoder().encode
"""How a bare client writes JSON here: msgspec, as hotswap does."""


def use_benchmark_keys() -> None:
    """Point credential lookups at fake keys and away from the user's own files."""
    os.environ.update(KEYS)
    home = tempfile.mkdtemp(prefix="hotswap-bench-home-")
    os.environ["HOTSWAP_CREDENTIALS_DIR"] = str(Path(home) / "credentials")


# -- the simulator, in its own process -----------------------------------------------------------


@contextmanager
def simulator_process(faults: str | None = None) -> Iterator[str]:
    """Run ``hotswap simulate --port 0`` (with ``faults``, a TOML script file's text) in its own
    process, so its work never shares this interpreter; yield its URL."""
    command = [str(BIN / "hotswap"), "simulate", "--port", "0"]
    with tempfile.TemporaryDirectory(prefix="hotswap-bench-") as folder:
        if faults is not None:
            path = Path(folder) / "faults.toml"
            path.write_text(faults)
            command += ["--faults", str(path)]
        # aiohttp logs each client that leaves mid-answer as an error; here that is expected.
        with subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        ) as server:
            try:
                assert server.stdout is not None
                line = server.stdout.readline()
                if "listening on" not in line:
                    raise RuntimeError(f"hotswap simulate did not start: {line!r}")
                yield line.rsplit(" ", 1)[-1].strip()
            finally:
                server.terminate()
                server.wait(10)


def _die_with_parent() -> None:
    """Have Linux send the simulator SIGTERM when this process dies, even when it is killed
    outright (a test's timeout), so that no server is left behind."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


_PR_SET_PDEATHSIG = 1


# -- wire formats ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WireFormat:
    """One provider wire format the simulator speaks, and the plugin that speaks it here.

    :param name: what the tables call it.
    :param provider: the provider name its plugin registers.
    :param model: a model id of that provider.
    :param base_path: appended to the simulator's URL to make the model's ``base_url``.
    :param text_of: the text a decoded stream frame carries (for the plain-parse baseline).
    :param framing: how its streams are framed: ``sse`` or ``ndjson``.
    """

    name: str
    provider: str
    model: str
    base_path: str
    text_of: Callable[[Any], str | None]
    framing: str = "sse"


def _anthropic_text(frame: Any) -> str | None:
    if frame.get("type") == "content_block_delta":
        return frame["delta"].get("text")
    return None


def _openai_text(frame: Any) -> str | None:
    choices = frame.get("choices")
    return choices[0]["delta"].get("content") if choices else None


def _gemini_text(frame: Any) -> str | None:
    candidates = frame.get("candidates")
    if not candidates:
        return None
    parts = candidates[0].get("content", {}).get("parts", ())
    return "".join(p.get("text", "") for p in parts) or None


def _ollama_text(frame: Any) -> str | None:
    return frame.get("message", {}).get("content") or None


FORMATS = (
    WireFormat("Anthropic SSE", "anthropic", "claude-sonnet-4-5", "/v1", _anthropic_text),
    WireFormat("OpenAI-compatible SSE", "openai", "gpt-4.1", "/v1", _openai_text),
    WireFormat("Gemini SSE", "google", "gemini-2.5-flash", "/v1beta", _gemini_text),
    WireFormat("Ollama NDJSON", "ollama", "llama3.2", "", _ollama_text, "ndjson"),
)


def installed_formats() -> list[WireFormat]:
    """The wire formats whose provider plugin is installed."""
    from hotswap.plugin.host import default_host

    names = default_host().providers()
    return [f for f in FORMATS if f.provider in names]


def chain_for(url: str, *formats: WireFormat, **options: Any) -> Any:
    """A chain of one model per format (in order), every one aimed at the simulator, with
    breakers of its own."""
    from hotswap import Config, chain
    from hotswap.engine import MemoryBreakerStore

    models = {
        f"m{i}": {"provider": f.provider, "model": f.model, "base_url": url + f.base_path}
        for i, f in enumerate(formats)
    }
    config = Config.from_dict({"models": models})
    options.setdefault("breakers", MemoryBreakerStore())
    return chain(list(models), config=config, **options)


@dataclass(frozen=True)
class BareRequest:
    """A request as a plain httpx2 (or aiohttp) program sends it: method, URL, headers and a
    JSON payload, encoded again for every request as such a program must.

    :param method: the HTTP method.
    :param url: the full URL.
    :param headers: every header but ``host`` and ``content-length``, which the client sets.
    :param payload: the JSON body, as plain dicts and lists.
    """

    method: str
    url: str
    headers: dict[str, str]
    payload: Any

    def body(self) -> bytes:
        return encode(self.payload)

    def build(self, client: httpx2.Client | httpx2.AsyncClient) -> httpx2.Request:
        """The request, built by ``client`` for its ``send``."""
        return client.build_request(
            self.method, self.url, content=encode(self.payload), headers=self.headers
        )


def captured_request(
    url: str, fmt: WireFormat, messages: Any, *, stream: bool = False, **options: Any
) -> BareRequest:
    """What a chain of ``fmt``'s model sends for ``messages``, caught by an httpx2 event hook on
    the client the chain is given: the same request, for a bare client to send."""
    from hotswap import FailoverSettings, HotswapError, Transport

    seen: list[httpx2.Request] = []
    hooks = {"request": [seen.append]}
    once = FailoverSettings(max_retries=0)  # a model scripted to fail is not waited for
    with httpx2.Client(follow_redirects=False, event_hooks=hooks) as client:
        chain = chain_for(url, fmt, transport=Transport(client=client), settings=once)
        try:
            if stream:
                for _ in chain.stream(messages, **options):
                    pass
            else:
                chain.complete(messages, **options)
        except HotswapError:
            if not seen:  # a model scripted to fail has still sent its request
                raise
    request = seen[0]
    headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
    return BareRequest(request.method, str(request.url), headers, decode(request.content))


@dataclass
class InMemory:
    """A chain of one model whose HTTP goes to httpx2's mock transport, answering every request
    with the bytes the simulator answered once (no sockets, no other process), and the
    request its first attempt sends (which a bare ``client`` sends too)."""

    chain: Any
    client: httpx2.Client
    request: BareRequest
    answer: bytes


@contextmanager
def in_memory(url: str, fmt: WireFormat, prompt: str) -> Iterator[InMemory]:
    from hotswap import Transport

    request = captured_request(url, fmt, prompt)
    with httpx2.Client(follow_redirects=False) as real:
        answer = real.send(request.build(real))
    status, headers, content = answer.status_code, answer.headers, answer.content

    def reply(_: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(status, headers=headers, content=content)

    client = httpx2.Client(transport=httpx2.MockTransport(reply), follow_redirects=False)
    with Transport(client=client) as transport:
        yield InMemory(chain_for(url, fmt, transport=transport), client, request, content)


# -- timing ----------------------------------------------------------------------------------------


@dataclass
class Timing:
    """Seconds per operation, one figure per round: elapsed, and this process's CPU time (the
    client's own work, which the simulator's process does not add to)."""

    wall: list[float]
    cpu: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def interleaved(
    cases: Mapping[str, Callable[[int], Any]], *, rounds: int, batch: int
) -> dict[str, Timing]:
    """Time each case. ``case(n)`` performs ``n`` operations; each round runs every case once
    with ``n = batch``, in an order that alternates from round to round."""
    names = list(cases)
    timings = {name: Timing([], []) for name in names}
    for index in range(rounds):
        for name in names if index % 2 == 0 else reversed(names):
            cpu, started = time.process_time(), time.perf_counter()
            cases[name](batch)
            timings[name].wall.append((time.perf_counter() - started) / batch)
            timings[name].cpu.append((time.process_time() - cpu) / batch)
    return timings


async def ainterleaved(
    cases: Mapping[str, Callable[[int], Awaitable[Any]]], *, rounds: int, batch: int
) -> dict[str, Timing]:
    """:func:`interleaved`, for coroutine functions, on the running event loop."""
    names = list(cases)
    timings = {name: Timing([], []) for name in names}
    for index in range(rounds):
        for name in names if index % 2 == 0 else reversed(names):
            cpu, started = time.process_time(), time.perf_counter()
            await cases[name](batch)
            timings[name].wall.append((time.perf_counter() - started) / batch)
            timings[name].cpu.append((time.process_time() - cpu) / batch)
    return timings


def paired_ratio(subject: list[float], baseline: list[float]) -> float:
    """The median over rounds of ``subject``'s figure divided by ``baseline``'s."""
    return statistics.median(s / b for s, b in zip(subject, baseline, strict=True))


def ratio_quartiles(subject: list[float], baseline: list[float]) -> tuple[float, float]:
    """The first and third quartiles over rounds of ``subject``'s figure divided by
    ``baseline``'s: the middle half of the rounds, how far one round strays from another."""
    ratios = [s / b for s, b in zip(subject, baseline, strict=True)]
    if len(ratios) < 2:
        return ratios[0], ratios[0]
    first, _, third = statistics.quantiles(ratios, n=4)
    return first, third


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def us(seconds: float) -> float:
    return round(seconds * 1e6, 1)


def ms(seconds: float) -> float:
    return round(seconds * 1e3, 2)


# -- goals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """One figure against the goal the project set for it.

    :param measure: what was measured, as the summary names it.
    :param value: the figure.
    :param unit: what it is counted in (``x`` for a ratio, `` ms``...).
    :param limit: the goal's bound.
    :param at_least: the figure must reach ``limit`` (a throughput); otherwise stay under it.
    """

    measure: str
    value: float
    unit: str
    limit: float
    at_least: bool = False

    @property
    def met(self) -> bool:
        return self.value >= self.limit if self.at_least else self.value < self.limit

    @property
    def wanted(self) -> str:
        return f"{'at least' if self.at_least else 'under'} {self.limit:g}{self.unit}"

    def cells(self) -> tuple[str, str]:
        """The goal and whether it is met, as two table cells."""
        return self.wanted, "met" if self.met else "missed"

    def as_json(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "value": round(self.value, 4),
            "unit": self.unit,
            "limit": self.limit,
            "at_least": self.at_least,
            "goal": self.wanted,
            "met": self.met,
        }


# -- results ---------------------------------------------------------------------------------------


@dataclass
class Table:
    """One result table: a title, column names, rows of cells, and notes printed under it."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    notes: list[str]
    data: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            "notes": self.notes,
            "data": self.data,
        }


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import aiohttp
    import httpx2

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": commit,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "httpx2": httpx2.__version__,
        "aiohttp": aiohttp.__version__,
    }


def dump(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n")
