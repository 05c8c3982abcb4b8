"""OpenRouter's failures as error kinds: an upstream overload, numbered in an error response,
inside a 200 body or inside a stream, or said by the upstream provider, is overloaded."""

from __future__ import annotations

import json

import hotswap_openrouter
import pytest

from hotswap.plugin import ErrorKind, HttpResponse, StreamFailure
from hotswap.testing import Harness

K = ErrorKind
ANTHROPIC_OVERLOADED = json.dumps(
    {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
)


@pytest.fixture
def openrouter() -> Harness:
    return Harness(hotswap_openrouter.plugin, model="anthropic/claude-sonnet-4.5")


def error(code: int, message: str, **metadata: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "metadata": metadata}}


def response(status: int, body: object, **headers: str) -> HttpResponse:
    return HttpResponse(status, headers, json.dumps(body).encode())


def test_a_503_with_no_provider_available_is_overloaded_and_waits_as_asked(openrouter):
    body = error(503, "No instances available for the requested model")

    verdict = openrouter.classify(response(503, body, **{"retry-after": "5"}))

    assert (verdict.kind, verdict.retry_after) == (K.OVERLOADED, 5.0)


@pytest.mark.parametrize("code", [503, 529])
def test_an_upstream_overload_numbered_inside_a_200_body_is_overloaded(openrouter, code):
    body = error(code, "Provider returned error", provider_name="Anthropic", raw="Overloaded")

    assert openrouter.classify(response(200, body)).kind is K.OVERLOADED


@pytest.mark.parametrize("code", [503, 529])
def test_an_upstream_overload_numbered_inside_a_stream_is_overloaded(openrouter, code):
    chunk = {
        **error(code, "Provider returned error", provider_name="Anthropic"),
        "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
    }

    assert openrouter.classify(StreamFailure(chunk)).kind is K.OVERLOADED


def test_a_502_whose_upstream_said_overloaded_is_overloaded(openrouter):
    body = error(
        502, "Provider returned error", provider_name="Anthropic", raw=ANTHROPIC_OVERLOADED
    )

    verdict = openrouter.classify(response(200, body))

    assert verdict.kind is K.OVERLOADED
    assert verdict.message == f"Provider returned error (Anthropic: {ANTHROPIC_OVERLOADED})"


def test_a_502_that_says_nothing_of_load_stays_a_server_error(openrouter):
    body = error(502, "Provider returned error", provider_name="Fireworks", raw="bad gateway")

    assert openrouter.classify(response(502, body)).kind is K.SERVER_ERROR


def test_no_credits_stays_quota_exhausted_inside_a_200(openrouter):
    body = error(402, "Insufficient credits. Add more using https://openrouter.ai/credits")

    assert openrouter.classify(response(200, body)).kind is K.QUOTA_EXHAUSTED
