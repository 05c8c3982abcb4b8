"""The async path over real HTTP, through each async transport: httpx2's (the default) and
aiohttp's (``Transport.aiohttp()``). Both must fail over, time out, recover and cancel alike."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from hotswap import AuthError, Outcome, StreamInterruptedError, TextDelta
from hotswap.testing import (
    Cut,
    Hang,
    RateLimit,
    Reply,
    Reset,
    Slow,
    Stall,
    StreamError,
    Unauthorized,
)

from .conftest import FALLBACK, PRIMARY, open_connections

pytestmark = pytest.mark.parametrize("transport", ["httpx2", "aiohttp"], indirect=True)

LONG = Reply(text="one two three four five six")
FAST = {"first_event_timeout_s": 0.3, "idle_timeout_s": 0.3, "attempt_timeout_s": 5.0}


async def texts(stream: Any) -> str:
    return "".join([e.text async for e in stream if isinstance(e, TextDelta)])


def run(chain: Any, work: Any) -> Any:
    """Run ``work(chain)`` on a fresh event loop, closing the chain's async client after."""

    async def main() -> Any:
        try:
            return await work(chain)
        finally:
            await chain.transport.aclose()

    return asyncio.run(main())


def test_an_answer_and_a_stream(make_chain, simulator):
    async def ask(chain):
        reply = await chain.acomplete("hi")
        stream = chain.astream("there")
        return reply, await texts(stream), stream.model.name

    reply, streamed, model = run(make_chain(), ask)

    assert (reply.text, reply.model) == ("echo: hi", "primary")
    assert (streamed, model) == ("echo: there", "primary")


def test_a_rate_limit_fails_over_and_opens_the_breaker(make_chain, simulator):
    simulator.script(PRIMARY, [RateLimit(retry_after=30)])

    async def ask(chain):
        return [await chain.acomplete("a"), await chain.acomplete("b")]

    first, second = run(make_chain(), ask)

    assert (first.model, second.model) == ("fallback", "fallback")
    assert (first.attempts[0].kind, first.attempts[0].status) == ("rate_limited", 429)
    assert second.attempts[0].outcome is Outcome.SKIPPED
    assert simulator.count(PRIMARY) == 1


def test_an_error_outside_the_conditions_is_raised(make_chain, simulator):
    simulator.script(PRIMARY, [Unauthorized()])

    with pytest.raises(AuthError):
        run(make_chain(conditions=["server_error"]), lambda chain: chain.acomplete("hi"))

    assert simulator.count(FALLBACK) == 0


def test_a_connection_reset_before_the_answer_fails_over(make_chain, simulator):
    simulator.script(PRIMARY, [Reset()])

    reply = run(make_chain(), lambda chain: chain.acomplete("hi"))

    assert reply.model == "fallback"
    assert reply.attempts[0].kind == "connection"


def test_a_connection_that_never_opens_is_a_connect_timeout(make_chain, unanswered_port):
    url = f"http://127.0.0.1:{unanswered_port}/v1"
    started = time.monotonic()

    chain = make_chain(primary_url=url, connect_timeout_s=0.3)
    reply = run(chain, lambda chain: chain.acomplete("hi"))

    assert time.monotonic() - started < 3
    assert (reply.model, reply.attempts[0].kind) == ("fallback", "timeout")
    assert "Timeout" in reply.attempts[0].message


def test_a_refused_connection_fails_over_as_a_connection_failure(make_chain, simulator):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{closed.getsockname()[1]}/v1"
    closed.close()  # nothing listens there now

    reply = run(make_chain(primary_url=url), lambda chain: chain.acomplete("hi"))

    assert (reply.model, reply.attempts[0].kind) == ("fallback", "connection")


def test_no_first_event_in_time_fails_over_as_a_timeout(make_chain, simulator):
    simulator.script(PRIMARY, [Hang()])
    started = time.monotonic()

    async def ask(chain):
        stream = chain.astream("hi")
        return await texts(stream), stream.attempts

    text, attempts = run(make_chain(**FAST), ask)

    assert 0.3 <= time.monotonic() - started < 2
    assert text == "echo: hi"
    assert (attempts[0].kind, attempts[0].message) == ("timeout", "no answer within 0.3 s")


def test_a_whole_answer_that_never_comes_times_out_at_the_attempt_limit(make_chain, simulator):
    simulator.script(PRIMARY, [Hang()])

    reply = run(make_chain(attempt_timeout_s=0.3), lambda chain: chain.acomplete("hi"))

    assert reply.model == "fallback"
    assert reply.attempts[0].message == "the attempt took longer than 0.3 s"


def test_a_stream_that_stalls_after_content_is_an_idle_timeout(make_chain, simulator):
    simulator.script(PRIMARY, [Stall(after=5, reply=LONG)])

    with pytest.raises(StreamInterruptedError) as interrupted:
        run(make_chain(**FAST), lambda chain: texts(chain.astream("hi")))

    assert interrupted.value.kind == "timeout"
    assert "the stream stalled: nothing for 0.3 s" in str(interrupted.value)
    assert simulator.count(FALLBACK) == 0


def test_a_stream_cut_before_its_end_is_a_connection_failure_not_an_answer(make_chain, simulator):
    simulator.script(PRIMARY, [Cut(after=0)])

    async def ask(chain):
        stream = chain.astream("hi")
        return await texts(stream), stream.attempts[0].kind, stream.model.name

    assert run(make_chain(), ask) == ("echo: hi", "connection", "fallback")


