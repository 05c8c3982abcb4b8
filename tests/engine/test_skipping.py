"""Models skipped without a request: too small for a request another model said was too long,
or unable to do what it needs; and the call's deadline, which no wait may pass."""

from __future__ import annotations

import httpx2
import pytest

from hotswap import (
    AllModelsFailedError,
    ContextLengthError,
    ImagePart,
    Message,
    Outcome,
    ToolDefinition,
)

TOO_LONG = httpx2.Response(400, json={"error": "too_long"})  # acme's context_length


def test_context_length_moves_on_skipping_models_no_larger(make_chain, provider):
    provider.script("acme-1", TOO_LONG)

    reply = make_chain(["first", "second", "third"]).complete("a long prompt")

    assert provider.requests == ["acme-1", "acme-3"]
    failed, skipped, answered = reply.attempts
    assert (failed.kind, skipped.outcome, answered.model) == (
        "context_length",
        Outcome.SKIPPED,
        "third",
    )
    assert skipped.message == (
        "its context window (8,000 tokens) is no larger than one that refused the request (8,000)"
    )


def test_context_length_is_raised_when_no_larger_model_is_left(make_chain, provider):
    provider.script("acme-1", TOO_LONG)

    with pytest.raises(ContextLengthError):
        make_chain(["first", "second"]).complete("a long prompt")

    assert provider.requests == ["acme-1"]


def test_a_model_that_said_too_long_is_never_sent_the_request_again(make_chain, provider):
    provider.script("acme-1", TOO_LONG)
    provider.script("acme-3", *[httpx2.Response(500, json={"error": "down"})] * 2)

    with pytest.raises(AllModelsFailedError):
        make_chain(["first", "third"], failover={"max_retries": 1}).complete("long")

    assert provider.requests == ["acme-1", "acme-3", "acme-3"]


def test_a_context_length_does_not_cool_the_model_for_other_requests(make_chain, provider):
    chain = make_chain(["first", "third"])
    provider.script("acme-1", TOO_LONG)
    chain.complete("long")

    assert chain.complete("short").model == "first"


def test_a_model_that_cannot_call_tools_is_skipped_with_the_reason(make_chain):
    tool = ToolDefinition(name="lookup")
    chain = make_chain(["mini", "first"])

    reply = chain.complete("use it", tools=[tool])

    skipped, answered = reply.attempts
    assert (skipped.outcome, skipped.message) == (
        Outcome.SKIPPED,
        "it cannot call tools, and the request offers some",
    )
    assert answered.model == "first"


def test_a_model_that_cannot_see_is_skipped_for_a_request_with_images(make_chain, provider):
    chain = make_chain(["mini", "first"])
    image = Message.user("what is this?", ImagePart(url="https://example.test/cat.png"))

    reply = chain.complete([image])

    assert reply.attempts[0].message == "it cannot read images, and the request has some"
    assert provider.requests == ["acme-1"]


def test_when_no_model_can_serve_the_request_it_fails_at_once_without_backoff(make_chain, clock):
    chain = make_chain(["mini"])

    with pytest.raises(AllModelsFailedError, match="no model of the chain can serve"):
        chain.complete("use it", tools=[ToolDefinition(name="lookup")])

    assert clock.slept == []


def test_no_backoff_wait_may_pass_the_calls_deadline(make_chain, provider, clock):
    for model_id in ("acme-1", "acme-2"):
        provider.script(model_id, httpx2.Response(500, json={"error": "down"}))
    chain = make_chain(failover={"deadline_s": 5, "retry_delay_ms": 10_000})

    with pytest.raises(AllModelsFailedError, match="would pass the call's deadline"):
        chain.complete("hi")

    assert clock.slept == []
