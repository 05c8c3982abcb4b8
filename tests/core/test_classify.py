"""The provider-neutral classification every plugin falls back on."""

from __future__ import annotations

import pytest

from hotswap.classify import (
    classify_failure,
    classify_status,
    duration_seconds,
    error_report,
    limit_reset_wait,
    provider_message,
    retry_after_seconds,
)
from hotswap.errors import ErrorClassification, ErrorKind
from hotswap.events import StreamFailure
from hotswap.http import HttpResponse, TransportFailure


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, ErrorKind.INVALID_REQUEST),
        (401, ErrorKind.AUTH),
        (402, ErrorKind.QUOTA_EXHAUSTED),
        (403, ErrorKind.PERMISSION),
        (404, ErrorKind.NOT_FOUND),
        (408, ErrorKind.TIMEOUT),
        (413, ErrorKind.INVALID_REQUEST),
        (422, ErrorKind.INVALID_REQUEST),
        (429, ErrorKind.RATE_LIMITED),
        (499, ErrorKind.CONNECTION),
        (500, ErrorKind.SERVER_ERROR),
        (502, ErrorKind.SERVER_ERROR),
        (503, ErrorKind.OVERLOADED),
        (504, ErrorKind.TIMEOUT),
        (529, ErrorKind.OVERLOADED),
        (302, ErrorKind.UNKNOWN),
    ],
)
def test_status_alone_maps_to_a_kind(status, kind):
    assert classify_status(status) is kind


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": "12"}, 12.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"retry-after": "Sat, 21 Nov 2026 10:00:30 GMT"}, 30.0),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_reads_milliseconds_seconds_and_dates(headers, seconds):
    now = 1_795_255_200.0  # 2026-11-21 10:00:00 UTC

    assert retry_after_seconds(headers, now=now) == seconds


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"error": {"message": "Overloaded", "type": "overloaded_error"}}', "Overloaded"),
        (b'{"error": "model \'x\' not found"}', "model 'x' not found"),
        (b'{"message": "Rate limit exceeded", "code": "1300"}', "Rate limit exceeded"),
        (b'{"detail": [{"loc": ["body"], "msg": "field required"}]}', "field required"),
        (b"<html><title>502 Bad Gateway</title><body>nginx</body></html>", "502 Bad Gateway"),
        (b"upstream connect error", "upstream connect error"),
        (b"", "HTTP 502 with an empty body"),
    ],
)
def test_the_providers_own_message_is_found_in_any_common_shape(body, message):
    assert provider_message(HttpResponse(502, {}, body)) == message


def test_an_error_response_gets_kind_message_and_retry_after():
    response = HttpResponse(429, {"retry-after": "7"}, b'{"error": {"message": "slow down"}}')

    assert classify_failure(response) == ErrorClassification(
        ErrorKind.RATE_LIMITED, "slow down", retry_after=7.0
    )


def test_a_transport_failure_keeps_its_kind():
    failure = TransportFailure(ErrorKind.TIMEOUT, "read", "no bytes for 30 s")

    assert classify_failure(failure) == ErrorClassification(ErrorKind.TIMEOUT, "no bytes for 30 s")


def test_an_in_stream_error_is_a_server_error_with_the_providers_message():
    failure = StreamFailure({"type": "error", "error": {"message": "Internal error"}})

    assert classify_failure(failure) == ErrorClassification(
        ErrorKind.SERVER_ERROR, "Internal error"
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("6m0s", 360.0),
        ("1.5s", 1.5),
        ("20ms", 0.02),
        ("2m59.56s", 179.56),
        ("1h2m", 3720.0),
        ("37s", 37.0),
        (" 7.66s ", 7.66),
        ("0s", 0.0),
        ("soon", None),
        ("12", None),
        ("1.5sx", None),
        ("", None),
    ],
)
def test_durations_are_read_as_go_and_protobuf_write_them(text, seconds):
    found = duration_seconds(text)

    assert found == (pytest.approx(seconds) if seconds is not None else None)


def test_an_error_report_reads_a_response_and_an_in_stream_error_alike():
    body = b'{"error": {"message": "slow down", "type": "rate_limit"}}'

    from_response = error_report(HttpResponse(429, {"retry-after": "2"}, body))
    from_stream = error_report(StreamFailure({"error": {"message": "slow down"}}))

    assert (from_response.status, from_response.message, dict(from_response.headers)) == (
        429,
        "slow down",
        {"retry-after": "2"},
    )
    assert from_response.payload == {"error": {"message": "slow down", "type": "rate_limit"}}
    assert (from_stream.status, from_stream.message, dict(from_stream.headers)) == (
        None,
        "slow down",
        {},
    )
    assert error_report(TransportFailure(ErrorKind.TIMEOUT, "read", "timed out")) is None


@pytest.mark.parametrize(
    ("resets", "remaining", "wait"),
    [
        ({"requests": 2.0, "tokens": 30.0}, {"requests": "5", "tokens": "0"}, 30.0),
        ({"requests": 2.0, "tokens": 30.0}, {"requests": "0", "tokens": "0"}, 30.0),
        ({"requests": 2.0, "tokens": 30.0}, {"requests": "5", "tokens": None}, 2.0),
        ({}, {}, None),
    ],
    ids=["the_spent_limit", "the_latest_of_several_spent", "else_the_soonest", "none_given"],
)
def test_a_rate_limit_lifts_when_its_spent_limit_resets(resets, remaining, wait):
    assert limit_reset_wait(resets, remaining) == wait