def test_a_stream_cut_after_content_is_interrupted(make_chain, simulator):
    simulator.script(PRIMARY, [Cut(after=4, reply=LONG)])

    with pytest.raises(StreamInterruptedError) as interrupted:
        run(make_chain(), lambda chain: texts(chain.astream("hi")))

    assert interrupted.value.kind == "connection"
    assert interrupted.value.partial_text == "one "


def test_an_error_inside_the_stream_before_content_fails_over_unseen(make_chain, simulator):
    simulator.script(PRIMARY, [StreamError(after=0)])

    async def ask(chain):
        stream = chain.astream("hi")
        return await texts(stream), stream.model.name

    assert run(make_chain(), ask) == ("echo: hi", "fallback")


def test_restart_recovery_after_content(make_chain, simulator):
    simulator.script(PRIMARY, [Cut(after=4, reply=LONG)])

    async def ask(chain):
        return [event async for event in chain.astream("hi")]

    events = run(make_chain(stream_recovery="restart"), ask)

    kinds = [type(e).__name__ for e in events]
    assert "StreamReset" in kinds
    after_reset = events[kinds.index("StreamReset") + 1 :]
    assert "".join(e.text for e in after_reset if isinstance(e, TextDelta)) == "echo: hi"


def test_many_concurrent_tasks_share_one_breaker(make_chain, simulator):
    simulator.script(PRIMARY, [RateLimit(retry_after=5)])

    async def ask_many(chain):
        first = await chain.acomplete("open the breaker")
        rest = await asyncio.gather(*(chain.acomplete(f"q{i}") for i in range(50)))
        return [first, *rest]

    replies = run(make_chain(), ask_many)

    assert {r.model for r in replies} == {"fallback"}
    assert simulator.count(PRIMARY) == 1
    assert simulator.count(FALLBACK) == 51


def test_cancelling_a_task_mid_request_closes_its_connection(make_chain, simulator, transport):
    simulator.script(PRIMARY, [Hang()])

    async def cancel_midway(chain):
        task = asyncio.create_task(chain.acomplete("hi"))
        await asyncio.sleep(0.1)
        assert open_connections(transport) == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return open_connections(transport)

    assert run(make_chain(), cancel_midway) == 0
    assert simulator.count(FALLBACK) == 0


def test_leaving_a_stream_early_closes_its_connection_and_records_the_cancel(
    make_chain, simulator, transport
):
    simulator.script(PRIMARY, [Slow(delay=0.05, reply=LONG)])

    async def leave_early(chain):
        stream = chain.astream("hi")
        await stream.__anext__()
        during = open_connections(transport)
        await stream.aclose()
        return during, open_connections(transport), stream.attempts[-1].outcome

    assert run(make_chain(), leave_early) == (1, 0, Outcome.CANCELLED)


def test_finished_requests_leave_no_connection_checked_out(make_chain, simulator, transport):
    async def ask(chain):
        await asyncio.gather(*(chain.acomplete(f"q{i}") for i in range(20)))
        await asyncio.gather(*(texts(chain.astream(f"s{i}")) for i in range(20)))
        await asyncio.sleep(0)
        return open_connections(transport), len(asyncio.all_tasks()) - 1

    assert run(make_chain(), ask) == (0, 0)


# -- token refresh --------------------------------------------------------------------------------

EXPIRED = {"type": "oauth", "access": "sk-ant-oat01-expired", "refresh": "sk-ant-ort01-old"}
GRANT = {
    "access_token": "sk-ant-oat01-fresh",
    "refresh_token": "sk-ant-ort01-new",
    "expires_in": 3600,
}


class TokenEndpoint:
    """A loopback OAuth token endpoint that grants :data:`GRANT` and records what it got."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                endpoint.received.append(json.loads(self.rfile.read(length)))
                body = json.dumps(GRANT).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/oauth/token"


@pytest.fixture
def token_endpoint(monkeypatch) -> Iterator[TokenEndpoint]:
    endpoint = TokenEndpoint()
    monkeypatch.setenv("HOTSWAP_ANTHROPIC_TOKEN_URL", endpoint.url)
    thread = threading.Thread(target=endpoint.server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()
    thread.join()


def test_an_expired_pi_login_is_refreshed_before_the_request(
    make_chain, simulator, token_endpoint, tmp_path: Path
):
    auth = tmp_path / ".pi" / "agent" / "auth.json"
    auth.parent.mkdir(mode=0o700, parents=True)
    auth.write_text(json.dumps({"anthropic": {**EXPIRED, "expires": 1700000000000}}))
    os.chmod(auth, 0o600)

    reply = run(make_chain(("pi",)), lambda chain: chain.acomplete("hi"))

    assert reply.text == "echo: hi"
    assert [r["refresh_token"] for r in token_endpoint.received] == ["sk-ant-ort01-old"]
    [sent] = simulator.requests
    assert sent.headers["authorization"] == "Bearer sk-ant-oat01-fresh"
    assert json.loads(auth.read_text())["anthropic"]["access"] == "sk-ant-oat01-fresh"


def test_each_transport_sends_through_its_own_client(make_chain, simulator, request):
    kind = request.node.callspec.params["transport"]

    run(make_chain(), lambda chain: chain.acomplete("hi"))

    [sent] = simulator.requests
    assert ("aiohttp" in sent.headers["user-agent"]) is (kind == "aiohttp")


def test_a_login_that_cannot_be_renewed_fails_over(make_chain, simulator, expired_pi_login):
    chain = make_chain(("pi", "fallback"))

    reply = run(chain, lambda chain: chain.acomplete("hi"))

    assert reply.model == "fallback"
    assert (reply.attempts[0].kind, reply.attempts[0].status) == ("auth", None)
    assert simulator.count(PRIMARY) == 0
