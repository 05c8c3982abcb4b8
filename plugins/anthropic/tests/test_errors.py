"""Every Anthropic error type and status as hotswap's error kinds, with the wait it asked for."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hotswap_anthropic.errors import classify

from hotswap.plugin import (
    ErrorClassification,
    ErrorKind,
    HttpResponse,
    StreamFailure,
    TransportFailure,
)

from .conftest import model

NOW = datetime(2026, 8, 1, 12, 0, 0, tzinfo=timezone.utc).timestamp()


def error_body(kind: str, message: str, **error: object) -> bytes:
    return json.dumps(
        {
            "type": "error",
            "error": {"type": kind, "message": message, **error},
            "request_id": "req_1",
        }
    ).encode()


def response(status: int, kind: str, message: str, headers=None, **error: object) -> HttpResponse:
    return HttpResponse(status, headers or {}, error_body(kind, message, **error))


@pytest.mark.parametrize(
    ("status", "kind", "message", "expected"),
    [
        (400, "invalid_request_error", "messages: field required", ErrorKind.INVALID_REQUEST),
        (401, "authentication_error", "invalid x-api-key", ErrorKind.AUTH),
        (402, "billing_error", "Payment required", ErrorKind.QUOTA_EXHAUSTED),
        (403, "permission_error", "not allowed", ErrorKind.PERMISSION),
        (404, "not_found_error", "model: claude-nope", ErrorKind.NOT_FOUND),
        (409, "conflict_error", "conflict", ErrorKind.SERVER_ERROR),
        (413, "request_too_large", "Request exceeds the maximum size", ErrorKind.INVALID_REQUEST),
        (429, "rate_limit_error", "Number of requests has exceeded", ErrorKind.RATE_LIMITED),
        (500, "api_error", "Internal server error", ErrorKind.SERVER_ERROR),
        (504, "timeout_error", "Request timeout", ErrorKind.TIMEOUT),
        (529, "overloaded_error", "Overloaded", ErrorKind.OVERLOADED),
    ],
)
def test_each_error_type_has_its_kind(status, kind, message, expected):
    assert classify(response(status, kind, message), now=NOW) == ErrorClassification(
        expected, message, code=kind
    )


@pytest.mark.parametrize(
    "message",
    [
        "prompt is too long: 213462 tokens > 200000 maximum",
        "input length and `max_tokens` exceed context limit: 198000 + 8192 > 200000",
    ],
)
def test_a_prompt_too_long_is_context_length(message):
    verdict = classify(response(400, "invalid_request_error", message))

    assert verdict.kind is ErrorKind.CONTEXT_LENGTH


@pytest.mark.parametrize(
    "message",
    [
        "You have reached your specified workspace API usage limits.",
        "Your credit balance is too low to access the Anthropic API.",
        "This organization has reached its monthly spend limit.",
    ],
)
def test_a_spend_limit_in_a_400_is_quota_exhausted(message):
    assert (
        classify(response(400, "invalid_request_error", message)).kind is ErrorKind.QUOTA_EXHAUSTED
    )


def test_a_429_for_an_enforced_spend_limit_is_quota_exhausted_and_not_to_be_waited_for():
    failure = response(
        429,
        "rate_limit_error",
        "You have exceeded your monthly spend limit",
        headers={"anthropic-ratelimit-requests-reset": "2026-08-01T12:00:30Z"},
        details={"error_code": "enforced_spend_limit_reached"},
    )

    assert classify(failure, now=NOW) == ErrorClassification(
        ErrorKind.QUOTA_EXHAUSTED,
        "You have exceeded your monthly spend limit",
        code="enforced_spend_limit_reached",
    )


def test_a_rate_limit_waits_as_retry_after_says():
    failure = response(429, "rate_limit_error", "slow down", headers={"retry-after": "7"})

    assert classify(failure, now=NOW).retry_after == 7.0


def test_retry_after_ms_wins_over_retry_after():
    headers = {"retry-after-ms": "1500", "retry-after": "7"}

    assert classify(response(429, "rate_limit_error", "x", headers), now=NOW).retry_after == 1.5


def test_without_retry_after_a_429_waits_for_the_exhausted_limits_reset():
    headers = {
        "anthropic-ratelimit-requests-remaining": "12",
        "anthropic-ratelimit-requests-reset": "2026-08-01T12:00:02Z",
        "anthropic-ratelimit-tokens-remaining": "0",
        "anthropic-ratelimit-tokens-reset": "2026-08-01T12:00:20Z",
        "anthropic-ratelimit-input-tokens-remaining": "0",
        "anthropic-ratelimit-input-tokens-reset": "2026-08-01T12:00:15.500000+00:00",
    }

    assert classify(response(429, "rate_limit_error", "x", headers), now=NOW).retry_after == 20.0


def test_without_retry_after_or_an_exhausted_limit_a_429_waits_for_the_earliest_reset():
    headers = {
        "anthropic-ratelimit-requests-reset": "2026-08-01T12:00:09Z",
        "anthropic-ratelimit-tokens-reset": "2026-08-01T12:00:04Z",
        "anthropic-ratelimit-output-tokens-reset": "not a time",
    }

    assert classify(response(429, "rate_limit_error", "x", headers), now=NOW).retry_after == 4.0


def test_an_overloaded_529_takes_a_retry_after_if_it_sends_one():
    verdict = classify(response(529, "overloaded_error", "Overloaded", {"retry-after": "3"}))

    assert (verdict.kind, verdict.retry_after) == (ErrorKind.OVERLOADED, 3.0)


def test_an_error_inside_a_stream_is_classified_by_its_type():
    payload = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

    assert classify(StreamFailure(payload)) == ErrorClassification(
        ErrorKind.OVERLOADED, "Overloaded", code="overloaded_error"
    )


def test_a_stream_error_of_an_unknown_type_is_a_server_error():
    payload = {"type": "error", "error": {"type": "brand_new_error", "message": "Odd"}}

    assert classify(StreamFailure(payload)).kind is ErrorKind.SERVER_ERROR


def test_a_proxys_html_page_is_classified_by_status():
    page = HttpResponse(502, {}, b"<html><title>502 Bad Gateway</title></html>")

    assert classify(page) == ErrorClassification(ErrorKind.SERVER_ERROR, "502 Bad Gateway")


def test_transport_failures_are_left_to_the_core():
    assert classify(TransportFailure(ErrorKind.TIMEOUT, "read", "slow")) is None


@pytest.mark.parametrize(
    "failure",
    [
        response(401, "authentication_error", "OAuth authentication is currently not supported."),
        response(401, "authentication_error", "OAuth token has expired."),
        response(
            400,
            "invalid_request_error",
            "This credential is only authorized for use with Claude Code and cannot be used "
            "for other API requests.",
        ),
    ],
)
def test_a_refused_oauth_token_is_an_auth_error_that_suggests_an_api_key(failure):
    verdict = classify(failure)

    assert verdict.kind is ErrorKind.AUTH
    assert verdict.message.startswith("Anthropic refused the Claude subscription (OAuth) token (")
    assert (
        "set ANTHROPIC_API_KEY, or the credential anthropic_key, to an API key" in verdict.message
    )


def test_a_bare_error_400_is_the_tokens_refusal_only_when_an_oauth_token_is_configured():
    bare = response(400, "invalid_request_error", "Error")

    assert classify(bare, oauth=True).kind is ErrorKind.AUTH
    assert classify(bare).kind is ErrorKind.INVALID_REQUEST


def test_any_401_with_an_oauth_token_configured_explains_the_refusal():
    verdict = classify(response(401, "authentication_error", "invalid bearer token"), oauth=True)

    assert verdict.message == (
        "Anthropic refused the Claude subscription (OAuth) token (invalid bearer token). "
        "Subscription tokens may not be accepted for direct API use: set ANTHROPIC_API_KEY, or "
        "the credential anthropic_key, to an API key from console.anthropic.com instead"
    )


def test_a_refused_api_key_gets_no_oauth_advice_even_where_a_token_might_be_sent():
    verdict = classify(response(401, "authentication_error", "invalid x-api-key"), oauth=True)

    assert verdict == ErrorClassification(
        ErrorKind.AUTH, "invalid x-api-key", code="authentication_error"
    )


@pytest.mark.parametrize(
    ("auth_type", "kind"),
    [
        ("oauth_token", ErrorKind.AUTH),
        ("pi_auth", ErrorKind.AUTH),
        ("api_key", ErrorKind.INVALID_REQUEST),
    ],
)
def test_the_hook_knows_a_model_that_may_send_an_oauth_token_by_its_auth_type(
    host, auth_type, kind
):
    bare = response(400, "invalid_request_error", "Error")

    assert host.classify_error(model(auth_type=auth_type), bare).kind is kind


def test_a_500_api_error_saying_overloaded_is_overloaded():
    assert classify(response(500, "api_error", "Overloaded")) == ErrorClassification(
        ErrorKind.OVERLOADED, "Overloaded", code="api_error"
    )


def test_an_api_error_saying_overloaded_inside_a_stream_is_overloaded():
    payload = {"type": "error", "error": {"type": "api_error", "message": "Overloaded"}}

    assert classify(StreamFailure(payload)).kind is ErrorKind.OVERLOADED


@pytest.mark.parametrize("status", [503, 529])
def test_a_generic_api_error_with_an_overload_status_is_overloaded(status):
    assert classify(response(status, "api_error", "Internal server error")).kind is (
        ErrorKind.OVERLOADED
    )


@pytest.mark.parametrize("status", [503, 529])
def test_a_proxys_overload_page_is_overloaded(status):
    page = HttpResponse(status, {}, b"<html><title>Service Unavailable</title></html>")

    assert classify(page).kind is ErrorKind.OVERLOADED


def test_a_rate_limit_stays_a_rate_limit_whatever_its_message_says():
    failure = response(429, "rate_limit_error", "Rate limited: the API is overloaded")

    assert classify(failure).kind is ErrorKind.RATE_LIMITED
