"""Choosing the aiohttp transport: what it needs, and what importing hotswap costs without it.
Its behaviour over real HTTP is specified with the default transport's, in
tests/failover/test_async_transports.py, and its proxy settings in test_transport_clients.py."""

from __future__ import annotations

import sys

import pytest

from hotswap.wire.transport import Transport


def test_without_aiohttp_the_error_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "hotswap.wire.aiohttp_transport", raising=False)

    with pytest.raises(ModuleNotFoundError, match=r"pip install 'hotswap\[aiohttp\]'"):
        Transport.aiohttp()
