"""The engine's waiting and sending, written once for asyncio in ``hotswap/engine/_async``.

``hotswap/engine/_sync`` is generated from it by ``scripts/unasync.py`` (``make unasync``; the
``--check`` run by ``make test`` keeps the two from drifting), so every change is made in the
async source. The decisions these drivers act on are in the shared modules around them.
"""
