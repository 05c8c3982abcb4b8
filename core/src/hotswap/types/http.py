"""The sans-I/O boundary: plain descriptions of HTTP requests, responses and failures.

Plugins build an :class:`HttpRequest` and read an :class:`HttpResponse`; they never touch a
socket. The core's transport sends the request (adding auth headers at the last moment),
and describes what came back, or what went wrong on the way, in these same terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from hotswap.types import codec as jsoncodec
from hotswap.types.errors import ErrorKind
from hotswap.types.events import StreamFailure
from hotswap.types.redaction import redact, redact_headers

__all__ = ["Failure", "HttpRequest", "HttpResponse", "TransportFailure"]


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """What a plugin wants sent.

    :param method: the HTTP method.
    :param path: the path (with any query string) relative to the model's base URL, e.g.
        ``/messages`` or ``/models/gemini-2.5-flash:streamGenerateContent?alt=sse``.
    :param headers: headers other than authentication, which the auth hook supplies.
    :param json: the body, serialised as JSON by the transport.
    :param stream: whether the response is a stream to be read incrementally.
    """

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    json: Any = None
    stream: bool = False

    def __repr__(self) -> str:
        return (
            f"HttpRequest(method={self.method!r}, path={self.path!r}, "
            f"headers={redact_headers(dict(self.headers))!r}, stream={self.stream!r})"
        )


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A complete (non-streaming, or error) response.

    :param status: the HTTP status code.
    :param headers: the response headers, names lower-cased.
    :param body: the raw body.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body decoded as JSON, or None if it is not JSON (an HTML page from a proxy)."""
        try:
            return jsoncodec.loads(self.body)
        except ValueError:
            return None

    def __repr__(self) -> str:
        return f"HttpResponse(status={self.status}, body={redact(self.text[:200])!r})"


@dataclass(frozen=True, slots=True)
class TransportFailure:
    """The request never got a complete answer: no connection, a timeout, a reset, a stream
    that ended before the provider said it was done.

    :param kind: ``ErrorKind.TIMEOUT`` or ``ErrorKind.CONNECTION``.
    :param phase: where it happened.
    :param detail: what the transport said, for people.
    """

    kind: ErrorKind
    phase: Literal[
        "connect", "write", "read", "pool", "stream", "first_event", "idle", "attempt", "deadline"
    ]
    detail: str


Failure = HttpResponse | TransportFailure | StreamFailure
"""Everything ``hotswap_classify_error`` may be asked about: an error status, a transport
failure, or an error the provider sent inside a successful stream."""
