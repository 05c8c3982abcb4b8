"""Chains of real provider plugins talking real HTTP: to the loopback simulator, or to the fault
server (:mod:`.faultserver`), which speaks four providers' wire formats at the socket level.

With the simulator the models are Anthropic ones (the plugin is part of this workspace);
nothing here depends on what they are beyond the wire format the simulator speaks for them.
With the fault server, a chain's models may speak any of the four formats.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import hotswap_anthropic
import hotswap_google
import hotswap_ollama
import hotswap_openai
import pytest

from hotswap import (
    Attempt,
    Config,
    FailoverChain,
    PluginHost,
    StreamEvent,
    StreamReset,
    TextDelta,
    chain,
)
from hotswap.engine import MemoryBreakerStore
from hotswap.plugin import hookimpl
from hotswap.wire.transport import Transport

from .faultserver import FaultServer


@pytest.fixture(autouse=True)
def _earlier_tests_garbage_left_alone() -> Iterator[None]:
    """Keep the collector off what earlier tests left: by the time the suite reaches these
    tests its heap is large, and a full collection of it pauses the process for 0.1 to 0.3 s,
    as long as the limits under test. Frozen objects are skipped by collections; they are
    handed back to the collector after the test."""
    gc.freeze()
    yield
    gc.unfreeze()


PRIMARY = "claude-sonnet-4-5"
FALLBACK = "claude-haiku-4-5"


class Timeline:
    """An observer that notes when each attempt started and failed, on ``time.monotonic``."""

    def __init__(self) -> None:
        self.failed_at: list[float] = []
        self.started: list[str] = []

    @hookimpl
    def hotswap_attempt_started(self, model, stream):
        self.started.append(model.name)

    @hookimpl
    def hotswap_attempt_failed(self, model, attempt):
        self.failed_at.append(time.monotonic())


@pytest.fixture
def timeline() -> Timeline:
    return Timeline()


@pytest.fixture
def host(monkeypatch, tmp_path, timeline) -> PluginHost:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-simulated-key-0001")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "credentials"))
    host = PluginHost(entry_points=[])
    host.register(hotswap_anthropic.plugin, name="anthropic")
    host.register(timeline, name="timeline")
    return host


@pytest.fixture
def transport(request):
    """The default transport, or with ``indirect`` parametrization ``"aiohttp"``, the one whose
    async requests go through aiohttp."""
    kind = getattr(request, "param", "httpx2")
    with Transport.aiohttp() if kind == "aiohttp" else Transport() as transport:
        yield transport


@pytest.fixture
def make_chain(simulator, host, transport) -> Callable[..., FailoverChain]:
    """``make_chain(**failover)``: primary then fallback, both pointed at the simulator (or the
    primary at ``primary_url``), with breakers of their own."""
    breakers = MemoryBreakerStore()

    def build(
        models: tuple[str, ...] = ("primary", "fallback"),
        primary_url: str | None = None,
        **failover: Any,
    ) -> FailoverChain:
        base_url = f"{simulator.url}/v1"
        primary = {"provider": "anthropic", "model": PRIMARY, "base_url": primary_url or base_url}
        config = Config.from_dict(
            {
                "models": {
                    "primary": primary,
                    "fallback": {"provider": "anthropic", "model": FALLBACK, "base_url": base_url},
                    "pi": {**primary, "auth_type": "pi_auth"},
                    "newer": {**primary, "model": "claude-sonnet-4-6", "base_url": base_url},
                    "no_prefill": {**primary, "prefill": False, "base_url": base_url},
                },
                "failover": failover,
            }
        )
        return chain(list(models), config=config, host=host, transport=transport, breakers=breakers)

    return build


def open_connections(transport: Transport) -> int:
    """Connections in the transport's sync and async pools that are checked out (not idle or
    closed). Neither httpx2 nor aiohttp counts them publicly, so this reads their pools."""
    count = 0
    clients = [transport._sync._clients, transport._async._clients]
    session = getattr(transport._async, "_session", None)  # the aiohttp transport's
    if session is not None and not session.closed:
        count += len(session.connector._acquired)  # type: ignore[union-attr]
    for client in (held._client for held in clients):
        if client is None:
            continue
        pool = client._transport._pool  # type: ignore[union-attr]
        count += sum(1 for c in pool.connections if not (c.is_idle() or c.is_closed()))
    return count


@pytest.fixture
def unanswered_port():
    """A loopback port whose listen queue is full, so a new connection never completes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for sock in (*fillers, server):
        sock.close()


