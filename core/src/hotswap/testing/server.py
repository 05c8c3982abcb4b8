"""The only part of the simulator that touches sockets: aiohttp's low-level server carrying out
the :class:`~hotswap.testing.plans.Plan` the planner makes for each request.

aiohttp serves the HTTP (measured at about 10,000 short requests a second on two cores, and
streams each frame as its own chunk); the socket is used directly for one thing only, a
reset: ``SO_LINGER`` with a zero timeout makes closing the socket send an RST, which is what a
client sees when a connection is reset. Before resetting mid-stream, the frames already
written are let drain to the client, so it receives them and then the reset, in that order.
"""

from __future__ import annotations

import array
import asyncio
import socket
import struct
import sys
import time

from aiohttp import web

from hotswap.testing.planner import Planner
from hotswap.testing.plans import Frames, Silence, Whole

__all__ = ["SimulatorServer"]

_DRAIN_LIMIT = 1.0
"""The longest a reset waits for written frames to reach the client, in seconds."""

_SHUTDOWN_GRACE = 0.1
"""How long stopping waits for requests still being answered before cancelling them."""


class SimulatorServer:
    """Serves ``planner``'s plans on the running event loop.

    Hanging and stalled responses wait until the client goes away (aiohttp then cancels
    their handler) or until :meth:`close`, which releases them at once.
    """

    def __init__(self, planner: Planner) -> None:
        self._planner = planner
        self._closing = asyncio.Event()
        server = web.Server(self._handle, access_log=None, handler_cancellation=True)
        self._runner = web.ServerRunner(server, shutdown_timeout=_SHUTDOWN_GRACE)

    async def start(self, host: str, port: int) -> int:
        """Listen on ``host``:``port`` (0 for any free port); return the port."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        bound: int = self._runner.addresses[0][1]
        return bound

    async def close(self) -> None:
        """Stop listening, release stalled responses and close every connection."""
        self._closing.set()
        await self._runner.cleanup()

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        body = await request.read()
        headers: dict[str, str] = {}
        for name, value in request.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        query = dict(request.query) if request.query_string else {}
        plan = self._planner.plan(request.method, request.path, query, headers, body)
        if isinstance(plan, Whole):
            if plan.wait:
                await asyncio.sleep(plan.wait)
            out = plan.response
            response = web.Response(status=out.status, body=out.body, headers=out.headers)
            response.headers["Content-Type"] = out.content_type
            return response
        if isinstance(plan, Silence):
            await self._end(request, plan.ending)
            return web.Response()  # never sent: the connection is gone
        return await self._send_frames(request, plan)

    async def _send_frames(self, request: web.BaseRequest, plan: Frames) -> web.StreamResponse:
        response = web.StreamResponse(status=plan.status, headers=plan.headers)
        response.headers["Content-Type"] = plan.content_type
        if plan.content_length is not None:
            response.content_length = plan.content_length
        await response.prepare(request)
        for index, frame in enumerate(plan.frames):
            if plan.pace and index >= plan.paced_from:
                await asyncio.sleep(plan.pace)
            await response.write(frame)
        if plan.ending == "finish":
            await response.write_eof()
        else:
            await self._end(request, plan.ending)
        return response

    async def _end(self, request: web.BaseRequest, ending: str) -> None:
        transport = request.transport
        if transport is None:  # the client has already gone
            return
        if ending == "stall":
            await self._closing.wait()
            transport.abort()
        elif ending == "reset":
            await _drained(transport)
            _reset(transport)
        else:
            transport.close()


async def _drained(transport: asyncio.Transport) -> None:
    """Wait until everything written has left this machine's send buffers, so that a reset
    that follows does not discard it (an RST drops unsent data)."""
    sock = transport.get_extra_info("socket")
    if sock is None or not sys.platform.startswith("linux"):
        # Only Linux shows the kernel's send queue: elsewhere, give the frames a moment.
        await asyncio.sleep(0.05)
        return
    deadline = time.monotonic() + _DRAIN_LIMIT
    while time.monotonic() < deadline:
        if transport.get_write_buffer_size() == 0 and _unsent(sock) == 0:
            return
        await asyncio.sleep(0.001)


def _unsent(sock: socket.socket) -> int:
    """Bytes still queued in the kernel for ``sock`` (Linux only)."""
    import fcntl
    import termios

    queued = array.array("i", [0])
    fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, queued)
    return queued[0]


def _reset(transport: asyncio.Transport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
