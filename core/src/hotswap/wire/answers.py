"""A response as the transport reads it, whichever client produced it.

:class:`~hotswap.wire.transport.Transport` reads every response through :class:`Answer` (sync) or
:class:`AsyncAnswer`, so a transport on another client (``Transport.aiohttp()``) replaces only
how a request is sent, and every decision after that stays in one place.

A client the transport made sends through httpx2's own transport, whose connection pool
(httpcore2) it calls directly: the pool's response is read as it comes (:class:`PoolAnswer`,
:class:`AsyncPoolAnswer`) rather than wrapped in httpx2's ``Response`` and read through it,
which with httpx2's ``Request`` cost a fifth of the instructions of sending a completion and
reading its answer over loopback (260k of 1,190k, valgrind). An answer with a
content coding (gzip...) is still wrapped as httpx2 wraps it, and decoded by httpx2.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from typing import Any, Protocol, cast

import httpcore2
import httpx2

from hotswap.types.http import HttpResponse

__all__ = [
    "POOL_ERRORS",
    "Answer",
    "AsyncAnswer",
    "AsyncPoolAnswer",
    "HttpxAnswer",
    "PoolAnswer",
    "RawHeaders",
    "SyncHttpxAnswer",
    "async_pool_answer",
    "described_answer",
    "pool_answer",
]

POOL_ERRORS: tuple[type[Exception], ...] = (
    httpcore2.TimeoutException,
    httpcore2.NetworkError,
    httpcore2.ProtocolError,
    httpcore2.ProxyError,
    httpcore2.UnsupportedProtocol,
)
"""What the connection pool raises when the network fails: what httpx2 would have raised as
its own ``TransportError`` of the same name."""


class Answer(Protocol):
    """A response as the sync path reads it, whichever client produced it."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers: names lower-case when iterated, found in any case."""
        ...

    @property
    def extensions(self) -> Mapping[str, Any]:
        """httpx2's response extensions (``network_stream``: the socket, for the guard)."""
        ...

    def read(self) -> bytes: ...
    def chunks(self) -> Iterator[bytes]: ...
    def close(self) -> None: ...


class AsyncAnswer(Protocol):
    """A response as the async path reads it, whichever client produced it."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers: names lower-case when iterated, found in any case."""
        ...

    async def read(self) -> bytes: ...
    def chunks(self) -> AsyncIterator[bytes]: ...
    async def aclose(self) -> None: ...


class _HttpxResponse:
    """What both paths read alike of an httpx2 response."""

    __slots__ = ("_response",)

    def __init__(self, response: httpx2.Response) -> None:
        self._response = response

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        return self._response.headers  # httpx2's already behave as the protocols say


class SyncHttpxAnswer(_HttpxResponse):
    """An httpx2 response as the sync path reads it."""

    __slots__ = ()

    @property
    def extensions(self) -> Mapping[str, Any]:
        return self._response.extensions

    def read(self) -> bytes:
        return self._response.read()

    def chunks(self) -> Iterator[bytes]:
        return self._response.iter_bytes()

    def close(self) -> None:
        self._response.close()


class HttpxAnswer(_HttpxResponse):
    """An httpx2 response as the async path reads it."""

    __slots__ = ()

    async def read(self) -> bytes:
        return await self._response.aread()

    def chunks(self) -> AsyncIterator[bytes]:
        return self._response.aiter_bytes()

    async def aclose(self) -> None:
        await self._response.aclose()


class PoolAnswer:
    """A response of httpx2's connection pool, read as it comes (see the module's docstring).
    Its reads raise the pool's own errors (:data:`POOL_ERRORS`)."""

    __slots__ = ("_response", "_stream", "extensions", "status")

    def __init__(self, response: httpcore2.Response) -> None:
        self._response = response
        self._stream = cast("Iterable[bytes]", response.stream)
        self.status = response.status
        self.extensions: Mapping[str, Any] = response.extensions

    @property
    def headers(self) -> Mapping[str, str]:
        return RawHeaders(self._response.headers)

    def read(self) -> bytes:
        return b"".join(self._stream)

    def chunks(self) -> Iterator[bytes]:
        return iter(self._stream)

    def close(self) -> None:
        self._response.close()


