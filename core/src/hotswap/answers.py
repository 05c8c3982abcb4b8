"""A response as the async transport reads it, whichever client produced it.

The async half of :class:`~hotswap.transport.Transport` reads every response through
:class:`AsyncAnswer`, so a transport on another client (``Transport.aiohttp()``) replaces only
how a request is sent, and every decision after that stays in one place.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Protocol

import httpx2

from hotswap.http import HttpResponse

__all__ = ["AsyncAnswer", "HttpxAnswer", "described_answer"]


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


class HttpxAnswer:
    """An httpx2 response as the async path reads it."""

    __slots__ = ("_response",)

    def __init__(self, response: httpx2.Response) -> None:
        self._response = response

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        return self._response.headers  # httpx2's already behave as the protocol says

    async def read(self) -> bytes:
        return await self._response.aread()

    def chunks(self) -> AsyncIterator[bytes]:
        return self._response.aiter_bytes()

    async def aclose(self) -> None:
        await self._response.aclose()


def described_answer(answer: AsyncAnswer, body: bytes) -> HttpResponse:
    """The whole of ``answer``, with ``body`` read, as plugins see a response."""
    return HttpResponse(answer.status, answer.headers, body)