class ManualAlarms:
    """An alarm clock for a transport's guards that moves only when :meth:`advance` says, so
    limits of minutes (the defaults) can be tested in a moment. Thread-safe: a sync transport
    sets alarms from the thread reading the answer while the test moves the clock."""

    def __init__(self, now: float = 1000.0) -> None:
        self._now = now
        self._pending: list[list[Any]] = []  # [when, callback], callback None once cancelled
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._now

    def at(self, when: float, callback: Callable[[], None]) -> Any:
        entry: list[Any] = [when, callback]
        with self._lock:
            self._pending.append(entry)

        class _Alarm:
            def cancel(self) -> None:
                entry[1] = None

        return _Alarm()

    def advance(self, seconds: float) -> None:
        """Move the clock on and ring every alarm due by then, in order of time."""
        with self._lock:
            self._now += seconds
        while True:
            with self._lock:
                due = sorted(
                    (e for e in self._pending if e[1] is not None and e[0] <= self._now),
                    key=lambda e: e[0],
                )
                if not due:
                    return
                entry = due[0]
                self._pending.remove(entry)
            entry[1]()


@pytest.fixture
def expired_pi_login(tmp_path, monkeypatch) -> None:
    """An expired pi login for the ``pi`` model, whose token endpoint refuses connections, so
    renewing it fails."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    auth = tmp_path / ".pi" / "agent" / "auth.json"
    auth.parent.mkdir(mode=0o700, parents=True)
    login = {"type": "oauth", "access": "sk-ant-oat01-expired", "refresh": "sk-ant-ort01-old"}
    auth.write_text(json.dumps({"anthropic": {**login, "expires": 1700000000000}}))
    auth.chmod(0o600)
    monkeypatch.setenv("HOTSWAP_ANTHROPIC_TOKEN_URL", f"http://127.0.0.1:{port}/token")


# -- the fault server ----------------------------------------------------------------------------

PROVIDER_OF = {"anthropic": "anthropic", "openai": "openai", "gemini": "google", "ollama": "ollama"}
"""The provider plugin that speaks each of the fault server's wire formats."""

PRIMARY_ID = "primary-model"
FALLBACK_ID = "fallback-model"
DRIVERS = ("sync", "async-httpx2", "async-aiohttp")
"""How a test calls a chain: ``complete``/``stream`` over httpx2, or ``acomplete``/``astream``
over httpx2 or over aiohttp."""


@pytest.fixture
def fault_server(request) -> Iterator[FaultServer]:
    """A fault server for the test; with ``indirect`` parametrization, one whose frames carry
    their whitespace ``"leading"`` or ``"trailing"``."""
    with FaultServer(pieces=getattr(request, "param", "leading")) as server:
        yield server
    assert not server.failures, "the fault server failed"


@pytest.fixture
def fault_host(monkeypatch, tmp_path) -> PluginHost:
    """A plugin host with the four plugins the fault server's formats need, and their keys."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-fault-key-0001")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fault-key-0001")
    monkeypatch.setenv("GEMINI_API_KEY", "fault-gemini-key-0001")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "credentials"))
    host = PluginHost(entry_points=[])
    for plugin in (hotswap_anthropic, hotswap_openai, hotswap_google, hotswap_ollama):
        host.register(plugin.plugin, name=plugin.__name__.removeprefix("hotswap_"))
    return host


def fault_model(server: FaultServer, format: str, model_id: str) -> dict[str, Any]:
    """A ``[models.NAME]`` table for a model of ``format`` served by ``server``."""
    provider = PROVIDER_OF[format]
    model = {"provider": provider, "model": model_id, "base_url": server.base_url(format)}
    if format == "anthropic":
        # The server's Anthropic format carries on from a prefill, as Claude models before 4.6
        # do; the plugin cannot know that of an id it does not list.
        model["prefill"] = True
    return model


@dataclass
class Answered:
    """What a call gave: the answer's text (for a stream, the text after its last reset), the
    stream's events (none for a whole answer), every attempt, and the model that answered."""

    text: str
    attempts: list[Attempt]
    model: str
    events: list[StreamEvent] = field(default_factory=list)


