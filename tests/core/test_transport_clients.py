"""Which client sends a request: a transport's own clients (through the proxy the environment
names, if any), or a client passed in, with whatever it was configured to do."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import hotswap_anthropic
import httpx2
import pytest

from hotswap import AllModelsFailedError, Config, PluginHost, chain
from hotswap.wire.transport import Transport

Ask = Callable[[Transport], str]


@pytest.fixture
def chain_through(simulator, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-simulated-key-0001")
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    host = PluginHost(entry_points=[])
    host.register(hotswap_anthropic.plugin, name="anthropic")
    model = {
        "provider": "anthropic",
        "model": "claude-sonnet-4-5",
        "base_url": f"{simulator.url}/v1",
    }
    config = Config.from_dict({"models": {"m": model}, "failover": {"max_retries": 0}})
    return lambda transport: chain(["m"], config=config, host=host, transport=transport)


@pytest.fixture
def ask(chain_through) -> Ask:
    def ask(transport: Transport) -> str:
        with transport:
            return chain_through(transport).complete("hi").text

    return ask


@pytest.fixture
def aask(chain_through) -> Ask:
    def aask(transport: Transport) -> str:
        async def run() -> str:
            async with transport:
                return (await chain_through(transport).acomplete("hi")).text

        return asyncio.run(run())

    return aask


def test_a_transports_own_clients_answer(ask, aask):
    assert ask(Transport()) == "echo: hi"
    assert aask(Transport()) == "echo: hi"


@pytest.mark.parametrize("how", ["sync", "async"])
def test_a_transports_own_clients_go_through_the_proxy_the_environment_names(
    ask, aask, monkeypatch, how
):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there

    with pytest.raises(AllModelsFailedError) as failed:
        (ask if how == "sync" else aask)(Transport())

    assert failed.value.attempts[0].kind == "connection"


def test_aiohttp_ignores_the_proxy_variables_unless_trust_env_is_set(aask, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there

    assert aask(Transport.aiohttp()) == "echo: hi"
    with pytest.raises(AllModelsFailedError):  # the proxy is used, and refuses
        aask(Transport.aiohttp(trust_env=True))


def test_a_client_passed_in_sends_its_own_requests(ask, aask):
    sent: list[str] = []

    async def note(request: httpx2.Request) -> None:
        sent.append(f"async {request.url.path}")

    sync_client = httpx2.Client(event_hooks={"request": [lambda r: sent.append(r.url.path)]})
    async_client = httpx2.AsyncClient(event_hooks={"request": [note]})

    assert ask(Transport(client=sync_client)) == "echo: hi"
    assert aask(Transport(async_client=async_client)) == "echo: hi"
    assert sent == ["/v1/messages", "async /v1/messages"]
