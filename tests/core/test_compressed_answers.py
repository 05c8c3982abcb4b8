"""A compressed answer (``Content-Encoding: gzip``, as providers may send) is decoded before
the plugin reads it, for whole answers and streams, sync and async."""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import hotswap_anthropic
import httpx2
import pytest

from hotswap import Config, PluginHost, chain
from hotswap.wire.transport import Transport


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


def test_a_compressed_answer_is_decoded(zipped_chain, gzipping):
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
