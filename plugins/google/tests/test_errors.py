"""Gemini's google.rpc statuses and refusals as error kinds."""

from __future__ import annotations

import json

import pytest
from hotswap_google.errors import classify

from hotswap.plugin import ErrorKind, HttpResponse, StreamFailure, TransportFailure

RPC = "type.googleapis.com/google.rpc."


def status(code: int, name: str, message: str, *details: dict) -> HttpResponse:
    error = {"code": code, "message": message, "status": name}
    if details:
        error["details"] = list(details)
    return HttpResponse(code, {}, json.dumps({"error": error}).encode())


def quota(quota_id: str) -> dict:
    metric = "generativelanguage.googleapis.com/generate_content_free_tier_requests"
    return {
        "@type": RPC + "QuotaFailure",
        "violations": [{"quotaMetric": metric, "quotaId": quota_id}],
    }


def retry(delay: str) -> dict:
    return {"@type": RPC + "RetryInfo", "retryDelay": delay}


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        (400, "INVALID_ARGUMENT", ErrorKind.INVALID_REQUEST),
        (400, "FAILED_PRECONDITION", ErrorKind.PERMISSION),
        (401, "UNAUTHENTICATED", ErrorKind.AUTH),
        (403, "PERMISSION_DENIED", ErrorKind.PERMISSION),
        (404, "NOT_FOUND", ErrorKind.NOT_FOUND),
        (429, "RESOURCE_EXHAUSTED", ErrorKind.RATE_LIMITED),
        (499, "CANCELLED", ErrorKind.CONNECTION),
        (500, "INTERNAL", ErrorKind.SERVER_ERROR),
        (503, "UNAVAILABLE", ErrorKind.OVERLOADED),
        (504, "DEADLINE_EXCEEDED", ErrorKind.TIMEOUT),
    ],
)
def test_each_status_name_is_a_kind(code, name, kind):
    verdict = classify(status(code, name, "something"))

    assert (verdict.kind, verdict.message, verdict.code) == (kind, "something", name)


def test_without_a_status_name_the_http_status_decides():
    assert (
        classify(HttpResponse(502, {}, b"<html>Bad Gateway</html>")).kind is ErrorKind.SERVER_ERROR
    )


def test_a_rate_limit_waits_the_retry_delay():
    verdict = classify(
        status(
            429,
            "RESOURCE_EXHAUSTED",
            "Resource has been exhausted.",
            quota("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"),
            retry("37s"),
        )
    )

    assert (verdict.kind, verdict.retry_after) == (ErrorKind.RATE_LIMITED, 37.0)


@pytest.mark.parametrize(
    ("message", "details"),
    [
        (
            "You exceeded your current quota.",
            [quota("GenerateRequestsPerDayPerProjectPerModel-FreeTier"), retry("20s")],
        ),
        (
            "Quota exceeded for metric: generate_content_free_tier_requests, limit: 0, "
            "model: gemini-2.5-pro",
            [retry("5s")],
        ),
        ("You exceeded your current quota.", [retry("3600s")]),
    ],
)
def test_a_spent_quota_is_quota_exhausted(message, details):
    verdict = classify(status(429, "RESOURCE_EXHAUSTED", message, *details))

    assert verdict.kind is ErrorKind.QUOTA_EXHAUSTED


def test_used_up_prepaid_credit_is_quota_exhausted():
    assert classify(status(402, "RESOURCE_EXHAUSTED", "credits")).kind is ErrorKind.QUOTA_EXHAUSTED