def text_after_resets(events: list[StreamEvent]) -> str:
    """The text a caller is left with: what came after the last ``StreamReset``."""
    resets = [i for i, event in enumerate(events) if isinstance(event, StreamReset)]
    after = events[resets[-1] + 1 :] if resets else events
    return "".join(event.text for event in after if isinstance(event, TextDelta))


class Driver:
    """Calls a chain one way (see :data:`DRIVERS`), over a transport of its own, as a
    long-running application would: async calls run on one event loop, whose connections the
    transport keeps from call to call."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.transport = Transport.aiohttp() if name == "async-aiohttp" else Transport()
        self._loop = asyncio.new_event_loop() if name != "sync" else None

    def ask(
        self, chain: FailoverChain, prompt: str, *, stream: bool, pause: float = 0.0
    ) -> Answered:
        """Ask ``chain``; ``pause``: seconds the caller spends on the first text it is handed,
        as an application busy showing it would."""
        if self._loop is not None:
            return self._loop.run_until_complete(self._ask(chain, prompt, stream, pause))
        if stream:
            events: list[StreamEvent] = []
            for event in (running := chain.stream(prompt)):
                events.append(event)
                if pause and isinstance(event, TextDelta):
                    time.sleep(pause)  # the caller's own time, not the provider's
                    pause = 0.0
            answered = running.completion().model
            return Answered(text_after_resets(events), running.attempts, answered, events)
        completion = chain.complete(prompt)
        return Answered(completion.text, list(completion.attempts), completion.model)

    @staticmethod
    async def _ask(chain: FailoverChain, prompt: str, stream: bool, pause: float) -> Answered:
        if stream:
            events: list[StreamEvent] = []
            async for event in (running := chain.astream(prompt)):
                events.append(event)
                if pause and isinstance(event, TextDelta):
                    await asyncio.sleep(pause)  # the caller's own time, not the provider's
                    pause = 0.0
            answered = running.completion().model
            return Answered(text_after_resets(events), running.attempts, answered, events)
        completion = await chain.acomplete(prompt)
        return Answered(completion.text, list(completion.attempts), completion.model)

    def close(self) -> None:
        """Close the transport's connections, and the event loop."""
        if self._loop is not None:
            self._loop.run_until_complete(self.transport.aclose())
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()
            self._loop = None
        self.transport.close()


@pytest.fixture(scope="module", params=DRIVERS)
def driver(request) -> Iterator[Driver]:
    """Each way of calling, shared by a module's tests (making an httpx2 client costs 20 ms)."""
    driver = Driver(request.param)
    yield driver
    driver.close()


@pytest.fixture
def fault_chain(fault_server, fault_host, driver) -> Callable[..., FailoverChain]:
    """``fault_chain(primary, fallback=primary, **failover)``: models ``primary`` and
    ``fallback`` (ids :data:`PRIMARY_ID`, :data:`FALLBACK_ID`) of those wire formats, on the
    fault server, called through ``driver``'s transport (or ``transport``), with breakers of
    their own."""

    def build(
        primary: str,
        fallback: str | None = None,
        *,
        transport: Transport | None = None,
        **failover: Any,
    ) -> FailoverChain:
        models = {
            "primary": fault_model(fault_server, primary, PRIMARY_ID),
            "fallback": fault_model(fault_server, fallback or primary, FALLBACK_ID),
        }
        config = Config.from_dict({"models": models, "failover": failover})
        return chain(
            ["primary", "fallback"],
            config=config,
            host=fault_host,
            transport=transport or driver.transport,
            breakers=MemoryBreakerStore(),
        )

    return build
