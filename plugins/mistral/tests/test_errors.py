"""Mistral's failures as error kinds: a capacity error and a 503 are overloaded, a rate limit
stays a rate limit."""

from __future__ import annotations

import json

import hotswap_mistral
import pytest

from hotswap.plugin import ErrorKind, HttpResponse, StreamFailure
from hotswap.testing import Harness

K = ErrorKind


@pytest.fixture
def mistral() -> Harness:
    return Harness(hotswap_mistral.plugin, model="mistral-large-latest")


def response(status: int, message: str, type_: str, code: str | None) -> HttpResponse:
    body = {"object": "error", "message": message, "type": type_, "param": None, "code": code}
    return HttpResponse(status, {}, json.dumps(body).encode())


@pytest.mark.parametrize("status", [429, 503])
def test_service_tier_capacity_exceeded_is_overloaded(mistral, status):
    failure = response(
        status,
        "Service tier capacity exceeded for this model.",
        "service_tier_capacity_exceeded",
        "3505",
    )

    assert mistral.classify(failure).kind is K.OVERLOADED


def test_a_503_of_a_generic_server_error_type_is_overloaded(mistral):
    failure = response(503, "Service unavailable", "server_error", None)

    assert mistral.classify(failure).kind is K.OVERLOADED


def test_a_rate_limit_stays_a_rate_limit_whatever_the_status(mistral):
    failure = response(503, "Rate limit exceeded", "rate_limited", "1300")

    assert mistral.classify(failure).kind is K.RATE_LIMITED


def test_a_500_server_error_stays_a_server_error(mistral):
    failure = response(500, "Internal server error", "server_error", None)

    assert mistral.classify(failure).kind is K.SERVER_ERROR


def test_a_finish_reason_error_inside_a_stream_is_a_server_error(mistral):
    chunk = {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
    }

    assert mistral.classify(StreamFailure(chunk)).kind is K.SERVER_ERROR
