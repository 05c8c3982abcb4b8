"""Sending one attempt over httpx2 and reading its answer under the attempt's guard.

Written once, for asyncio, in ``wire/_async``; ``make unasync`` writes the sync twin in
``wire/_sync``. What to send and what an answer means are the exchange's, how a read is
interrupted is the guard's, and here is only the order of the steps. Closing a stream's
iterator, breaking out of the loop or cancelling the task closes the HTTP response at once.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing
from typing import Any, ClassVar, Protocol

import httpx2

from hotswap.types.completion import Completion
from hotswap.types.errors import ProviderError
from hotswap.types.events import StreamEvent
from hotswap.types.http import HttpResponse, TransportFailure
from hotswap.wire.alarms import AlarmClock
from hotswap.wire.clients import AsyncClients
from hotswap.wire.describe import describe_response, transport_failure
from hotswap.wire.exchange import Exchange
from hotswap.wire.guard import AsyncGuard, SocketLimits, guarded_failure, timed_out
from hotswap.wire.timeouts import AttemptTimer, Timeouts

__all__ = ["AsyncResponse", "AsyncTransport"]


class AsyncResponse(Protocol):
    """A response as the transport reads it: an httpx2 ``Response``, or another client's
    answer under httpx2's names."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers: names lower-case when iterated, found in any case."""
        ...

    @property
    def extensions(self) -> Mapping[str, Any]:
        """httpx2's response extensions (``network_stream``: the socket, for the guard)."""
        ...

    async def aread(self) -> bytes: ...
    def aiter_bytes(self) -> AsyncIterator[bytes]: ...
    async def aclose(self) -> None: ...


