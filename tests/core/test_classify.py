"""The provider-neutral classification every plugin falls back on."""

from __future__ import annotations

import pytest

from hotswap.plugin.classify import (
    classify_failure,
    classify_status,
    duration_seconds,
    error_report,
    limit_reset_wait,
    overload_wins,
    provider_message,
    retry_after_seconds,
)
from hotswap.types.errors import ErrorClassification, ErrorKind
from hotswap.types.events import StreamFailure
from hotswap.types.http import HttpResponse, TransportFailure


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


def test_an_in_stream_error_saying_overloaded_is_overloaded():
    failure = StreamFailure({"type": "error", "error": {"message": "Overloaded"}})

    assert classify_failure(failure) == ErrorClassification(ErrorKind.OVERLOADED, "Overloaded")


def test_a_500_saying_the_server_is_busy_is_overloaded():
    body = b'{"error": "server busy, please try again.  maximum pending requests exceeded"}'

    assert classify_failure(HttpResponse(500, {}, body)).kind is ErrorKind.OVERLOADED


@pytest.mark.parametrize("status", [503, 529])
def test_a_server_error_with_an_overload_status_is_overloaded(status):
    assert overload_wins(ErrorKind.SERVER_ERROR, status, "Internal error") is ErrorKind.OVERLOADED


@pytest.mark.parametrize(
    "said",
    [
        "Overloaded",
        "The server is overloaded or not ready yet.",
        "overloaded_error",
        "server_is_overloaded",
        "server busy, please try again.  maximum pending requests exceeded",
        "Server overloaded, please retry shortly",
        "Service tier capacity exceeded for this model.",
        "capacity_exceeded",
        "No capacity available for model gemini-2.5-pro on the server",
        "The model is currently at capacity due to high demand.",
    ],
)
def test_a_server_error_whose_words_say_overloaded_is_overloaded(said):
    assert overload_wins(ErrorKind.SERVER_ERROR, None, "Internal error", said) is (
        ErrorKind.OVERLOADED
    )


@pytest.mark.parametrize("status", [None, 500, 502])
def test_a_server_error_that_says_nothing_of_load_stays_a_server_error(status):
    message = "The server had an error while processing your request."

    assert overload_wins(ErrorKind.SERVER_ERROR, status, message) is ErrorKind.SERVER_ERROR


@pytest.mark.parametrize(
    "kind",
    [
        ErrorKind.QUOTA_EXHAUSTED,
        ErrorKind.RATE_LIMITED,
        ErrorKind.CONTEXT_LENGTH,
        ErrorKind.TIMEOUT,
        ErrorKind.INVALID_REQUEST,
    ],
)
def test_an_overload_never_overrides_a_more_specific_kind(kind):
    assert overload_wins(kind, 503, "The server is overloaded") is kind


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
