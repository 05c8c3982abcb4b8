"""The family's failures as error kinds, as pure functions: every body shape the compatible
providers use, the waits they ask for, and errors inside a 200."""

from __future__ import annotations

import json

import pytest
from hotswap_openai.errors import classify

from hotswap.plugin import ErrorKind, HttpResponse, StreamFailure, TransportFailure

K = ErrorKind


def response(status, body, **headers) -> HttpResponse:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpResponse(status, {k.replace("_", "-"): v for k, v in headers.items()}, raw)


def openai_error(message, type_="invalid_request_error", code=None):
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (
            429,
            openai_error("Rate limit reached for gpt-4.1", "requests", "rate_limit_exceeded"),
            K.RATE_LIMITED,
        ),
        (
            429,
            openai_error(
                "You exceeded your current quota", "insufficient_quota", "insufficient_quota"
            ),
            K.QUOTA_EXHAUSTED,
        ),
        (
            429,
            openai_error(
                "Your credit balance is exhausted",
                "invalid_request_error",
                "credit_balance_exhausted",
            ),
            K.QUOTA_EXHAUSTED,
        ),
        (
            400,
            openai_error(
                "This model's maximum context length is 128000 tokens.",
                code="context_length_exceeded",
            ),
            K.CONTEXT_LENGTH,
        ),
        (
            400,
            openai_error("Please reduce the length of the messages or completion."),
            K.CONTEXT_LENGTH,
        ),
        (
            400,
            openai_error(
                "Invalid prompt: flagged as potentially violating our usage policy.",
                code="invalid_prompt",
            ),
            K.CONTENT_FILTER,
        ),
        (
            400,
            openai_error(
                "Your request was rejected by the safety system.", code="content_policy_violation"
            ),
            K.CONTENT_FILTER,
        ),
        (
            400,
            openai_error("Unsupported parameter: 'max_tokens'", code="unsupported_parameter"),
            K.INVALID_REQUEST,
        ),
        (
            401,
            openai_error("Incorrect API key provided: sk-ab***cd.", code="invalid_api_key"),
            K.AUTH,
        ),
        (
            403,
            openai_error(
                "Country, region, or territory not supported",
                "request_forbidden",
                "unsupported_country_region_territory",
            ),
            K.PERMISSION,
        ),
        (
            404,
            openai_error("The model `gpt-9` does not exist", code="model_not_found"),
            K.NOT_FOUND,
        ),
        (500, openai_error("The server had an error", "server_error"), K.SERVER_ERROR),
        (
            503,
            openai_error(
                "The engine is currently overloaded",
                "service_unavailable_error",
                "server_is_overloaded",
            ),
            K.OVERLOADED,
        ),
        (408, openai_error("Request timed out."), K.TIMEOUT),
        (
            400,
            {"code": "invalid-argument", "error": "Incorrect API key provided: xa***ey."},
            K.AUTH,
        ),
        (
            400,
            {
                "code": "invalid-argument",
                "error": "This model's maximum prompt length is 131072 but the request contains "
                "140000 tokens.",
            },
            K.CONTEXT_LENGTH,
        ),
        (
            400,
            {
                "object": "error",
                "message": "Prompt contains 140000 tokens, too large for model with 131072 "
                "maximum context length",
                "type": "invalid_request_message_order",
                "code": "3051",
            },
            K.CONTEXT_LENGTH,
        ),
        (
            422,
            {"detail": [{"loc": ["body", "messages"], "msg": "Field required", "type": "missing"}]},
            K.INVALID_REQUEST,
        ),
        (402, {"error": {"code": 402, "message": "Insufficient credits"}}, K.QUOTA_EXHAUSTED),
        (
            400,
            {
                "error": {
                    "code": 400,
                    "message": "This endpoint's maximum context length is 8192 tokens. However, "
                    "you requested about 9000 tokens",
                }
            },
            K.CONTEXT_LENGTH,
        ),
        (502, b"<html><head><title>502 Bad Gateway</title></head></html>", K.SERVER_ERROR),
    ],
)
def test_the_familys_errors_map_to_kinds(status, body, kind):
    assert classify(response(status, body)).kind is kind


def test_the_providers_own_message_and_code_are_kept():
    verdict = classify(
        response(429, openai_error("Rate limit reached", "requests", "rate_limit_exceeded"))
    )

    assert (verdict.message, verdict.code) == ("Rate limit reached", "rate_limit_exceeded")


@pytest.mark.parametrize(
    ("headers", "message", "wait"),
    [
        ({"retry_after_ms": "250", "retry_after": "9"}, "", 0.25),
        ({"retry_after": "7"}, "", 7.0),
        (
            {
                "x_ratelimit_remaining_requests": "0",
                "x_ratelimit_reset_requests": "6m0s",
                "x_ratelimit_remaining_tokens": "900",
                "x_ratelimit_reset_tokens": "1.5s",
            },
            "",
            360.0,
        ),
        ({"x_ratelimit_reset_requests": "2m59.56s", "x_ratelimit_reset_tokens": "20ms"}, "", 0.02),
        ({}, "Rate limit reached. Please try again in 11.455s. Visit ...", 11.455),
        ({}, "Rate limit reached. Please try again in 1m30s.", 90.0),
        ({}, "Rate limit reached.", None),
    ],
)
def test_a_rate_limits_wait_comes_from_headers_then_the_message(headers, message, wait):
    verdict = classify(
        response(429, openai_error(message, "tokens", "rate_limit_exceeded"), **headers)
    )

    assert verdict.retry_after == (pytest.approx(wait) if wait is not None else None)


