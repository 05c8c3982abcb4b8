"""Observer hooks: every decision of a call is told as it happens, and an observer's own bug
never breaks the call it watches."""

from __future__ import annotations

import asyncio

import httpx2
import pytest

from hotswap import Outcome, PluginError
from hotswap.plugin import hookimpl


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    @hookimpl
    def hotswap_attempt_started(self, model, stream):
        self.events.append(("started", model.name, stream))

    @hookimpl
    def hotswap_attempt_failed(self, model, attempt):
        self.events.append(("failed", model.name, str(attempt.outcome), str(attempt.kind)))

    @hookimpl
    def hotswap_failover(self, attempt, next_model):
        self.events.append(("failover", attempt.model, next_model.name))

    @hookimpl
    def hotswap_breaker_opened(self, model, kind, cooldown_s):
        self.events.append(("opened", model.name, str(kind), cooldown_s))

    @hookimpl
    def hotswap_breaker_closed(self, model):
        self.events.append(("closed", model.name))

    @hookimpl
    def hotswap_completed(self, completion):
        self.events.append(("completed", completion.model, len(completion.attempts)))


@pytest.fixture
def recorder(acme_host) -> Recorder:
    recorder = Recorder()
    acme_host.register(recorder, name="recorder")
    return recorder


def rate_limited(seconds: str) -> httpx2.Response:
    return httpx2.Response(429, headers={"retry-after": seconds}, json={"error": "slow down"})


def test_a_failover_is_told_step_by_step(make_chain, provider, recorder):
    provider.script("acme-1", rate_limited("90"))

    make_chain().complete("hi")

    assert recorder.events == [
        ("started", "first", False),
        ("failed", "first", "failed", "rate_limited"),
        ("opened", "first", "rate_limited", 90.0),
        ("failover", "first", "second"),
        ("started", "second", False),
        ("completed", "second", 2),
    ]


def test_a_skipped_model_is_told_as_a_failover_without_a_request(make_chain, provider, recorder):
    provider.script("acme-1", rate_limited("1"))
    chain = make_chain()
    chain.complete("hi")
    recorder.events.clear()

    chain.complete("again")

    assert recorder.events == [
        ("failed", "first", "skipped", "rate_limited"),
        ("failover", "first", "second"),
        ("started", "second", False),
        ("completed", "second", 2),
    ]


def test_a_probe_that_answers_closes_the_breaker(make_chain, provider, recorder, clock):
    provider.script("acme-1", rate_limited("1"))
    chain = make_chain()
    chain.complete("hi")
    clock.now += 61
    recorder.events.clear()

    chain.complete("again")

    assert ("closed", "first") in recorder.events
    assert recorder.events[-1] == ("completed", "first", 1)


def test_a_stream_is_told_complete_once_it_has_finished(make_chain, recorder):
    stream = make_chain().stream("hi")
    events = list(stream)

    assert events
    assert recorder.events == [("started", "first", True), ("completed", "first", 1)]


def test_async_calls_are_observed_alike(make_chain, provider, recorder):
    provider.script("acme-1", rate_limited("1"))

    asyncio.run(make_chain().acomplete("hi"))

    assert [event[0] for event in recorder.events] == [
        "started",
        "failed",
        "opened",
        "failover",
        "started",
        "completed",
    ]


def test_an_observer_that_raises_is_logged_and_the_call_goes_on(
    make_chain, acme_host, recorder, caplog
):
    class Broken:
        @hookimpl
        def hotswap_attempt_started(self, model, stream):
            raise RuntimeError("observer bug")

    acme_host.register(Broken(), name="broken-observer")

    reply = make_chain().complete("hi")

    assert reply.attempts[-1].outcome is Outcome.OK
    assert ("started", "first", False) in recorder.events
    assert "hotswap observer 'broken-observer' failed in hotswap_attempt_started" in caplog.text


def test_an_observer_added_as_such_is_not_listed_as_a_plugin(make_chain, acme_host):
    heard = Recorder()
    acme_host.add_observer(heard)

    make_chain().complete("hi")
    acme_host.remove_observer(heard)
    make_chain().complete("again")

    assert [e[0] for e in heard.events] == ["started", "completed"]
    assert [r.name for r in acme_host.records()] == ["acme"]


def test_an_observer_added_after_calls_were_made_hears_the_next_one(make_chain, acme_host):
    chain = make_chain()
    chain.complete("before")
    heard = Recorder()

    acme_host.add_observer(heard)
    chain.complete("after")

    assert [e[0] for e in heard.events] == ["started", "completed"]


def test_an_observer_may_implement_only_observation_hooks(acme_host):
    class Sneaky:
        @hookimpl
        def hotswap_auth_headers(self, model, credential):
            return {}

    with pytest.raises(PluginError, match="not hotswap_auth_headers"):
        acme_host.add_observer(Sneaky())
