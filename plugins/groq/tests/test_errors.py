"""Groq's failures as error kinds: its own signals before the OpenAI family's, and an overload
winning over a generic server error, in a response or inside a stream."""

from __future__ import annotations

import json

import hotswap_groq
import pytest

from hotswap.plugin import ErrorKind, HttpResponse, StreamFailure
from hotswap.testing import Harness

K = ErrorKind


@pytest.fixture
def groq() -> Harness:
    return Harness(hotswap_groq.plugin, model="llama-3.3-70b-versatile")


def response(status: int, message: str, type_: str, code: str | None = None) -> HttpResponse:
    error = {"message": message, "type": type_} | ({"code": code} if code else {})
    return HttpResponse(status, {}, json.dumps({"error": error}).encode())


def test_a_503_of_a_generic_server_error_type_is_overloaded(groq):
    assert groq.classify(response(503, "Service Unavailable", "server_error")).kind is K.OVERLOADED


def test_a_flex_tier_498_is_overloaded(groq):
    failure = response(498, "Flex tier capacity exceeded", "server_error", "capacity_exceeded")

    assert groq.classify(failure).kind is K.OVERLOADED


def test_a_rate_limit_stays_a_rate_limit_whatever_the_status(groq):
    failure = response(
        503,
        "Rate limit reached for model `llama-3.3-70b-versatile`. Please try again in 7.66s.",
        "tokens",
        "rate_limit_exceeded",
    )

    verdict = groq.classify(failure)

    assert (verdict.kind, verdict.retry_after) == (K.RATE_LIMITED, pytest.approx(7.66))


def test_a_500_server_error_stays_a_server_error(groq):
    failure = response(500, "Internal Server Error", "server_error")

    assert groq.classify(failure).kind is K.SERVER_ERROR


def test_an_error_inside_a_stream_saying_overloaded_is_overloaded(groq):
    payload = {"error": {"message": "The server is overloaded, try again.", "type": "server_error"}}

    assert groq.classify(StreamFailure(payload)).kind is K.OVERLOADED


def test_a_stream_stopped_by_x_groq_error_keeps_groqs_words(groq):
    payload = {"id": "chatcmpl-1", "choices": [], "x_groq": {"id": "req_1", "error": "stopped"}}

    verdict = groq.classify(StreamFailure(payload))

    assert verdict.kind is K.SERVER_ERROR
    assert "stopped" in verdict.message


def test_a_stream_stopped_by_x_groq_error_for_capacity_is_overloaded(groq):
    payload = {
        "id": "chatcmpl-1",
        "choices": [],
        "x_groq": {"id": "req_1", "error": "over capacity"},
    }

    assert groq.classify(StreamFailure(payload)).kind is K.OVERLOADED