class AsyncPoolAnswer:
    """:class:`PoolAnswer`, for the async pool."""

    __slots__ = ("_response", "_stream", "status")

    def __init__(self, response: httpcore2.Response) -> None:
        self._response = response
        self._stream = cast("AsyncIterable[bytes]", response.stream)
        self.status = response.status

    @property
    def headers(self) -> Mapping[str, str]:
        return RawHeaders(self._response.headers)

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self._stream])

    def chunks(self) -> AsyncIterator[bytes]:
        return aiter(self._stream)

    async def aclose(self) -> None:
        await self._response.aclose()


def pool_answer(response: httpcore2.Response) -> PoolAnswer | SyncHttpxAnswer:
    """The answer to read a sync pool's ``response`` through: as it comes, or wrapped as
    httpx2 wraps it where it has a content coding for httpx2 to decode."""
    if not _coded(response.headers):
        return PoolAnswer(response)
    return SyncHttpxAnswer(_as_httpx(response, _PoolStream(response)))


def async_pool_answer(response: httpcore2.Response) -> AsyncPoolAnswer | HttpxAnswer:
    """:func:`pool_answer`, for the async pool."""
    if not _coded(response.headers):
        return AsyncPoolAnswer(response)
    return HttpxAnswer(_as_httpx(response, _AsyncPoolStream(response)))


def _as_httpx(
    response: httpcore2.Response, stream: httpx2.SyncByteStream | httpx2.AsyncByteStream
) -> httpx2.Response:
    """``response`` as httpx2's transport wraps it, ``stream`` its body."""
    return httpx2.Response(
        response.status, headers=response.headers, stream=stream, extensions=response.extensions
    )


def _coded(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a response's raw ``headers`` name a content coding other than ``identity``."""
    for name, value in headers:
        if len(name) == 16 and name.lower() == b"content-encoding":  # 16: the name's length
            coding = value.strip().lower()
            if coding and coding != b"identity":
                return True
    return False


class _PoolStream(httpx2.SyncByteStream):
    """A sync pool's response body, for httpx2's ``Response`` to decode."""

    def __init__(self, response: httpcore2.Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        return iter(cast("Iterable[bytes]", self._response.stream))

    def close(self) -> None:
        self._response.close()


class _AsyncPoolStream(httpx2.AsyncByteStream):
    """An async pool's response body, for httpx2's ``Response`` to decode."""

    def __init__(self, response: httpcore2.Response) -> None:
        self._response = response

    def __aiter__(self) -> AsyncIterator[bytes]:
        return aiter(cast("AsyncIterable[bytes]", self._response.stream))

    async def aclose(self) -> None:
        await self._response.aclose()


class RawHeaders(Mapping[str, str]):
    """Response headers as the connection pool hands them (names and values as sent), read as
    httpx2's headers read: names lower-case when iterated and found in any case, the values of
    a repeated name joined with ``", "``. Decoded on first use, as most answers' headers are
    never read (an error's are)."""

    __slots__ = ("_decoded", "_raw")

    def __init__(self, raw: list[tuple[bytes, bytes]]) -> None:
        self._raw = raw
        self._decoded: dict[str, str] | None = None

    def _items(self) -> dict[str, str]:
        decoded = self._decoded
        if decoded is None:
            decoded = self._decoded = {}
            for raw_name, raw_value in self._raw:
                name = raw_name.decode("latin-1").lower()
                try:
                    value = raw_value.decode("utf-8")
                except UnicodeDecodeError:
                    value = raw_value.decode("latin-1")
                decoded[name] = f"{decoded[name]}, {value}" if name in decoded else value
        return decoded

    def __getitem__(self, name: str) -> str:
        return self._items()[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __repr__(self) -> str:
        # Names only: a value may be a session cookie.
        return f"RawHeaders({list(self)!r})"


def described_answer(answer: Answer | AsyncAnswer, body: bytes) -> HttpResponse:
    """The whole of ``answer``, with ``body`` read, as plugins see a response."""
    return HttpResponse(answer.status, answer.headers, body)
