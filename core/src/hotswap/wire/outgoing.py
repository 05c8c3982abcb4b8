"""The httpx2 request a transport's own client sends, built without the client's merging.

``Client.build_request`` merges the client's base URL, query parameters, cookies and headers
into every request, then has ``Request`` work out its body headers: about 20 µs of CPU, most of
the cost of sending a completion besides the network itself. A client the transport made has no
base URL, no parameters and no cookies, so for the request every completion sends (a JSON body
to an absolute URL) the result is known in advance: ``Host``, the client's default headers that
the exchange does not replace, the exchange's headers, then ``Content-Length``. :func:`direct`
builds exactly that, byte for byte what ``build_request`` would (tests/core/test_outgoing.py
compares the two), and leaves every other request to ``build_request``. A transport builds its
requests with a :class:`RequestBuilder`, which keeps the URLs it has parsed.

Where the client would send that request through httpx2's own transport, the builder makes it
as that transport would hand it to its connection pool (httpcore2), so that the transport can
skip httpx2's request and response objects altogether (:meth:`RequestBuilder.pooled`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpcore2
import httpx2

from hotswap.wire.guard import SocketLimits

__all__ = ["RequestBuilder", "direct"]

_URL_CACHE = 256
"""Parsed URLs a builder keeps: a chain sends to a handful, and parsing one costs a third of
building the request."""

# Headers httpx2 works out from the URL and the body: a request that sets one itself is built
# by httpx2, which knows how the two combine.
_DERIVED = frozenset((b"host", b"content-length", b"transfer-encoding"))


def direct(
    method: str,
    url: httpx2.URL,
    defaults: httpx2.Headers,
    headers: Mapping[str, str],
    body: bytes | None,
    extensions: dict[str, Any],
) -> httpx2.Request | None:
    """``client.build_request(method, url, content=body, headers=headers, extensions=...)`` for
    a client with ``defaults`` as its headers and no base URL, parameters or cookies; None
    where that request is not the plain case built here (no body, a relative URL, a header
    httpx2 derives set by the caller)."""
    if not body:
        return None
    raw = _raw_headers(url, defaults, headers, body)
    if raw is None:
        return None
    request = httpx2.Request(
        method, url, headers=raw, stream=httpx2.ByteStream(body), extensions=extensions
    )
    request.read()  # as build_request does: the body is there for anyone who reads it
    return request


def _raw_headers(
    url: httpx2.URL, defaults: httpx2.Headers, headers: Mapping[str, str], body: bytes
) -> list[tuple[bytes, bytes]] | None:
    """The headers, as sent, of :func:`direct`'s request with ``body`` (not empty); None where
    it is not the plain case."""
    if not url.host:
        return None
    # As httpx2 encodes them (ASCII unless given as bytes), so a bad value fails the same way.
    given = [(name.encode("ascii"), value.encode("ascii")) for name, value in headers.items()]
    replaced = {name.lower() for name, _ in given}
    if not replaced.isdisjoint(_DERIVED):
        return None
    raw = [(b"Host", url.netloc)]
    raw += [(name, value) for name, value in defaults.raw if name.lower() not in replaced]
    raw += given
    raw.append((b"Content-Length", str(len(body)).encode("ascii")))
    return raw


class RequestBuilder:
    """Builds the requests of one transport, parsing each URL once."""

    __slots__ = ("_urls",)

    def __init__(self) -> None:
        self._urls: dict[str, tuple[httpx2.URL, httpcore2.URL]] = {}

    def build(
        self,
        client: httpx2.Client | httpx2.AsyncClient,
        own: bool,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        limits: SocketLimits,
    ) -> httpx2.Request:
        """The request to send on ``client``; ``own``: a client the transport made, whose
        requests are built directly where :func:`direct` can."""
        parsed = self._parsed(url)[0]
        extensions = _extensions(limits)
        if own:
            request = direct(method, parsed, client.headers, headers, body, extensions)
            if request is not None:
                return request
        return client.build_request(
            method, parsed, content=body, headers=headers, extensions=extensions
        )

    def pooled(
        self,
        client: httpx2.Client | httpx2.AsyncClient,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        limits: SocketLimits,
    ) -> tuple[Any, httpcore2.Request] | None:
        """For a client the transport made: the connection pool of httpx2's own transport for
        ``url`` (a proxy's, if the environment names one), and :func:`direct`'s request as
        that transport would hand it to the pool. None where the client sends ``url`` through
        another transport (a mock, one mounted by hand) or the request is not the plain case."""
        if not body:
            return None
        parsed, target = self._parsed(url)
        transport = client._transport_for_url(parsed)
        # The pool is a private attribute: a release of httpx2 without it sends as before.
        pool = getattr(transport, "_pool", None) if type(transport) in _POOLED else None
        if pool is None:
            return None
        raw = _raw_headers(parsed, client.headers, headers, body)
        if raw is None:
            return None
        request = httpcore2.Request(
            method, target, headers=raw, content=body, extensions=_extensions(limits)
        )
        return pool, request

    def _parsed(self, url: str) -> tuple[httpx2.URL, httpcore2.URL]:
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= _URL_CACHE:
                self._urls.clear()
            given = httpx2.URL(url)
            # As httpx2's transport makes it of a request's URL.
            target = httpcore2.URL(
                scheme=given.raw_scheme, host=given.raw_host, port=given.port, target=given.raw_path
            )
            parsed = self._urls[url] = (given, target)
        return parsed


# httpx2's own transports, whose connection pool (httpcore2) is handed requests directly.
_POOLED = (httpx2.HTTPTransport, httpx2.AsyncHTTPTransport)


def _extensions(limits: SocketLimits) -> dict[str, Any]:
    # The limits themselves, not a copy: the transport widens the read limit once the headers
    # have arrived (hotswap.wire.guard.after_headers).
    return {"timeout": limits}
