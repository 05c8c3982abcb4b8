"""The transport a chain sends through: one object for sync and async calls alike.

:class:`Transport` joins the sync transport (generated, ``wire/_sync``) and the async one
(``wire/_async``), so an application holds one thing to close whichever way it calls.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING

import httpx2

from hotswap.types.completion import Completion
from hotswap.types.events import StreamEvent
from hotswap.types.http import HttpResponse, TransportFailure
from hotswap.wire._async.transport import AsyncTransport
from hotswap.wire._sync.transport import SyncTransport
from hotswap.wire.alarms import AlarmClock
from hotswap.wire.describe import describe_response, transport_failure
from hotswap.wire.exchange import Exchange
from hotswap.wire.guard import SocketLimits
from hotswap.wire.timeouts import Timeouts

if TYPE_CHECKING:
    from hotswap.wire.aiohttp_transport import AiohttpTransport

__all__ = ["SocketLimits", "Timeouts", "Transport", "transport_failure"]


class Transport:
    """Sends exchanges over pooled connections. Use it as a context manager, or call
    :meth:`close` / :meth:`aclose`; the clients are created on first use.

    :param timeouts: the limits of an exchange that brings none of its own.
    :param client: a ready sync client to use instead of the default one (tests, proxies).
    :param async_client: the same for async.
    :param alarms: the clock the attempts' guards read and set their alarms on (default: one
        alarm thread for sync requests, the event loop for async ones); a test of limits that
        last minutes passes one it moves by hand.
    """

    def __init__(
        self,
        *,
        timeouts: Timeouts | None = None,
        client: httpx2.Client | None = None,
        async_client: httpx2.AsyncClient | None = None,
        alarms: AlarmClock | None = None,
    ) -> None:
        timeouts = timeouts or Timeouts()
        self._sync = SyncTransport(timeouts, client=client, alarms=alarms)
        self._async = self._async_transport(timeouts, async_client, alarms)

    def _async_transport(
        self, timeouts: Timeouts, client: httpx2.AsyncClient | None, alarms: AlarmClock | None
    ) -> AsyncTransport:
        return AsyncTransport(timeouts, client=client, alarms=alarms)

    @classmethod
    def aiohttp(
        cls,
        *,
        timeouts: Timeouts | None = None,
        trust_env: bool = False,
        alarms: AlarmClock | None = None,
    ) -> AiohttpTransport:
        """A transport whose async requests go through aiohttp's client, which serves many
        requests in flight for a fraction of httpx2's CPU time (sync requests still use
        httpx2); needs the ``aiohttp`` extra. ``trust_env``: read proxy settings from the
        environment; ``alarms`` as for this class. See
        :class:`~hotswap.wire.aiohttp_transport.AiohttpTransport`."""
        try:
            from hotswap.wire.aiohttp_transport import AiohttpTransport
        except ModuleNotFoundError as missing:
            raise ModuleNotFoundError(
                f"Transport.aiohttp() needs aiohttp ({missing}); "
                "install it with: pip install 'hotswap[aiohttp]'"
            ) from missing
        return AiohttpTransport(timeouts=timeouts, trust_env=trust_env, alarms=alarms)

    @property
    def timeouts(self) -> Timeouts:
        """The limits of an exchange that brings none of its own."""
        return self._sync.timeouts

    @property
    def client(self) -> httpx2.Client:
        """The sync client (made on first use, and shared by every thread)."""
        return self._sync.client

    @property
    def async_client(self) -> httpx2.AsyncClient:
        """The async client of the running event loop. Its connections belong to that loop, so
        a chain used from a new loop (a second ``asyncio.run``) gets a client of its own."""
        return self._async.client

    def complete(self, exchange: Exchange) -> Completion:
        """Send a non-streaming exchange and return its completion (or raise its error)."""
        return self._sync.complete(exchange)

    async def acomplete(self, exchange: Exchange) -> Completion:
        """:meth:`complete`, for asyncio."""
        return await self._async.acomplete(exchange)

    def stream(self, exchange: Exchange) -> Generator[StreamEvent, None, None]:
        """Send a streaming exchange and yield its events as they arrive."""
        return self._sync.stream(exchange)

    def astream(self, exchange: Exchange) -> AsyncGenerator[StreamEvent, None]:
        """:meth:`stream`, for asyncio. Close it (``aclose``) to close the response at once."""
        return self._async.astream(exchange)

    def fetch(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: bytes | None = None,
        timeout_s: float,
    ) -> HttpResponse | TransportFailure:
        """Send one small request that is not a completion (a model listing), with
        ``timeout_s`` as the limit of every phase; describe the answer, or what went wrong."""
        client = self.client
        request = client.build_request(
            method, url, content=body, headers=dict(headers), timeout=httpx2.Timeout(timeout_s)
        )
        try:
            response = client.send(request)
        except httpx2.TransportError as exc:
            return transport_failure(exc)
        return describe_response(response, response.content)

    def close(self) -> None:
        """Close the sync client's connections."""
        self._sync.close()

    async def aclose(self) -> None:
        """Close the async client's connections."""
        await self._async.aclose()

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Transport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
        self.close()
