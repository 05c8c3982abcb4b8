"""xAI's failures as error kinds, in its own ``{"code", "error"}`` shape: an overload wins over
a generic server error, in a response or inside a stream, and a spent credit stays spent."""

from __future__ import annotations

import json

import hotswap_xai
import pytest

from hotswap.plugin import ErrorKind, HttpResponse, StreamFailure
from hotswap.testing import Harness

K = ErrorKind
UNAVAILABLE = {
    "code": "The service is currently unavailable",
    "error": "Service temporarily unavailable. The model did not respond to this request.",
}


@pytest.fixture
def xai() -> Harness:
    return Harness(hotswap_xai.plugin, model="grok-4")


def response(status: int, body: object) -> HttpResponse:
    return HttpResponse(status, {}, json.dumps(body).encode())


def test_a_503_service_unavailable_is_overloaded(xai):
    assert xai.classify(response(503, UNAVAILABLE)).kind is K.OVERLOADED


def test_service_unavailable_inside_a_stream_is_overloaded(xai):
    verdict = xai.classify(StreamFailure(UNAVAILABLE))

    assert (verdict.kind, verdict.message) == (K.OVERLOADED, UNAVAILABLE["error"])


def test_a_model_at_capacity_inside_a_stream_is_overloaded(xai):
    payload = {
        "code": "Internal error",
        "error": "The model is currently at capacity due to high demand. Please try again later.",
    }

    assert xai.classify(StreamFailure(payload)).kind is K.OVERLOADED


def test_an_internal_error_stays_a_server_error(xai):
    body = {"code": "Internal error", "error": "Internal error during token generation"}

    assert xai.classify(response(500, body)).kind is K.SERVER_ERROR
    assert xai.classify(StreamFailure(body)).kind is K.SERVER_ERROR


def test_spent_credits_stay_quota_exhausted_whatever_the_status(xai):
    body = {
        "code": "Some resource has been exhausted",
        "error": "Your team has either used all available credits or reached its monthly "
        "spending limit.",
    }

    assert xai.classify(response(503, body)).kind is K.QUOTA_EXHAUSTED
