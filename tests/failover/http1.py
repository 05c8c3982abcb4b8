"""HTTP/1.1 as the fault server reads and writes it, by hand: a request's line, headers and body
(Content-Length or chunked), and a response's head, whole body or chunks."""

from __future__ import annotations

import asyncio
import http
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Incoming", "chunk", "read_request", "response_head", "whole_response"]


@dataclass
class Incoming:
    """One request: method, path and query, headers (names lower-cased), body, and whether
    the connection stays open after the answer."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


async def read_request(reader: asyncio.StreamReader) -> Incoming | None:
    """The next request on a connection, or None when the client has closed it."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as cut:
        if cut.partial.strip():
            raise
        return None
    request_line, *lines = head.decode("latin-1").split("\r\n")
    method, target, version = request_line.split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = await _read_chunked(reader)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    url = urlsplit(target)
    closing = headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
    return Incoming(method, url.path, dict(parse_qsl(url.query)), headers, body, not closing)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are sent to this server
            return body
        body += await reader.readexactly(size)
        await reader.readexactly(2)


def response_head(
    status: int, headers: list[tuple[str, str]] | tuple[tuple[str, str], ...]
) -> bytes:
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = "Overloaded" if status == 529 else "Fault"
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join([*lines, "connection: keep-alive"]) + "\r\n\r\n").encode("latin-1")


def whole_response(
    status: int, body: bytes, content_type: str, headers: tuple[tuple[str, str], ...] = ()
) -> bytes:
    fields = [("content-type", content_type), ("content-length", str(len(body))), *headers]
    return response_head(status, fields) + body


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)
