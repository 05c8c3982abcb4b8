"""The only place hotswap touches a socket: one pooled httpx2 client for sync use, one for async.

A :class:`Transport` sends an :class:`~hotswap.exchange.Exchange` and hands what came back to
it; every decision (what to send, what the answer means, which error it is) is the exchange's,
so the sync and async paths differ only in ``await``. Closing a stream's iterator, breaking out
of the loop or cancelling the task closes the HTTP response at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from types import TracebackType

import httpx2

from hotswap.completion import Completion
from hotswap.credentials.refresh import TokenRefresh
from hotswap.errors import ErrorKind
from hotswap.events import StreamEvent
from hotswap.exchange import Exchange, response_headers
from hotswap.http import HttpResponse, TransportFailure

__all__ = ["Timeouts", "Transport", "transport_failure"]


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Per-request limits, in seconds.

    :param connect: to open a connection.
    :param read: the longest silence while waiting for the response or between stream chunks;
        a model's ``timeout_s`` (or the request's) replaces it. Generous by default because
        reasoning models can think for minutes before their first byte.
    :param write: to send the request body.
    :param pool: to wait for a free connection from the pool.
    """

    connect: float = 10.0
    read: float = 600.0
    write: float = 30.0
    pool: float = 30.0

    def for_exchange(self, exchange: Exchange) -> httpx2.Timeout:
        read = exchange.request.options.timeout_s or exchange.model.timeout_s or self.read
        return httpx2.Timeout(connect=self.connect, read=read, write=self.write, pool=self.pool)

    def for_refresh(self) -> httpx2.Timeout:
        """Limits for a token refresh: a token endpoint answers at once, so reads get as long
        as writes."""
        return httpx2.Timeout(
            connect=self.connect, read=self.write, write=self.write, pool=self.pool
        )


