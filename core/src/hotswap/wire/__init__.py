"""Sending one attempt and reading its answer: the exchange (what to send and what came back
means), the limits and the guard that enforces them, and the transport that touches sockets,
written once for asyncio in ``_async`` and generated for sync code in ``_sync``."""