class AsyncTransport:
    """Sends exchanges through an httpx2 client.

    :param timeouts: the limits of an exchange that brings none of its own.
    :param client: a ready client to use instead of the default one (tests, proxies).
    :param alarms: the clock the attempts' guards read and set their alarms on (default: the
        guard's own); a test of limits that last minutes passes one it moves by hand.
    """

    _errors: ClassVar[tuple[type[Exception], ...]] = (httpx2.TransportError,)
    """What sending a request and reading its answer raise when the network fails."""

    def __init__(
        self,
        timeouts: Timeouts,
        *,
        client: httpx2.AsyncClient | None = None,
        alarms: AlarmClock | None = None,
    ) -> None:
        self.timeouts = timeouts
        self._alarms = alarms
        self._clients = AsyncClients(client)

    @property
    def client(self) -> httpx2.AsyncClient:
        return self._clients.get()

    async def acomplete(self, exchange: Exchange) -> Completion:
        """Send a non-streaming exchange and return its completion (or raise its error)."""
        try:
            return exchange.completion(await self._send_whole(exchange))
        except ProviderError as error:
            if not exchange.refresh_after_refusal(error):
                raise
        return exchange.completion(await self._send_whole(exchange))

    async def astream(self, exchange: Exchange) -> AsyncGenerator[StreamEvent, None]:
        """Send a streaming exchange and yield its events as they arrive; close it to close
        the response at once."""
        shown = False
        try:
            # aclosing: an async generator left mid-way is only closed when the event loop gets
            # round to it, and until then its connection stays open.
            async with aclosing(self._stream_once(exchange)) as events:
                async for event in events:
                    shown = True
                    yield event
        except ProviderError as error:
            if shown or not exchange.refresh_after_refusal(error):
                raise
            async with aclosing(self._stream_once(exchange)) as events:
                async for event in events:
                    yield event

    async def aclose(self) -> None:
        await self._clients.aclose()

    # -- one attempt ---------------------------------------------------------------------------

    async def _send_whole(self, exchange: Exchange) -> HttpResponse:
        """The whole response to an exchange whose answer arrives in one piece (a completion,
        or an error status), read under the attempt's guard: its headers are its first event,
        and each piece of its body keeps it from being idle."""
        await self._refresh(exchange)
        self._ready()
        clock = self._alarms or AsyncGuard.default_clock()
        timer = self._timer(exchange, clock.now())
        limits = self._limits(timer)
        async with AsyncGuard(exchange, timer, clock) as guard:
            try:
                response = await self._open(
                    exchange.method, exchange.url, exchange.headers, exchange.body, limits
                )
                try:
                    now = clock.now()
                    guard.answered(response.extensions, limits, now)
                    guard.heard(now)
                    body = []
                    async for piece in response.aiter_bytes():
                        body.append(piece)
                        guard.heard(clock.now())
                    return describe_response(response, b"".join(body))
                finally:
                    await response.aclose()
            except self._errors as exc:
                raise guarded_failure(exchange, timer, self._failure(exc), clock.now()) from None

    async def _stream_once(self, exchange: Exchange) -> AsyncGenerator[StreamEvent, None]:
        await self._refresh(exchange)
        self._ready()
        clock = self._alarms or AsyncGuard.default_clock()
        timer = self._timer(exchange, clock.now())
        limits = self._limits(timer)
        async with AsyncGuard(exchange, timer, clock) as guard:
            try:
                response = await self._open(
                    exchange.method, exchange.url, exchange.headers, exchange.body, limits
                )
            except self._errors as exc:
                raise guarded_failure(exchange, timer, self._failure(exc), clock.now()) from None
            try:
                guard.answered(response.extensions, limits, clock.now())
                if response.status_code >= 300:
                    try:
                        body = await response.aread()
                    except self._errors as exc:
                        failure = self._failure(exc)
                        raise guarded_failure(exchange, timer, failure, clock.now()) from None
                    raise exchange.error(describe_response(response, body))
                state = exchange.open_stream()
                chunks = response.aiter_bytes()
                try:
                    while True:
                        guard.listen()
                        chunk = await anext(chunks, None)
                        guard.waiting = False
                        if timer.expired is not None:
                            # The guard rang as this chunk arrived: the attempt is over, and
                            # nothing of it is shown that a timeout would then contradict.
                            raise timed_out(exchange, timer)
                        if chunk is None:
                            break
                        events = state.feed(chunk)
                        if events:
                            for event in events:
                                yield event
                            guard.heard(clock.now())
                        if state.failure is not None:
                            raise state.failure
                        if timer.check(clock.now()):
                            raise timed_out(exchange, timer)
                except self._errors as exc:
                    raise guarded_failure(
                        exchange, timer, self._failure(exc), clock.now()
                    ) from None
                for event in state.end():
                    yield event
                if state.failure is not None:
                    raise state.failure
            finally:
                await response.aclose()

    async def _refresh(self, exchange: Exchange) -> None:
        """Renew an expired login the exchange found, before the request that needs it."""
        refresh = exchange.refresh
        if refresh is None:
            return
        current = refresh.superseded()
        if current is not None:
            exchange.use(current)
            return
        try:
            response = await self._open(
                refresh.method, refresh.url, refresh.headers, refresh.body, self._refresh_limits()
            )
            try:
                body = await response.aread()
            finally:
                await response.aclose()
        except self._errors as exc:
            raise exchange.refresh_failed(self._failure(exc).detail) from None
        exchange.refreshed(describe_response(response, body))

    # -- what a transport on another client replaces --------------------------------------------

    def _ready(self) -> None:
        """Make the client, if it is not made yet, before an attempt's clock starts: making one
        (its TLS context) is hotswap's work, not the provider's slowness."""
        self._clients.get()

    async def _open(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        limits: SocketLimits,
    ) -> AsyncResponse:
        """Send a request; return the response once its headers have arrived."""
        client = self.client
        request = client.build_request(
            method, url, content=body, headers=headers, extensions={"timeout": limits}
        )
        return await client.send(request, stream=True)

    def _limits(self, timer: AttemptTimer) -> SocketLimits:
        return AsyncGuard.socket_limits(timer)

    def _failure(self, exc: Exception) -> TransportFailure:
        """Describe one of :attr:`_errors` for classification."""
        return transport_failure(exc)

    # -- the same for every attempt ---------------------------------------------------------------

    def _timer(self, exchange: Exchange, now: float) -> AttemptTimer:
        return AttemptTimer(
            exchange.timeouts or self.timeouts,
            now,
            streaming=exchange.stream,
            time_left=exchange.time_left,
        )

    def _refresh_limits(self) -> SocketLimits:
        # A token endpoint answers at once, and no guard watches it: reads get as long as writes.
        limits = self.timeouts
        return {
            "connect": limits.connect,
            "read": limits.write,
            "write": limits.write,
            "pool": limits.pool,
        }