def test_reset_headers_do_not_delay_other_kinds():
    verdict = classify(
        response(
            429,
            openai_error("quota", "insufficient_quota", "insufficient_quota"),
            x_ratelimit_reset_requests="1s",
        )
    )

    assert (verdict.kind, verdict.retry_after) == (K.QUOTA_EXHAUSTED, None)


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        ({"error": {"message": "The server had an error", "type": "server_error"}}, K.SERVER_ERROR),
        ({"error": {"code": 429, "message": "Rate limit exceeded upstream"}}, K.RATE_LIMITED),
        ({"error": {"code": 502, "message": "Provider returned error"}}, K.SERVER_ERROR),
        ({"choices": [{"delta": {}, "finish_reason": "error"}]}, K.SERVER_ERROR),
        ({"x_groq": {"error": "stopped early"}, "choices": []}, K.SERVER_ERROR),
    ],
)
def test_errors_inside_a_stream_are_classified_by_their_body(payload, kind):
    assert classify(StreamFailure(payload)).kind is kind


def test_an_error_in_a_200_body_is_numbered_by_its_code_and_names_the_upstream():
    body = {
        "error": {
            "code": 503,
            "message": "Provider returned error",
            "metadata": {"provider_name": "Fireworks", "raw": "model is overloaded"},
        }
    }

    verdict = classify(response(200, body))

    assert verdict.kind is K.OVERLOADED
    assert verdict.message == "Provider returned error (Fireworks: model is overloaded)"


def test_transport_failures_are_left_to_the_core():
    assert classify(TransportFailure(K.TIMEOUT, "read", "timed out")) is None


def test_a_503_whose_type_is_a_generic_server_error_is_overloaded():
    body = openai_error("The server is overloaded or not ready yet.", "server_error")

    assert classify(response(503, body)).kind is K.OVERLOADED


def test_a_503_with_a_generic_type_and_an_overloaded_code_is_overloaded():
    body = {"error": {"message": "Overloaded", "type": "server_error", "code": "overloaded"}}

    verdict = classify(response(503, body))

    assert (verdict.kind, verdict.code) == (K.OVERLOADED, "overloaded")


def test_a_529_whose_type_is_a_generic_server_error_is_overloaded():
    assert classify(response(529, openai_error("Overloaded", "server_error"))).kind is K.OVERLOADED


def test_a_server_error_saying_the_model_is_overloaded_is_overloaded_whatever_its_status():
    message = (
        "That model is currently overloaded with other requests. You can retry your request, "
        "or contact us through our help center at help.openai.com if the error persists."
    )

    assert classify(response(429, openai_error(message, "server_error"))).kind is K.OVERLOADED


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            openai_error(
                "You exceeded your current quota", "insufficient_quota", "insufficient_quota"
            ),
            K.QUOTA_EXHAUSTED,
        ),
        (
            openai_error(
                "This model's maximum context length is 128000 tokens.",
                "server_error",
                "context_length_exceeded",
            ),
            K.CONTEXT_LENGTH,
        ),
        (
            openai_error("Rate limit reached for gpt-4.1", "server_error", "rate_limit_exceeded"),
            K.RATE_LIMITED,
        ),
    ],
    ids=["quota", "context_length", "rate_limit"],
)
def test_a_specific_meaning_wins_over_a_503(body, kind):
    assert classify(response(503, body)).kind is kind


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_generic_server_error_outside_503_and_529_stays_a_server_error(status):
    body = openai_error("The server had an error while processing your request.", "server_error")

    assert classify(response(status, body)).kind is K.SERVER_ERROR


def test_a_gateway_timeout_page_is_a_timeout():
    page = b"<html><head><title>504 Gateway Time-out</title></head></html>"

    assert classify(response(504, page)).kind is K.TIMEOUT


@pytest.mark.parametrize(
    "error",
    [
        {"message": "The server is overloaded", "type": "server_error", "code": "overloaded"},
        {
            "message": "Our servers are currently overloaded. Please try again later.",
            "type": "service_unavailable_error",
            "code": "server_is_overloaded",
        },
        {"message": "The server is overloaded or not ready yet.", "type": "server_error"},
    ],
)
def test_an_overloaded_error_inside_a_stream_is_overloaded(error):
    assert classify(StreamFailure({"error": error})).kind is K.OVERLOADED


def test_an_error_numbered_529_inside_a_stream_is_overloaded():
    payload = {
        "error": {"code": 529, "message": "Provider returned error"},
        "choices": [{"index": 0, "delta": {}, "finish_reason": "error"}],
    }

    assert classify(StreamFailure(payload)).kind is K.OVERLOADED