def test_an_invalid_key_is_auth_whatever_its_status_says():
    info = {"@type": RPC + "ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}

    invalid = classify(
        status(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", info)
    )
    leaked = classify(status(403, "PERMISSION_DENIED", "Your API key was reported as leaked."))

    assert (invalid.kind, invalid.code) == (ErrorKind.AUTH, "API_KEY_INVALID")
    assert leaked.kind is ErrorKind.AUTH


def test_an_input_over_the_limit_is_context_length():
    message = (
        "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576)."
    )

    assert classify(status(400, "INVALID_ARGUMENT", message)).kind is ErrorKind.CONTEXT_LENGTH


def test_a_missing_thought_signature_is_invalid_request():
    message = "Function call is missing a thought_signature in functionCall parts."

    assert classify(status(400, "INVALID_ARGUMENT", message)).kind is ErrorKind.INVALID_REQUEST


def test_an_error_inside_a_stream_is_classified_by_its_status_name():
    payload = {
        "error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}
    }

    verdict = classify(StreamFailure(payload))

    assert (verdict.kind, verdict.message) == (ErrorKind.OVERLOADED, "The model is overloaded.")


@pytest.mark.parametrize("failure_type", ["response", "stream"])
def test_a_blocked_prompt_is_a_content_filter_naming_the_reason(failure_type):
    payload = {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT", "blockReasonMessage": "no"}}
    failure = (
        HttpResponse(200, {}, json.dumps(payload).encode())
        if failure_type == "response"
        else StreamFailure(payload)
    )

    verdict = classify(failure)

    assert verdict.kind is ErrorKind.CONTENT_FILTER
    assert verdict.message == "Gemini blocked the prompt (PROHIBITED_CONTENT): no"
    assert verdict.code == "PROHIBITED_CONTENT"


def test_a_broken_function_call_is_a_server_error_worth_another_try():
    payload = {
        "candidates": [{"finishReason": "MALFORMED_FUNCTION_CALL", "finishMessage": "bad JSON"}]
    }

    verdict = classify(HttpResponse(200, {}, json.dumps(payload).encode()))

    assert (verdict.kind, verdict.code) == (ErrorKind.SERVER_ERROR, "MALFORMED_FUNCTION_CALL")
    assert verdict.message == "Gemini ended the answer with MALFORMED_FUNCTION_CALL: bad JSON"


def test_transport_failures_are_the_core_s():
    assert classify(TransportFailure(ErrorKind.CONNECTION, "connect", "refused")) is None


def capacity() -> dict:
    return {
        "@type": RPC + "ErrorInfo",
        "reason": "MODEL_CAPACITY_EXHAUSTED",
        "domain": "cloudcode-pa.googleapis.com",
        "metadata": {"model": "gemini-2.5-pro"},
    }


@pytest.mark.parametrize(("code", "name"), [(429, "RESOURCE_EXHAUSTED"), (503, "UNAVAILABLE")])
def test_no_capacity_for_the_model_is_overloaded_not_a_rate_limit(code, name):
    message = "No capacity available for model gemini-2.5-pro on the server"

    verdict = classify(status(code, name, message, capacity()))

    assert (verdict.kind, verdict.code) == (ErrorKind.OVERLOADED, "MODEL_CAPACITY_EXHAUSTED")


def test_a_daily_quota_stays_quota_exhausted():
    message = "You exceeded your current quota."
    failure = status(
        429, "RESOURCE_EXHAUSTED", message, quota("GenerateRequestsPerDayPerProjectPerModel")
    )

    assert classify(failure).kind is ErrorKind.QUOTA_EXHAUSTED


def test_an_internal_error_saying_the_model_is_overloaded_is_overloaded():
    verdict = classify(status(500, "INTERNAL", "The model is overloaded. Please try again later."))

    assert verdict.kind is ErrorKind.OVERLOADED


def test_a_503_with_a_generic_status_name_is_overloaded():
    assert classify(status(503, "INTERNAL", "Internal error")).kind is ErrorKind.OVERLOADED


def test_a_500_internal_error_stays_a_server_error():
    message = "An internal error has occurred. Please retry or report in the troubleshooting guide."

    assert classify(status(500, "INTERNAL", message)).kind is ErrorKind.SERVER_ERROR


def test_an_error_inside_a_stream_numbered_503_without_a_status_name_is_overloaded():
    payload = {"error": {"code": 503, "message": "Service Unavailable"}}

    assert classify(StreamFailure(payload)).kind is ErrorKind.OVERLOADED


def test_a_gateway_timeout_is_a_timeout():
    assert classify(HttpResponse(504, {}, b"<html>Gateway Timeout</html>")).kind is (
        ErrorKind.TIMEOUT
    )
