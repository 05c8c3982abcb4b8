"""An async transport on aiohttp's client, for applications with many requests in flight.

On the benchmarks (``make bench``, docs/benchmarks.md) aiohttp's client spends a fraction of
the CPU time per request that httpx2's async client does, and so serves several times the
requests per second from one event loop. Choose it explicitly::

    from hotswap.wire.transport import Transport

    chain = hotswap.chain("default", transport=Transport.aiohttp())

It needs the ``aiohttp`` extra (``pip install 'hotswap[aiohttp]'``). Only the async methods
change: ``acomplete`` and ``astream`` go through aiohttp, with the same per-attempt limits
(first event, idle, attempt, enforced by the same guard), the same cancellation (the response
is closed at once), the same token refresh and the same error kinds; sync calls keep using the
pooled httpx2 client. aiohttp has no write timeout of its own, so a body that cannot be sent is
bounded by the attempt limit, and proxy settings in the environment are ignored unless
``trust_env=True`` (see :class:`AiohttpTransport`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from types import MappingProxyType
from typing import Any

import aiohttp
import httpx2

from hotswap.types.errors import ErrorKind
from hotswap.types.http import TransportFailure
from hotswap.wire._async.transport import AsyncTransport
from hotswap.wire.alarms import AlarmClock
from hotswap.wire.guard import SocketLimits
from hotswap.wire.timeouts import AttemptTimer, Timeouts
from hotswap.wire.transport import Transport

__all__ = ["AiohttpTransport"]

POOL_SIZE = 100
"""Connections kept per transport (and so per event loop), as httpx2's pool keeps."""

_TIMEOUTS_KEPT = 64
"""aiohttp timeout settings a transport keeps, one per connect and pool limit it has sent with."""


class AiohttpTransport(Transport):
    """A :class:`~hotswap.wire.transport.Transport` whose async requests go through aiohttp.

    :param timeouts: the limits of an exchange that brings none of its own.
    :param pool_size: the most connections open at once; more requests wait for one, up to
        the ``pool`` limit.
    :param trust_env: read proxy settings (``HTTPS_PROXY``, ``NO_PROXY``...) and ``~/.netrc``
        from the environment, as httpx2 does by default. Off by default: aiohttp then reads
        the environment again for every request.
    :param alarms: as for :class:`~hotswap.wire.transport.Transport`.
    """

    def __init__(
        self,
        *,
        timeouts: Timeouts | None = None,
        pool_size: int = POOL_SIZE,
        trust_env: bool = False,
        alarms: AlarmClock | None = None,
    ) -> None:
        self._pool_size = pool_size
        self._trust_env = trust_env
        super().__init__(timeouts=timeouts, alarms=alarms)

    def _async_transport(
        self, timeouts: Timeouts, client: httpx2.AsyncClient | None, alarms: AlarmClock | None
    ) -> AsyncTransport:
        self._aiohttp = _AiohttpAsyncTransport(
            timeouts, pool_size=self._pool_size, trust_env=self._trust_env, alarms=alarms
        )
        return self._aiohttp

    @property
    def session(self) -> aiohttp.ClientSession:
        """The aiohttp session of the running event loop (a new loop gets a new one, since a
        session's connections belong to the loop that opened them)."""
        return self._aiohttp.session


class _AiohttpAsyncTransport(AsyncTransport):
    """The async transport, sending through an aiohttp session instead of an httpx2 client."""

    _errors = (aiohttp.ClientError,)

    def __init__(
        self, timeouts: Timeouts, *, pool_size: int, trust_env: bool, alarms: AlarmClock | None
    ) -> None:
        super().__init__(timeouts, alarms=alarms)
        self._pool_size = pool_size
        self._trust_env = trust_env
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None
        self._client_timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}

    def _ready(self) -> None:
        self._session_of_loop()

    @property
    def session(self) -> aiohttp.ClientSession:
        """The aiohttp session of the running event loop (a new loop gets a new one, since a
        session's connections belong to the loop that opened them)."""
        return self._session_of_loop()

    def _session_of_loop(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session_loop is not loop or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                timeout=aiohttp.ClientTimeout(total=None),
                trust_env=self._trust_env,
                auto_decompress=True,
            )
            self._session_loop = loop
        return self._session

    def _limits(self, timer: AttemptTimer) -> SocketLimits:
        # No socket read limit: the attempt's guard, which cancels the task at any point,
        # bounds reads (first event, idle, attempt) on its own, and aiohttp moves a read limit's
        # timer on every packet received, a cost paid by every request. Token refreshes, which
        # have no guard, keep theirs.
        return {**super()._limits(timer), "read": None}

    async def _open(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        limits: SocketLimits,
    ) -> _AiohttpResponse:
        connect, read, pool = limits["connect"] or 0.0, limits["read"], limits["pool"] or 0.0
        key = (connect, read, pool)
        timeout = self._client_timeouts.get(key)
        if timeout is None:
            # Kept per set of limits: a chain sends with a few, and every request needs one.
            if len(self._client_timeouts) >= _TIMEOUTS_KEPT:
                self._client_timeouts.clear()
            timeout = self._client_timeouts[key] = aiohttp.ClientTimeout(
                total=None,
                connect=pool + connect,  # aiohttp counts the wait for a pooled connection here
                sock_connect=connect,
                sock_read=read,
            )
        response = await self.session.request(
            method, url, data=body, headers=headers, timeout=timeout, allow_redirects=False
        )
        return _AiohttpResponse(response)

    def _failure(self, exc: Exception) -> TransportFailure:
        return aiohttp_failure(exc)

    async def aclose(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


_NO_EXTENSIONS: Mapping[str, Any] = MappingProxyType({})


class _AiohttpResponse:
    """An aiohttp response under the names the transport reads (httpx2's)."""

    __slots__ = ("_response", "headers", "status_code")

    extensions = _NO_EXTENSIONS
    """None of httpx2's: the async guard needs no socket."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status_code = response.status
        # aiohttp keeps the names as the server wrote them.
        self.headers = {name.lower(): value for name, value in response.headers.items()}

    async def aread(self) -> bytes:
        return await self._response.read()

    def aiter_bytes(self) -> AsyncIterator[bytes]:
        return self._response.content.iter_any()

    async def aclose(self) -> None:
        # A response read to its end has already given its connection back to the pool;
        # closing one that was not drops the connection, so nothing unread stays on it.
        self._response.close()


def aiohttp_failure(exc: BaseException) -> TransportFailure:
    """Describe an aiohttp exception in transport-neutral terms, for classification."""
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return TransportFailure(ErrorKind.TIMEOUT, "connect", detail)
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return TransportFailure(ErrorKind.TIMEOUT, "read", detail)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return TransportFailure(ErrorKind.CONNECTION, "connect", detail)
    return TransportFailure(ErrorKind.CONNECTION, "read", detail)
