"""A fault server written on raw asyncio streams, for end-to-end failover tests.

hotswap's own simulator is built on aiohttp and shares hotswap's assumptions; this server
shares none. It parses HTTP/1.1 itself (request line, headers, a Content-Length or chunked
body, several requests per keep-alive connection) and writes every byte of its answers, so it
can misbehave where a framework would not let it: reset the connection before the headers,
stall with the socket open, end a chunked body without its terminator, send a frame that is
not JSON or not UTF-8. It speaks the four wire formats of :mod:`.wireformats` by path:

=============================================================  ====================
path                                                           format
=============================================================  ====================
``POST /v1/messages``                                          Anthropic
``POST /v1/chat/completions``                                  OpenAI-compatible
``POST /v1beta/models/{model}:generateContent``                Gemini
``POST /v1beta/models/{model}:streamGenerateContent?alt=sse``  Gemini, streamed
``POST /api/chat``                                             Ollama
=============================================================  ====================

Every model gives the same answer to a question (the conversation's first user text):
:func:`~.wireformats.canonical_reply`, streamed one word per frame. Only the Anthropic format
continues a conversation whose last turn is the assistant's (prefill), as Claude models before
4.6 do: it answers the rest of the canonical reply after that partial text. The others answer
the whole reply, whatever follows the question.

Faults are scripted per model (:meth:`FaultServer.script`): each request to the model takes
the next one, and a model with none left answers normally. The server records every request
and counts the connections it accepted and those still open.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import threading
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .faults import ANSWER, Fault
from .http1 import Incoming, chunk, read_request, response_head, whole_response
from .wireformats import (
    FORMATS,
    Asked,
    Frames,
    PieceStyle,
    Usage,
    WireFormat,
    WireFrame,
    canonical_reply,
    gemini_route,
    split_text,
)

__all__ = ["Fault", "FaultServer", "Received", "canonical_reply"]

_BASE_PATHS = {"anthropic": "/v1", "openai": "/v1", "gemini": "/v1beta", "ollama": ""}


@dataclass(frozen=True)
class Received:
    """One request as the server read it, and the fault it was given."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    format: str
    asked: Asked
    fault: Fault
    connection: int

    @property
    def model(self) -> str:
        return self.asked.model


class _Closed(Exception):
    """The connection is over: the fault ended it, or the client went away."""