class Transport:
    """Sends exchanges over pooled connections. Use it as a context manager, or call
    :meth:`close` / :meth:`aclose`; the clients are created on first use.

    :param timeouts: the default limits.
    :param client: a ready sync client to use instead of the default one (tests, proxies).
    :param async_client: the same for async.
    """

    def __init__(
        self,
        *,
        timeouts: Timeouts | None = None,
        client: httpx2.Client | None = None,
        async_client: httpx2.AsyncClient | None = None,
    ) -> None:
        self.timeouts = timeouts or Timeouts()
        self._client = client
        self._async_client = async_client

    @property
    def client(self) -> httpx2.Client:
        if self._client is None:
            self._client = httpx2.Client(follow_redirects=False)
        return self._client

    @property
    def async_client(self) -> httpx2.AsyncClient:
        if self._async_client is None:
            self._async_client = httpx2.AsyncClient(follow_redirects=False)
        return self._async_client

    # -- building requests (both clients build them the same, synchronously) ----------------

    def _request(
        self, client: httpx2.Client | httpx2.AsyncClient, exchange: Exchange
    ) -> httpx2.Request:
        return client.build_request(
            exchange.method,
            exchange.url,
            content=exchange.body,
            headers=exchange.headers,
            timeout=self.timeouts.for_exchange(exchange),
        )

    def _refresh_request(
        self, client: httpx2.Client | httpx2.AsyncClient, refresh: TokenRefresh
    ) -> httpx2.Request:
        return client.build_request(
            refresh.method,
            refresh.url,
            content=refresh.body,
            headers=refresh.headers,
            timeout=self.timeouts.for_refresh(),
        )

    # -- sync --------------------------------------------------------------------------------

    def complete(self, exchange: Exchange) -> Completion:
        """Send a non-streaming exchange and return its completion (or raise its error)."""
        self._refresh(exchange)
        try:
            response = self.client.send(self._request(self.client, exchange))
        except httpx2.TransportError as exc:
            raise exchange.error(transport_failure(exc)) from None
        return exchange.completion(_described(response, response.content))

    def stream(self, exchange: Exchange) -> Iterator[StreamEvent]:
        """Send a streaming exchange and yield its events as they arrive."""
        self._refresh(exchange)
        request = self._request(self.client, exchange)
        try:
            response = self.client.send(request, stream=True)
        except httpx2.TransportError as exc:
            raise exchange.error(transport_failure(exc)) from None
        try:
            if response.status_code >= 300:
                raise exchange.error(_described(response, _read(response, exchange)))
            state = exchange.open_stream()
            try:
                for chunk in response.iter_bytes():
                    yield from state.feed(chunk)
                    state.raise_failure()
            except httpx2.TransportError as exc:
                raise exchange.error(transport_failure(exc)) from None
            yield from state.end()
            state.raise_failure()
        finally:
            response.close()

    def _refresh(self, exchange: Exchange) -> None:
        """Renew an expired login the exchange found, before the request that needs it."""
        refresh = exchange.refresh
        if refresh is None:
            return
        try:
            response = self.client.send(self._refresh_request(self.client, refresh))
        except httpx2.TransportError as exc:
            raise refresh.failed(transport_failure(exc).detail) from None
        exchange.refreshed(_described(response, response.content))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- async -------------------------------------------------------------------------------

    async def acomplete(self, exchange: Exchange) -> Completion:
        """:meth:`complete`, for asyncio."""
        await self._arefresh(exchange)
        try:
            response = await self.async_client.send(self._request(self.async_client, exchange))
        except httpx2.TransportError as exc:
            raise exchange.error(transport_failure(exc)) from None
        return exchange.completion(_described(response, response.content))

    async def astream(self, exchange: Exchange) -> AsyncIterator[StreamEvent]:
        """:meth:`stream`, for asyncio."""
        await self._arefresh(exchange)
        client = self.async_client
        request = self._request(client, exchange)
        try:
            response = await client.send(request, stream=True)
        except httpx2.TransportError as exc:
            raise exchange.error(transport_failure(exc)) from None
        try:
            if response.status_code >= 300:
                try:
                    body = await response.aread()
                except httpx2.TransportError as exc:
                    raise exchange.error(transport_failure(exc)) from None
                raise exchange.error(_described(response, body))
            state = exchange.open_stream()
            try:
                async for chunk in response.aiter_bytes():
                    for event in state.feed(chunk):
                        yield event
                    state.raise_failure()
            except httpx2.TransportError as exc:
                raise exchange.error(transport_failure(exc)) from None
            for event in state.end():
                yield event
            state.raise_failure()
        finally:
            await response.aclose()

    async def _arefresh(self, exchange: Exchange) -> None:
        """:meth:`_refresh`, for asyncio."""
        refresh = exchange.refresh
        if refresh is None:
            return
        try:
            response = await self.async_client.send(
                self._refresh_request(self.async_client, refresh)
            )
        except httpx2.TransportError as exc:
            raise refresh.failed(transport_failure(exc).detail) from None
        exchange.refreshed(_described(response, response.content))

    async def aclose(self) -> None:
        if self._async_client is not None:
            await self._async_client.aclose()

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


def _described(response: httpx2.Response, body: bytes) -> HttpResponse:
    return HttpResponse(response.status_code, response_headers(response.headers), body)


def _read(response: httpx2.Response, exchange: Exchange) -> bytes:
    try:
        return response.read()
    except httpx2.TransportError as exc:
        raise exchange.error(transport_failure(exc)) from None


def transport_failure(exc: httpx2.TransportError) -> TransportFailure:
    """Describe an httpx2 exception in transport-neutral terms, for classification."""
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx2.ConnectTimeout):
        return TransportFailure(ErrorKind.TIMEOUT, "connect", detail)
    if isinstance(exc, httpx2.WriteTimeout):
        return TransportFailure(ErrorKind.TIMEOUT, "write", detail)
    if isinstance(exc, httpx2.PoolTimeout):
        return TransportFailure(ErrorKind.TIMEOUT, "pool", detail)
    if isinstance(exc, httpx2.TimeoutException):
        return TransportFailure(ErrorKind.TIMEOUT, "read", detail)
    if isinstance(exc, httpx2.ConnectError):
        return TransportFailure(ErrorKind.CONNECTION, "connect", detail)
    if isinstance(exc, httpx2.WriteError):
        return TransportFailure(ErrorKind.CONNECTION, "write", detail)
    return TransportFailure(ErrorKind.CONNECTION, "read", detail)
