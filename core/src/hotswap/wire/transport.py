"""The only place hotswap touches a socket: one pooled httpx2 client for sync use, one for async.

A :class:`Transport` sends an :class:`~hotswap.wire.exchange.Exchange` and hands what came back to
it; every decision (what to send, what the answer means, which error it is) is the exchange's,
so the sync and async paths differ only in ``await``. Closing a stream's iterator, breaking out
of the loop or cancelling the task closes the HTTP response at once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Generator, Iterator, Mapping
from contextlib import aclosing
from types import TracebackType
from typing import TYPE_CHECKING, ClassVar

import httpcore2
import httpx2

from hotswap.types.completion import Completion
from hotswap.types.errors import ErrorKind, ProviderError
from hotswap.types.events import StreamEvent
from hotswap.types.http import HttpResponse, TransportFailure
from hotswap.wire.answers import (
    POOL_ERRORS,
    Answer,
    AsyncAnswer,
    HttpxAnswer,
    SyncHttpxAnswer,
    async_pool_answer,
    described_answer,
    pool_answer,
)
from hotswap.wire.exchange import Exchange
from hotswap.wire.guard import (
    AlarmClock,
    AsyncGuard,
    LoopAlarms,
    SocketLimits,
    SyncGuard,
    after_headers,
    guarded_failure,
    socket_limits,
    thread_alarms,
    timed_out,
)
from hotswap.wire.outgoing import RequestBuilder
from hotswap.wire.timeouts import AttemptTimer, Timeouts

if TYPE_CHECKING:
    from hotswap.wire.aiohttp_transport import AiohttpTransport

__all__ = ["SocketLimits", "Timeouts", "Transport", "transport_failure"]

_ERRORS: tuple[type[Exception], ...] = (httpx2.TransportError, *POOL_ERRORS)
"""What sending a request and reading its answer raise when the network fails."""


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

    _async_errors: ClassVar[tuple[type[Exception], ...]] = _ERRORS
    """What the async client raises when the network fails (see :meth:`_async_failure`)."""

    def __init__(
        self,
        *,
        timeouts: Timeouts | None = None,
        client: httpx2.Client | None = None,
        async_client: httpx2.AsyncClient | None = None,
        alarms: AlarmClock | None = None,
    ) -> None:
        self.timeouts = timeouts or Timeouts()
        self._alarms = alarms
        self._making = threading.Lock()
        self._client = client
        self._own_sync = False
        self._async_client = async_client
        self._own_async = False
        self._async_loop: asyncio.AbstractEventLoop | None = None
        builder = RequestBuilder()
        self._build = builder.build
        self._pooled = builder.pooled

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
    def client(self) -> httpx2.Client:
        if self._client is None:
            # Threads that first use a transport at once must share one client: any other
            # would never be closed, and its connections would outlive close().
            with self._making:
                if self._client is None:
                    self._client = httpx2.Client(follow_redirects=False)
                    self._own_sync = True
        return self._client

    @property
    def async_client(self) -> httpx2.AsyncClient:
        """The async client of the running event loop. Its connections belong to that loop, so
        a chain used from a new loop (a second ``asyncio.run``) gets a client of its own."""
        loop = asyncio.get_running_loop()
        if self._async_client is None or (self._own_async and self._async_loop is not loop):
            self._async_client = httpx2.AsyncClient(follow_redirects=False)
            self._own_async = True
            self._async_loop = loop
        return self._async_client

    # -- building requests (both clients build them the same, synchronously) ----------------

    def _timer(self, exchange: Exchange, now: float) -> AttemptTimer:
        return AttemptTimer(
            exchange.timeouts or self.timeouts,
            now,
            streaming=exchange.stream,
            time_left=exchange.time_left,
        )

    def _limits(self, timer: AttemptTimer) -> SocketLimits:
        limits = timer.limits
        return socket_limits(timer, limits.connect, limits.write, limits.pool)

    def _refresh_limits(self) -> SocketLimits:
        # A token endpoint answers at once, so reads get as long as writes.
        limits = self.timeouts
        return {
            "connect": limits.connect,
            "read": limits.write,
            "write": limits.write,
            "pool": limits.pool,
        }

    def _sync_alarms(self) -> AlarmClock:
        return self._alarms or thread_alarms()

    def _async_alarms(self) -> AlarmClock:
        return self._alarms or LoopAlarms(asyncio.get_running_loop())

    # A client this transport made has no auth, no event hooks, no redirects to follow and no
    # base URL, and keeps no cookies worth sending to an API: its requests are built directly
    # (hotswap.wire.outgoing) and go straight to the connection pool for their URL (a proxy's, if
    # the environment names one), which skips the client's own per-request work (about 40 µs
    # of CPU, measured in benchmarks/), and the pool's answer is read as it comes
    # (hotswap.wire.answers). A client passed in may be configured for any of those, so it builds
    # and sends its requests itself.

    def _open(self, exchange: Exchange, limits: SocketLimits) -> Answer:
        """Send an exchange's request; the response, once its headers have arrived."""
        client = self.client
        own = self._own_sync and not client.is_closed
        method, url, headers, body = exchange.method, exchange.url, exchange.headers, exchange.body
        if not own:
            request = self._build(client, own, method, url, headers, body, limits)
            return SyncHttpxAnswer(client.send(request, stream=True))
        pooled = self._pooled(client, method, url, headers, body, limits)
        if pooled is not None:
            pool, sent = pooled
            return pool_answer(pool.handle_request(sent))
        request = self._build(client, own, method, url, headers, body, limits)
        return SyncHttpxAnswer(client._transport_for_url(request.url).handle_request(request))

    # -- sync --------------------------------------------------------------------------------

    def complete(self, exchange: Exchange) -> Completion:
        """Send a non-streaming exchange and return its completion (or raise its error)."""
        try:
            return exchange.completion(self._send_whole(exchange))
        except ProviderError as error:
            if not exchange.refresh_after_refusal(error):
                raise
        return exchange.completion(self._send_whole(exchange))

    def _send_whole(self, exchange: Exchange) -> HttpResponse:
        """The whole response to an exchange whose answer arrives in one piece (a completion,
        or an error status), read under the attempt's guard: its headers are its first event,
        and each piece of its body keeps it from being idle."""
        self._refresh(exchange)
        clock = self._sync_alarms()
        timer = self._timer(exchange, clock.now())
        guard = SyncGuard(timer, clock)
        limits = self._limits(timer)
        try:
            answer = self._open(exchange, limits)
            try:
                guard.attach(answer.extensions)
                now = clock.now()
                guard.heard(now)
                after_headers(limits, timer, now)
                body = []
                for piece in answer.chunks():
                    body.append(piece)
                    guard.heard(clock.now())
                return described_answer(answer, b"".join(body))
            finally:
                answer.close()
        except _ERRORS as exc:
            raise guarded_failure(exchange, timer, transport_failure(exc), clock.now()) from None
        finally:
            guard.cancel()

    def stream(self, exchange: Exchange) -> Generator[StreamEvent, None, None]:
        """Send a streaming exchange and yield its events as they arrive."""
        shown = False
        try:
            for event in self._stream_once(exchange):
                shown = True
                yield event
        except ProviderError as error:
            if shown or not exchange.refresh_after_refusal(error):
                raise
            yield from self._stream_once(exchange)

    def _stream_once(self, exchange: Exchange) -> Iterator[StreamEvent]:
        self._refresh(exchange)
        clock = self._sync_alarms()
        timer = self._timer(exchange, clock.now())
        guard = SyncGuard(timer, clock)
        limits = self._limits(timer)
        try:
            try:
                answer = self._open(exchange, limits)
            except _ERRORS as exc:
                raise guarded_failure(
                    exchange, timer, transport_failure(exc), clock.now()
                ) from None
            try:
                guard.attach(answer.extensions)
                after_headers(limits, timer, clock.now())
                if answer.status >= 300:
                    try:
                        body = answer.read()
                    except _ERRORS as exc:
                        raise guarded_failure(
                            exchange, timer, transport_failure(exc), clock.now()
                        ) from None
                    raise exchange.error(described_answer(answer, body))
                state = exchange.open_stream()
                chunks = answer.chunks()
                try:
                    while True:
                        guard.listen()
                        chunk = next(chunks, None)
                        guard.waiting = False
                        if timer.expired is not None:
                            # The guard rang as this chunk arrived: the attempt is over, and
                            # nothing of it is shown that a timeout would then contradict.
                            raise timed_out(exchange, timer)
                        if chunk is None:
                            break
                        events = state.feed(chunk)
                        if events:
                            yield from events
                            guard.heard(clock.now())
                        if state.failure is not None:
                            raise state.failure
                        if timer.check(clock.now()):
                            raise timed_out(exchange, timer)
                except _ERRORS as exc:
                    raise guarded_failure(
                        exchange, timer, transport_failure(exc), clock.now()
                    ) from None
                yield from state.end()
                if state.failure is not None:
                    raise state.failure
            finally:
                answer.close()
        finally:
            guard.cancel()

    def _refresh(self, exchange: Exchange) -> None:
        """Renew an expired login the exchange found, before the request that needs it."""
        refresh = exchange.refresh
        if refresh is None:
            return
        current = refresh.superseded()
        if current is not None:
            exchange.use(current)
            return
        try:
            request = self._build(
                self.client,
                self._own_sync,
                refresh.method,
                refresh.url,
                refresh.headers,
                refresh.body,
                self._refresh_limits(),
            )
            response = self.client.send(request)
        except httpx2.TransportError as exc:
            raise exchange.refresh_failed(transport_failure(exc).detail) from None
        exchange.refreshed(_described(response, response.content))

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
        request = self.client.build_request(
            method, url, content=body, headers=dict(headers), timeout=httpx2.Timeout(timeout_s)
        )
        try:
            response = self.client.send(request)
        except httpx2.TransportError as exc:
            return transport_failure(exc)
        return _described(response, response.content)

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
        try:
            return exchange.completion(await self._asend_whole(exchange))
        except ProviderError as error:
            if not exchange.refresh_after_refusal(error):
                raise
        return exchange.completion(await self._asend_whole(exchange))

    async def _asend_whole(self, exchange: Exchange) -> HttpResponse:
        """:meth:`_send_whole`, for asyncio."""
        await self._arefresh(exchange)
        clock = self._async_alarms()
        timer = self._timer(exchange, clock.now())
        guard = AsyncGuard(timer, clock)
        limits = self._limits(timer)
        try:
            answer = await self._aopen(
                exchange.method, exchange.url, exchange.headers, exchange.body, limits
            )
            try:
                now = clock.now()
                guard.heard(now)
                after_headers(limits, timer, now)
                body = []
                async for piece in answer.chunks():
                    body.append(piece)
                    guard.heard(clock.now())
                return described_answer(answer, b"".join(body))
            finally:
                await answer.aclose()
        except self._async_errors as exc:
            raise guarded_failure(exchange, timer, self._async_failure(exc), clock.now()) from None
        except asyncio.CancelledError:
            if guard.tripped():
                raise timed_out(exchange, timer) from None
            raise
        finally:
            guard.cancel()

    async def astream(self, exchange: Exchange) -> AsyncGenerator[StreamEvent, None]:
        """:meth:`stream`, for asyncio. Close it (``aclose``) to close the response at once."""
        shown = False
        try:
            # aclosing: an async generator left mid-way is only closed when the event loop gets
            # round to it, and until then its connection stays open.
            async with aclosing(self._astream_once(exchange)) as events:
                async for event in events:
                    shown = True
                    yield event
        except ProviderError as error:
            if shown or not exchange.refresh_after_refusal(error):
                raise
            async with aclosing(self._astream_once(exchange)) as events:
                async for event in events:
                    yield event

    async def _astream_once(self, exchange: Exchange) -> AsyncGenerator[StreamEvent, None]:
        await self._arefresh(exchange)
        clock = self._async_alarms()
        timer = self._timer(exchange, clock.now())
        guard = AsyncGuard(timer, clock)
        limits = self._limits(timer)
        errors = self._async_errors
        try:
            try:
                answer = await self._aopen(
                    exchange.method, exchange.url, exchange.headers, exchange.body, limits
                )
            except errors as exc:
                raise guarded_failure(
                    exchange, timer, self._async_failure(exc), clock.now()
                ) from None
            try:
                after_headers(limits, timer, clock.now())
                if answer.status >= 300:
                    try:
                        body = await answer.read()
                    except errors as exc:
                        raise guarded_failure(
                            exchange, timer, self._async_failure(exc), clock.now()
                        ) from None
                    raise exchange.error(described_answer(answer, body))
                state = exchange.open_stream()
                chunks = answer.chunks()
                try:
                    while True:
                        guard.listen()
                        chunk = await anext(chunks, None)
                        guard.waiting = False
                        if timer.expired is not None:  # see _stream_once
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
                except errors as exc:
                    raise guarded_failure(
                        exchange, timer, self._async_failure(exc), clock.now()
                    ) from None
                for event in state.end():
                    yield event
                if state.failure is not None:
                    raise state.failure
            finally:
                await answer.aclose()
        except asyncio.CancelledError:
            if guard.tripped():
                raise timed_out(exchange, timer) from None
            raise
        finally:
            guard.cancel()

    async def _arefresh(self, exchange: Exchange) -> None:
        """:meth:`_refresh`, for asyncio."""
        refresh = exchange.refresh
        if refresh is None:
            return
        current = refresh.superseded()
        if current is not None:
            exchange.use(current)
            return
        try:
            answer = await self._aopen(
                refresh.method, refresh.url, refresh.headers, refresh.body, self._refresh_limits()
            )
            try:
                body = await answer.read()
            finally:
                await answer.aclose()
        except self._async_errors as exc:
            raise exchange.refresh_failed(self._async_failure(exc).detail) from None
        exchange.refreshed(described_answer(answer, body))

    # -- the async client: what a transport on another client replaces ------------------------

    async def _aopen(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        limits: SocketLimits,
    ) -> AsyncAnswer:
        """Send a request; return the response once its headers have arrived."""
        client = self.async_client
        own = self._own_async and not client.is_closed
        if not own:
            request = self._build(client, own, method, url, headers, body, limits)
            return HttpxAnswer(await client.send(request, stream=True))
        # As for sync requests: see _open.
        pooled = self._pooled(client, method, url, headers, body, limits)
        if pooled is not None:
            pool, sent = pooled
            return async_pool_answer(await pool.handle_async_request(sent))
        request = self._build(client, own, method, url, headers, body, limits)
        transport = client._transport_for_url(request.url)
        return HttpxAnswer(await transport.handle_async_request(request))

    def _async_failure(self, exc: BaseException) -> TransportFailure:
        """Describe one of :attr:`_async_errors` for classification."""
        assert isinstance(exc, _ERRORS)
        return transport_failure(exc)

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
    # httpx2's headers already give lower-case names and find any case, so they are passed
    # as they are rather than copied for every response.
    return HttpResponse(response.status_code, response.headers, body)


