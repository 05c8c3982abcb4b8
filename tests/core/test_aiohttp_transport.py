"""Choosing the aiohttp transport: what it needs, and what importing hotswap costs without it.
Its behaviour over real HTTP is specified with the default transport's, in
tests/failover/test_async_transports.py."""

from __future__ import annotations

import asyncio
import sys

import hotswap_anthropic
import pytest

from hotswap import AllModelsFailedError, Config, PluginHost, chain
from hotswap.transport import Transport


def test_without_aiohttp_the_error_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "hotswap.aiohttp_transport", raising=False)

    with pytest.raises(ModuleNotFoundError, match=r"pip install 'hotswap\[aiohttp\]'"):
        Transport.aiohttp()


def test_proxy_variables_are_ignored_unless_trust_env_is_set(simulator, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-simulated-key-0001")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    host = PluginHost(entry_points=[])
    host.register(hotswap_anthropic.plugin, name="anthropic")
    model = {
        "provider": "anthropic",
        "model": "claude-sonnet-4-5",
        "base_url": f"{simulator.url}/v1",
    }
    config = Config.from_dict({"models": {"m": model}, "failover": {"max_retries": 0}})

    async def ask(transport: Transport) -> str:
        try:
            answer = await chain(["m"], config=config, host=host, transport=transport).acomplete(
                "hi"
            )
        finally:
            await transport.aclose()
        return answer.text

    assert asyncio.run(ask(Transport.aiohttp())) == "echo: hi"
    with pytest.raises(AllModelsFailedError):  # the proxy is used, and refuses
        asyncio.run(ask(Transport.aiohttp(trust_env=True)))
