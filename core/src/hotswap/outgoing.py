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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2

__all__ = ["Limits", "RequestBuilder", "direct"]

Limits = tuple[float, float | None, float, float]
"""A request's socket limits in seconds: connect, read, write, pool. A read limit of None sets
none: the attempt's guard is what bounds reads (see ``AiohttpTransport``)."""

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
    if not body or not url.host:
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
    request = httpx2.Request(
        method, url, headers=raw, stream=httpx2.ByteStream(body), extensions=extensions
    )
    request.read()  # as build_request does: the body is there for anyone who reads it
    return request


class RequestBuilder:
    """Builds the requests of one transport, parsing each URL once."""

    __slots__ = ("_urls",)

    def __init__(self) -> None:
        self._urls: dict[str, httpx2.URL] = {}

    def build(
        self,
        client: httpx2.Client | httpx2.AsyncClient,
        own: bool,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        limits: Limits,
    ) -> httpx2.Request:
        """The request to send on ``client``; ``own``: a client the transport made, whose
        requests are built directly where :func:`direct` can."""
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= _URL_CACHE:
                self._urls.clear()
            parsed = self._urls[url] = httpx2.URL(url)
        connect, read, write, pool = limits
        extensions = {"timeout": {"connect": connect, "read": read, "write": write, "pool": pool}}
        if own:
            request = direct(method, parsed, client.headers, headers, body, extensions)
            if request is not None:
                return request
        return client.build_request(
            method, parsed, content=body, headers=headers, extensions=extensions
        )