def transport_failure(exc: Exception) -> TransportFailure:
    """Describe an httpx2 exception, or the connection pool's of the same name (see
    :data:`~hotswap.wire.answers.POOL_ERRORS`), in transport-neutral terms, for classification."""
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, (httpx2.ConnectTimeout, httpcore2.ConnectTimeout)):
        return TransportFailure(ErrorKind.TIMEOUT, "connect", detail)
    if isinstance(exc, (httpx2.WriteTimeout, httpcore2.WriteTimeout)):
        return TransportFailure(ErrorKind.TIMEOUT, "write", detail)
    if isinstance(exc, (httpx2.PoolTimeout, httpcore2.PoolTimeout)):
        return TransportFailure(ErrorKind.TIMEOUT, "pool", detail)
    if isinstance(exc, (httpx2.TimeoutException, httpcore2.TimeoutException)):
        return TransportFailure(ErrorKind.TIMEOUT, "read", detail)
    if isinstance(exc, (httpx2.ConnectError, httpcore2.ConnectError)):
        return TransportFailure(ErrorKind.CONNECTION, "connect", detail)
    if isinstance(exc, (httpx2.WriteError, httpcore2.WriteError)):
        return TransportFailure(ErrorKind.CONNECTION, "write", detail)
    return TransportFailure(ErrorKind.CONNECTION, "read", detail)
