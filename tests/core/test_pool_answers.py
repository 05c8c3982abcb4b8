"""A transport's own client reads its connection pool's answers directly
(hotswap.wire.answers): they must read as httpx2 would have read them, compressed ones included, and
the pool's errors must be the failures httpx2's of the same name are."""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import hotswap_anthropic
import httpcore2
import httpx2
import pytest

from hotswap import Config, PluginHost, chain
from hotswap.wire.answers import RawHeaders
from hotswap.wire.transport import Transport, transport_failure


class _Gzipping(BaseHTTPRequestHandler):
    """Asks the simulator and sends its answer back gzip-compressed, as providers may."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        skipped = {"host", "content-length", "accept-encoding", "connection"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skipped}
        answer = httpx2.post(self.server.upstream + self.path, content=body, headers=headers)
        zipped = gzip.compress(answer.content)
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers["content-type"])
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(zipped)))
        self.end_headers()
        self.wfile.write(zipped)
        self.server.zipped += 1

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def gzipping(simulator) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gzipping)
    server.upstream = simulator.url
    server.zipped = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def zipped_chain(gzipping, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-simulated-key-0001")
    host = PluginHost(entry_points=[])
    host.register(hotswap_anthropic.plugin, name="anthropic")
    url = f"http://127.0.0.1:{gzipping.server_address[1]}/v1"
    model = {"provider": "anthropic", "model": "claude-sonnet-4-5", "base_url": url}
    config = Config.from_dict({"models": {"m": model}, "failover": {"max_retries": 0}})
    return lambda transport: chain(["m"], config=config, host=host, transport=transport)


def test_a_compressed_answer_is_decoded_as_httpx2_decodes_it(zipped_chain, gzipping):
    with Transport() as transport:
        answers = zipped_chain(transport)
        completion = answers.complete("hi")
        stream = answers.stream("there")
        for _ in stream:
            pass

    assert (completion.text, stream.text) == ("echo: hi", "echo: there")
    assert gzipping.zipped == 2


def test_a_compressed_answer_is_decoded_async(zipped_chain, gzipping):
    async def run() -> tuple[str, str]:
        async with Transport() as transport:
            answers = zipped_chain(transport)
            completion = await answers.acomplete("hi")
            stream = answers.astream("there")
            async for _ in stream:
                pass
            return completion.text, stream.text

    assert asyncio.run(run()) == ("echo: hi", "echo: there")
    assert gzipping.zipped == 2


@pytest.mark.parametrize(
    "raw",
    [
        [(b"Retry-After", b"7"), (b"Content-Type", b"application/json")],
        [(b"X-Thing", b"a"), (b"x-thing", b"b"), (b"X-THING", b"c")],
        [(b"X-Name", "Åse".encode())],
        [(b"X-Name", "Åse".encode("latin-1"))],  # not UTF-8: read as Latin-1
        [],
    ],
)
def test_raw_headers_read_as_httpx2s_headers_do(raw):
    ours, theirs = RawHeaders(raw), httpx2.Headers(raw)

    assert list(ours) == list(theirs)
    assert dict(ours) == dict(theirs)
    for name, _ in raw:
        assert ours[name.decode().upper()] == theirs[name.decode()]
    assert len(ours) == len(set(theirs))  # httpx2 counts a repeated name more than once


def test_raw_headers_print_their_names_only():
    headers = RawHeaders([(b"Set-Cookie", b"session=sk-secret-value-1234567890")])

    assert repr(headers) == "RawHeaders(['set-cookie'])"


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        (httpx2.ConnectTimeout, httpcore2.ConnectTimeout),
        (httpx2.ReadTimeout, httpcore2.ReadTimeout),
        (httpx2.WriteTimeout, httpcore2.WriteTimeout),
        (httpx2.PoolTimeout, httpcore2.PoolTimeout),
        (httpx2.ConnectError, httpcore2.ConnectError),
        (httpx2.ReadError, httpcore2.ReadError),
        (httpx2.WriteError, httpcore2.WriteError),
        (httpx2.RemoteProtocolError, httpcore2.RemoteProtocolError),
        (httpx2.LocalProtocolError, httpcore2.LocalProtocolError),
        (httpx2.ProxyError, httpcore2.ProxyError),
        (httpx2.UnsupportedProtocol, httpcore2.UnsupportedProtocol),
    ],
)
def test_the_pools_errors_are_the_failures_httpx2s_of_the_same_name_are(theirs, ours):
    assert transport_failure(ours("went wrong")) == transport_failure(theirs("went wrong"))
