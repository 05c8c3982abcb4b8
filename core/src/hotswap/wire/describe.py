"""httpx2's responses and exceptions in hotswap's own terms, for the exchange to judge.

The exchange decides what an answer or a failure means without knowing which client produced
it: it reads an :class:`~hotswap.types.http.HttpResponse` and a
:class:`~hotswap.types.http.TransportFailure`, and these functions make them from httpx2's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import httpx2

from hotswap.types.errors import ErrorKind
from hotswap.types.http import HttpResponse, TransportFailure

__all__ = ["Answered", "describe_response", "transport_failure"]


class Answered(Protocol):
    """What a response's description needs of it: httpx2's names, which other clients' answers
    take on (see :mod:`hotswap.wire.aiohttp_transport`)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]:
        """The response headers: names lower-case when iterated, found in any case."""
        ...


def describe_response(response: Answered, body: bytes) -> HttpResponse:
    """The whole of ``response``, with ``body`` read, as plugins see a response."""
    return HttpResponse(response.status_code, response.headers, body)


def transport_failure(exc: Exception) -> TransportFailure:
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
