"""Where a transport's httpx2 client comes from: the one passed in, or one made on first use.

The two differ in what "first use" must guard against, which is why they are not generated one
from the other: threads that start at once must share one sync client, and an async client's
connections belong to the event loop that opened them.
"""

from __future__ import annotations

import asyncio
import threading

import httpx2

__all__ = ["AsyncClients", "SyncClients"]


class SyncClients:
    """The sync client of a transport: ``given``, or one made on first use and shared by every
    thread."""

    __slots__ = ("_client", "_making")

    def __init__(self, given: httpx2.Client | None) -> None:
        self._client = given
        self._making = threading.Lock()

    def get(self) -> httpx2.Client:
        if self._client is None:
            # Threads that first use a transport at once must share one client: any other
            # would never be closed, and its connections would outlive close().
            with self._making:
                if self._client is None:
                    self._client = httpx2.Client(follow_redirects=False)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


class AsyncClients:
    """The async client of a transport for the running event loop: ``given``, or one made for
    each loop the transport is used from (a second ``asyncio.run`` gets a client of its own)."""

    __slots__ = ("_client", "_loop", "_own")

    def __init__(self, given: httpx2.AsyncClient | None) -> None:
        self._client = given
        self._own = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> httpx2.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is None or (self._own and self._loop is not loop):
            self._client = httpx2.AsyncClient(follow_redirects=False)
            self._own = True
            self._loop = loop
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