class FaultServer:
    """The fault server, on its own event loop in a background thread.

    :param words: how many words (``w1`` ...) follow ``reply to <question>:`` in the answer.
    :param pieces: whether a frame's whitespace leads (``" w1"``) or trails (``"w1 "``).
    :param keep: whether to keep every request whole (:attr:`requests`); a long soak keeps
        only how many each model received (:meth:`count`).
    """

    def __init__(
        self, *, words: int = 6, pieces: PieceStyle = "leading", keep: bool = True
    ) -> None:
        self.words = words
        self.pieces: PieceStyle = pieces
        self._keep = keep
        self._lock = threading.Lock()
        self._all_closed = threading.Condition(self._lock)
        self._scripts: dict[str, deque[Fault]] = {}
        self._requests: list[Received] = []
        self._counts: Counter[str] = Counter()
        self.failures: list[str] = []
        """Errors in the server's own code, which no test should see."""
        self._accepted = 0
        self._open = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    # -- for tests ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def base_url(self, format: str) -> str:
        """What a model of ``format`` takes as its ``base_url``."""
        return self.url + _BASE_PATHS[format]

    def script(self, model: str, faults: Iterable[Fault]) -> None:
        """Queue ``faults`` for ``model``'s next requests (``*``: every model not scripted by
        name); once they are used up, the model answers normally."""
        with self._lock:
            self._scripts.setdefault(model, deque()).extend(faults)

    def reply(self, question: str) -> str:
        """The answer every model gives to ``question``."""
        return canonical_reply(question, self.words)

    @property
    def requests(self) -> list[Received]:
        with self._lock:
            return list(self._requests)

    def count(self, model: str) -> int:
        """How many requests named ``model``."""
        with self._lock:
            return self._counts[model]

    @property
    def accepted(self) -> int:
        """Connections accepted so far."""
        with self._lock:
            return self._accepted

    @property
    def open_connections(self) -> int:
        """Connections accepted and not yet closed (by either side)."""
        with self._lock:
            return self._open

    def wait_until_closed(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every connection to be closed; say whether they
        were."""
        with self._all_closed:
            return self._all_closed.wait_for(lambda: self._open == 0, timeout)

    # -- lifetime -------------------------------------------------------------------------

    def start(self) -> FaultServer:
        loop = self._loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._listen())
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="faultserver", daemon=True)
        self._thread.start()
        ready.wait()
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shut_down(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._connected, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _shut_down(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    # -- connections ------------------------------------------------------------------------

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        with self._lock:
            self._accepted += 1
            self._open += 1
            number = self._accepted
        try:
            while True:
                incoming = await read_request(reader)
                if incoming is None:
                    break
                await self._answer(incoming, number, reader, writer)
                if not incoming.keep_alive:
                    break
        except (_Closed, ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            pass  # the server is stopping; ending quietly spares asyncio's streams a warning
        except Exception as error:  # the server's own bug: kept for the test to fail on
            with self._lock:
                self.failures.append(f"{type(error).__name__}: {error}")
        finally:
            writer.close()
            self._tasks.discard(task)
            with self._all_closed:
                self._open -= 1
                self._all_closed.notify_all()

    async def _answer(
        self,
        incoming: Incoming,
        connection: int,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        wire = _format_of(incoming)
        if wire is None:
            await _send(
                writer, whole_response(404, b'{"error":"no such path"}', "application/json")
            )
            return
        try:
            body = json.loads(incoming.body)
        except ValueError:
            await _send(writer, whole_response(400, b'{"error":"not JSON"}', "application/json"))
            return
        asked = wire.asked(incoming.path, incoming.query, body)
        fault = self._next_fault(asked.model)
        received = Received(
            incoming.method,
            incoming.path,
            incoming.query,
            incoming.headers,
            body,
            wire.name,
            asked,
            fault,
            connection,
        )
        with self._lock:
            self._counts[asked.model] += 1
            if self._keep:
                self._requests.append(received)
        await _Responder(self, wire, asked, fault, reader, writer).run()

    def _next_fault(self, model: str) -> Fault:
        with self._lock:
            queue = self._scripts.get(model)
            if queue is None:
                queue = self._scripts.get("*")
            return queue.popleft() if queue else ANSWER


class _Responder:
    """Writes one answer, with its fault."""

    def __init__(
        self,
        server: FaultServer,
        wire: WireFormat,
        asked: Asked,
        fault: Fault,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.wire = wire
        self.asked = asked
        self.fault = fault
        self.reader = reader
        self.writer = writer
        reply = server.reply(asked.question)
        text = reply
        if asked.prefill is not None and wire.name == "anthropic":
            # The rest of the reply after the partial answer, which may have lost its trailing
            # whitespace: the prefill plus this is the reply again.
            text = reply[len(asked.prefill) :] if reply.startswith(asked.prefill) else reply
        self.pieces = split_text(text, server.pieces)
        self.text = text
        self.usage = Usage(input=asked.input_words, output=len(self.pieces))

    async def run(self) -> None:
        fault, name = self.fault, self.fault.name
        if name == "rst_before_headers":
            await _reset(self.writer)
        if name == "close_before_headers":
            raise _Closed
        if name == "stall_before_headers":
            await _stall(self.reader)
        if name == "error":
            await self._error()
            return
        if self.asked.stream:
            await self._stream(fault)
        else:
            await self._whole(fault)

    async def _error(self) -> None:
        wire, fault = self.wire, self.fault
        shapes = [key for key in wire.errors if key[0] == fault.kind]
        key = (fault.kind, fault.variant) if fault.variant else (shapes[0] if shapes else None)
        if key not in wire.errors:
            message = f"faultserver: no {fault.kind}/{fault.variant} shape for {wire.name}"
            await _send(self.writer, whole_response(599, message.encode(), "text/plain"))
            return
        shape = wire.errors[key]()
        await _send(
            self.writer, whole_response(shape.status, shape.body, shape.content_type, shape.headers)
        )

    async def _stream(self, fault: Fault) -> None:
        wire, writer = self.wire, self.writer
        frames: Frames = wire.frames(self.asked, self.pieces, self.usage)
        every = frames.all
        at = min(len(frames.head) + fault.after, len(every))
        head = response_head(
            200, [("content-type", wire.stream_type), ("transfer-encoding", "chunked")]
        )
        if fault.name == "slow":
            await asyncio.sleep(fault.delay)
        await _send(writer, head)
        if fault.name == "stall_after_headers":
            await _stall(self.reader)
        if fault.name == "slow":
            for frame in every:
                await asyncio.sleep(fault.delay)
                await _send(writer, chunk(wire.render(frame)))
            await _send(writer, b"0\r\n\r\n")
            return
        if fault.name in ("stall_after", "cut_after", "rst_after", "stream_error", "malformed"):
            sent, rest = every[:at], every[at:]
        else:
            sent, rest = every, []
        if sent:
            await _send(writer, b"".join(chunk(wire.render(frame)) for frame in sent))
        if fault.name == "stall_after":
            await _stall(self.reader)
        if fault.name == "cut_after":
            raise _Closed
        if fault.name == "rst_after":
            await _reset(writer)
        if fault.name == "stream_error":
            stream_error = wire.stream_errors.get(fault.kind)
            rest = [stream_error] if stream_error else [WireFrame(b"faultserver: no such error")]
        if fault.name == "malformed":
            # The next frame broken; past the last, a broken copy of the last one after it.
            broken = _broken(rest[0] if rest else every[-1], fault.variant)
            rest = [broken, *rest[1:]]
        tail = b"".join(chunk(wire.render(frame)) for frame in rest)
        if fault.name == "trailing_garbage":
            tail += chunk(wire.garbage)
        await _send(writer, tail + b"0\r\n\r\n")

    async def _whole(self, fault: Fault) -> None:
        wire, writer = self.wire, self.writer
        body = wire.whole(self.asked, self.text, self.usage)
        if fault.name == "malformed":
            body = _broken(WireFrame(body), fault.variant).data
        if fault.name == "trailing_garbage":
            body += b"\n" + wire.garbage
        head = response_head(
            200, [("content-type", wire.whole_type), ("content-length", str(len(body)))]
        )
        parts = len(self.pieces) + 1
        # Never the whole body: a fault after it would end a connection the client has taken
        # back into its pool, and fail whichever request it sends next, not this one.
        cut = min(len(body) * min(fault.after, parts) // parts, len(body) - 1)
        if fault.name == "slow":
            await asyncio.sleep(fault.delay)
            await _send(writer, head)
            for i in range(parts):
                await asyncio.sleep(fault.delay)
                await _send(writer, body[len(body) * i // parts : len(body) * (i + 1) // parts])
            return
        if fault.name == "stall_after_headers":
            await _send(writer, head)
            await _stall(self.reader)
        if fault.name in ("stall_after", "cut_after", "rst_after"):
            await _send(writer, head + body[:cut])
            if fault.name == "stall_after":
                await _stall(self.reader)
            if fault.name == "rst_after":
                await _reset(writer)
            raise _Closed
        await _send(writer, head + body)


def _format_of(incoming: Incoming) -> WireFormat | None:
    path = incoming.path
    if incoming.method != "POST":
        return None
    if path == "/v1/messages":
        return FORMATS["anthropic"]
    if path == "/v1/chat/completions":
        return FORMATS["openai"]
    if path == "/api/chat":
        return FORMATS["ollama"]
    route = gemini_route(path)
    if route is not None and route[1] == "generateContent":
        return FORMATS["gemini"]
    if (
        route is not None
        and route[1] == "streamGenerateContent"
        and incoming.query == {"alt": "sse"}
    ):
        return FORMATS["gemini"]
    return None


def _broken(frame: WireFrame, how: str) -> WireFrame:
    data = frame.data
    if how == "json":
        return WireFrame(data[: len(data) // 2], frame.event)
    if how == "utf8":
        end = data.rfind(b'"')
        return WireFrame(data[:end] + b"\xff\xfe" + data[end:], frame.event)
    return WireFrame(b'["not","an","object"]', frame.event)


async def _send(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(data)
    await writer.drain()


async def _stall(reader: asyncio.StreamReader) -> None:
    """Send nothing and keep the socket open until the client closes it (or the server stops)."""
    while await reader.read(65536):
        pass
    raise _Closed


async def _reset(writer: asyncio.StreamWriter) -> None:
    """End the connection with a TCP RST, once what was written has left for the client."""
    transport = writer.transport
    for _ in range(1000):  # what was written must reach the socket first; it does at once
        if transport.get_write_buffer_size() == 0:
            break
        await asyncio.sleep(0.001)
    sock = writer.get_extra_info("socket")
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    raise _Closed
