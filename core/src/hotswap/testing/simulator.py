"""The :class:`Simulator`: real HTTP on a loopback port, in this process, on its own thread.

The server runs its own event loop on a background thread whether it is used from sync or
async code, so both share one implementation, a hanging fault never blocks the test's own
loop, and a sync test needs no loop at all. aiohttp is imported only when a simulator starts.
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from hotswap.testing.planner import Planner
from hotswap.testing.scripts import Script, Step

if TYPE_CHECKING:
    from hotswap.testing.recording import RecordedRequest
    from hotswap.testing.server import SimulatorServer

__all__ = ["Simulator", "check_loopback"]

_START_LIMIT = 10.0
"""Seconds to wait for the server thread to start listening before giving up."""


class Simulator:
    """A local stand-in for the LLM providers that can be told to misbehave.

    ::

        with Simulator() as sim:
            sim.script("claude-sonnet-4-5", [RateLimit(), RateLimit()])
            ...  # a client aimed at sim.url gets two 429s, then "echo: <last user text>"
            assert sim.count("claude-sonnet-4-5") == 3

    :param host: a loopback address to listen on.
    :param port: the port, or 0 for any free one (read it back from :attr:`url`).
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        check_loopback(host)
        self._host = host
        self._port = port
        self._planner = Planner()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._failure: BaseException | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> Simulator:
        """Start serving; returns the simulator, for ``sim = Simulator().start()``."""
        if self._thread is not None:
            raise RuntimeError("this simulator is already running; stop it before starting it")
        try:
            from hotswap.testing.server import SimulatorServer
        except ModuleNotFoundError as missing:
            raise ModuleNotFoundError(
                f"the hotswap simulator needs aiohttp ({missing}); "
                "install it with: pip install 'hotswap[simulator]'"
            ) from missing
        ready = threading.Event()
        thread = threading.Thread(
            target=self._run, args=(SimulatorServer, ready), name="hotswap-simulator", daemon=True
        )
        self._thread = thread
        thread.start()
        if not ready.wait(_START_LIMIT):
            raise RuntimeError(f"the simulator did not start listening within {_START_LIMIT} s")
        if self._failure is not None:
            thread.join()
            self._thread = None
            raise self._failure
        return self

    def stop(self) -> None:
        """Stop serving: close every connection (hanging ones included) and wait for the
        server thread to end. Stopping a simulator that is not running does nothing."""
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None:
            return
        if loop is not None and stopping is not None:
            loop.call_soon_threadsafe(stopping.set)
        thread.join()
        self._thread = self._loop = self._stopping = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Simulator:
        return await asyncio.to_thread(self.start)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:41234`` (no trailing slash). Point each
        client's base URL at it as the provider's own would be: ``{url}`` for Anthropic,
        Gemini and Ollama, ``{url}/v1`` for OpenAI and Ollama's OpenAI form."""
        if self._thread is None:
            raise RuntimeError("the simulator is not running: start it, or use it in a with block")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    # -- scripting ------------------------------------------------------------------------------

    def script(self, model: str, steps: Script | Sequence[Step]) -> None:
        """Script what ``model`` does from its next request on, replacing its earlier script.

        :param model: a model id as the request names it, a shell-style pattern
            (``claude-*``), or ``*`` for any model no other script names.
        :param steps: a :class:`Script`, or a list of steps taken one per request, after which
            the model answers normally.
        """
        script = steps if isinstance(steps, Script) else Script.sequence(*steps)
        self._planner.scripts.set(model, script)

    def accept_keys(self, provider: str, *keys: str) -> None:
        """Accept only ``keys`` for ``provider`` (``anthropic``, ``openai``, ``gemini`` or
        ``ollama``); any other key gets that provider's own refusal. By default any non-empty
        key is accepted (and Ollama needs none)."""
        self._planner.accept_keys(provider, frozenset(keys))

    def serve_models(self, provider: str, *models: str) -> None:
        """Have ``provider`` (``gemini`` or ``ollama``) serve only ``models``: a request naming
        any other gets that provider's not-found answer (Ollama's "try pulling it first"), and
        its model listing (``GET /api/tags``, ``GET /v1beta/models``) shows them. By default
        every model is served and the listings are empty."""
        self._planner.serve_models(provider, frozenset(models))

    def load_scripts(self, path: str | Path) -> None:
        """Set the scripts and accepted keys a TOML script file holds (the format of
        ``hotswap simulate --faults``, described in :mod:`hotswap.cli.simulate`).

        :raises hotswap.types.errors.ConfigError: the file is unreadable or wrong; the message names
            the key and what is allowed.
        """
        from hotswap.testing.scriptfile import load_script_file

        loaded = load_script_file(Path(path))
        for provider, keys in loaded.keys.items():
            self.accept_keys(provider, *keys)
        for model, script in loaded.scripts.items():
            self.script(model, script)

    def reset(self) -> None:
        """Forget every script, accepted key, served model and recorded request."""
        self._planner.clear()

    # -- recorded requests ----------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order (a copy)."""
        return self._planner.recorder.all()

    def count(self, model: str | None = None) -> int:
        """How many requests arrived, for ``model`` or in all."""
        found = self._planner.recorder.all()
        return len(found) if model is None else sum(r.model == model for r in found)

    # -- the server thread ----------------------------------------------------------------------

    def _run(self, server_type: type[SimulatorServer], ready: threading.Event) -> None:
        self._failure = None
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve(loop, server_type, ready))
        except BaseException as failure:  # reported to start(), which re-raises it
            self._failure = failure
            ready.set()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(
        self,
        loop: asyncio.AbstractEventLoop,
        server_type: type[SimulatorServer],
        ready: threading.Event,
    ) -> None:
        server = server_type(self._planner)
        try:
            self._port = await server.start(self._host, self._port)
            self._loop = loop
            self._stopping = asyncio.Event()
            ready.set()
            await self._stopping.wait()
        finally:
            await server.close()


def check_loopback(host: str) -> None:
    """Refuse any address but loopback: the simulator is for this machine only."""
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"the simulator listens on loopback addresses only (127.0.0.1, ::1, localhost), "
            f"not {host!r}"
        )
