"""Starting and stopping the simulator, from sync and async code, and what it costs."""

from __future__ import annotations

import asyncio
import importlib.metadata
import socket
import subprocess
import sys
import threading
import time

import httpx2
import pytest

from hotswap.testing import Hang, Simulator

ANTHROPIC = {"x-api-key": "sk-ant-api03-test", "anthropic-version": "2023-06-01"}
BODY = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 10,
    "messages": [{"role": "user", "content": "hi"}],
}


def test_starting_and_stopping_costs_well_under_100_ms():
    Simulator().start().stop()  # the first start pays for importing aiohttp
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        with Simulator():
            pass
        timings.append(time.perf_counter() - started)

    best, worst = min(timings) * 1000, max(timings) * 1000
    print(f"simulator start+stop: best {best:.1f} ms, worst {worst:.1f} ms")
    assert max(timings) < 0.5


def test_the_sync_context_manager_serves_inside_and_stops_after():
    with Simulator() as simulator:
        response = httpx2.post(f"{simulator.url}/v1/messages", json=BODY, headers=ANTHROPIC)
        url = simulator.url

    assert response.json()["content"][0]["text"] == "echo: hi"
    with pytest.raises(httpx2.ConnectError):
        httpx2.post(f"{url}/v1/messages", json=BODY, headers=ANTHROPIC)
    with pytest.raises(RuntimeError, match="not running"):
        simulator.url  # noqa: B018


def test_the_async_context_manager_serves_an_async_client():
    async def main():
        async with Simulator() as simulator, httpx2.AsyncClient(base_url=simulator.url) as client:
            answers = await asyncio.gather(
                *(client.post("/v1/messages", json=BODY, headers=ANTHROPIC) for _ in range(5))
            )
            return [a.json()["content"][0]["text"] for a in answers], simulator.count()

    texts, count = asyncio.run(main())

    assert texts == ["echo: hi"] * 5
    assert count == 5


def test_a_hanging_request_does_not_block_the_tests_own_event_loop():
    async def main():
        async with Simulator() as simulator, httpx2.AsyncClient(base_url=simulator.url) as client:
            simulator.script("claude-hangs", [Hang()])
            hung = {**BODY, "model": "claude-hangs"}
            timeout = httpx2.Timeout(5.0, read=0.3)
            waiting = asyncio.create_task(
                client.post("/v1/messages", json=hung, headers=ANTHROPIC, timeout=timeout)
            )
            answered = await client.post("/v1/messages", json=BODY, headers=ANTHROPIC)
            assert not waiting.done()
            with pytest.raises(httpx2.ReadTimeout):
                await waiting
            return answered.status_code

    assert asyncio.run(main()) == 200


def test_a_fixed_port_is_used_and_a_stopped_simulator_can_start_again():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    simulator = Simulator(port=port)

    for _ in range(2):
        with simulator:
            assert simulator.url == f"http://127.0.0.1:{port}"
            body = {"model": "llama3.2", "stream": False}
            assert httpx2.post(f"{simulator.url}/api/chat", json=body).status_code == 200


def test_stopping_releases_a_hanging_request_at_once():
    simulator = Simulator().start()
    simulator.script("*", [Hang()])
    failures = []

    def call():
        try:
            httpx2.post(f"{simulator.url}/v1/messages", json=BODY, headers=ANTHROPIC, timeout=30)
        except httpx2.TransportError as error:
            failures.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    while simulator.count() == 0:
        time.sleep(0.005)
    started = time.perf_counter()
    simulator.stop()
    caller.join(5)

    assert time.perf_counter() - started < 0.5
    assert not caller.is_alive()
    assert isinstance(failures[0], httpx2.RemoteProtocolError)


def test_starting_twice_is_an_error(simulator):
    with pytest.raises(RuntimeError, match="already running"):
        simulator.start()


def test_the_fixture_gives_each_test_a_fresh_simulator(simulator):
    assert simulator.requests == []
    assert simulator.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])  # noqa: S104
def test_only_loopback_addresses_are_allowed(host):
    with pytest.raises(ValueError, match="loopback"):
        Simulator(host=host)


def test_without_aiohttp_starting_says_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    monkeypatch.delitem(sys.modules, "hotswap.testing.server")

    with pytest.raises(ModuleNotFoundError, match=r"pip install 'hotswap\[simulator\]'"):
        Simulator().start()


def modules_after(statement):
    """The modules loaded in a fresh interpreter after running ``statement``."""
    script = f"import sys; {statement}; print(' '.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_scripting_types_and_the_pytest_plugin_do_not_import_the_server():
    modules = modules_after(
        "import hotswap.testing as t, hotswap.testing.pytest_plugin;"
        "t.Script.sequence(t.RateLimit(), t.Reply(tool_calls=(t.ToolCall('f'),)))"
    )

    assert "hotswap.testing.scripts" in modules
    assert not {m for m in modules if m.split(".")[0] in ("aiohttp", "httpx2", "pydantic")}
    assert not {"hotswap.testing.server", "hotswap.testing.simulator"} & modules


def test_the_pytest_plugin_is_registered_for_pytest():
    [entry] = [e for e in importlib.metadata.entry_points(group="pytest11") if e.name == "hotswap"]

    assert entry.value == "hotswap.testing.pytest_plugin"
