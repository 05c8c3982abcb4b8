"""Error faults: each provider's own status, headers and body (provider-facts §1.4, §2.4, §4.4,
§8 and the tables of §12)."""

from __future__ import annotations

import pytest

from hotswap.testing import (
    ContextTooLong,
    Forbidden,
    Overloaded,
    QuotaExhausted,
    RateLimit,
    RawResponse,
    ServerFault,
    Unauthorized,
)


@pytest.fixture
def fail_with(simulator, client, request_for):
    """Script every model to fail once with ``fault``; return the provider's answer."""

    def send(provider, fault):
        simulator.script("*", [fault])
        path, body, headers = request_for(provider)
        return client.post(path, json=body, headers=headers)

    return send


# -- rate limits and quota ---------------------------------------------------------------------


def test_anthropic_rate_limit_is_429_with_retry_after_and_ratelimit_headers(fail_with):
    response = fail_with("anthropic", RateLimit(retry_after=2))

    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    for name in ("requests", "tokens", "input-tokens"):
        assert response.headers[f"anthropic-ratelimit-{name}-remaining"] == "0"
        assert response.headers[f"anthropic-ratelimit-{name}-reset"].endswith("Z")
    assert response.json()["type"] == "error"
    assert response.json()["error"]["type"] == "rate_limit_error"


def test_openai_rate_limit_is_429_rate_limit_exceeded_with_x_ratelimit_headers(fail_with):
    response = fail_with("openai", RateLimit(retry_after=1.5))

    assert response.status_code == 429
    assert response.headers["retry-after"] == "1.5"
    assert response.headers["x-ratelimit-remaining-requests"] == "0"
    assert response.headers["x-ratelimit-reset-requests"] == "1.5s"
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == (
        "requests",
        "rate_limit_exceeded",
        None,
    )
    assert "Please try again in 1.5s." in error["message"]


def test_openai_insufficient_quota_is_429_without_retry_after(fail_with):
    response = fail_with("openai", QuotaExhausted())

    assert response.status_code == 429
    assert "retry-after" not in response.headers
    error = response.json()["error"]
    assert error["type"] == error["code"] == "insufficient_quota"
    assert error["message"].startswith("You exceeded your current quota")


def test_anthropic_quota_exhausted_is_the_credit_balance_400(fail_with):
    response = fail_with("anthropic", QuotaExhausted())

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Your credit balance is too low")


def test_gemini_rate_limit_is_resource_exhausted_with_retry_info_and_a_per_minute_quota(fail_with):
    response = fail_with("gemini", RateLimit(retry_after=37))

    assert response.status_code == 429
    assert "retry-after" not in response.headers
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
    quota, retry = error["details"]
    assert quota["@type"] == "type.googleapis.com/google.rpc.QuotaFailure"
    assert "PerMinute" in quota["violations"][0]["quotaId"]
    assert retry == {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}


def test_gemini_quota_exhausted_is_resource_exhausted_on_a_per_day_quota(fail_with):
    error = fail_with("gemini", QuotaExhausted()).json()["error"]

    assert error["status"] == "RESOURCE_EXHAUSTED"
    assert "PerDay" in error["details"][0]["violations"][0]["quotaId"]


# -- every error fault, every provider -----------------------------------------------------------

EXPECTED = {
    # fault: {provider: (status, the provider's own error type, code or status)}
    "overloaded": {
        "anthropic": (529, "overloaded_error"),
        "openai": (503, "server_is_overloaded"),
        "gemini": (503, "UNAVAILABLE"),
        "ollama": (503, None),
    },
    "server_error": {
        "anthropic": (500, "api_error"),
        "openai": (500, "server_error"),
        "gemini": (500, "INTERNAL"),
        "ollama": (500, None),
    },
    "unauthorized": {
        "anthropic": (401, "authentication_error"),
        "openai": (401, "invalid_api_key"),
        "gemini": (400, "INVALID_ARGUMENT"),
        "ollama": (401, None),
    },
    "forbidden": {
        "anthropic": (403, "permission_error"),
        "openai": (403, "unsupported_country_region_territory"),
        "gemini": (403, "PERMISSION_DENIED"),
        "ollama": (403, None),
    },
    "context_too_long": {
        "anthropic": (400, "invalid_request_error"),
        "openai": (400, "context_length_exceeded"),
        "gemini": (400, "INVALID_ARGUMENT"),
        "ollama": (500, None),
    },
}
FAULTS = {
    "overloaded": Overloaded(),
    "server_error": ServerFault(),
    "unauthorized": Unauthorized(),
    "forbidden": Forbidden(),
    "context_too_long": ContextTooLong(),
}


def error_label(provider, body):
    """The provider's own name for the error: Anthropic's type, OpenAI's code (else type),
    Gemini's status; Ollama has only a message."""
    if provider == "anthropic":
        return body["error"]["type"]
    if provider == "openai":
        return body["error"]["code"] or body["error"]["type"]
    if provider == "gemini":
        return body["error"]["status"]
    assert isinstance(body["error"], str)
    return None


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_each_error_fault_has_the_providers_status_and_shape(fail_with, provider, name):
    response = fail_with(provider, FAULTS[name])

    expected = EXPECTED[name][provider]
    assert (response.status_code, error_label(provider, response.json())) == expected


def test_context_too_long_messages_are_the_providers_own(fail_with):
    anthropic = fail_with("anthropic", ContextTooLong()).json()["error"]["message"]
    openai = fail_with("openai", ContextTooLong()).json()["error"]["message"]
    gemini = fail_with("gemini", ContextTooLong()).json()["error"]["message"]

    assert anthropic == "prompt is too long: 200003 tokens > 200000 maximum"
    assert openai.startswith("This model's maximum context length is 128000 tokens.")
    assert gemini.startswith("The input token count (1048579) exceeds the maximum")


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_can_be_a_load_balancers_html_page(fail_with, provider, status):
    response = fail_with(provider, ServerFault(status=status, html=True))

    assert response.status_code == status
    assert response.headers["content-type"] == "text/html"
    assert response.text.startswith(f"<html>\r\n<head><title>{status} ")


def test_a_server_error_takes_any_5xx_status(fail_with):
    assert (
        fail_with("anthropic", ServerFault(status=504)).json()["error"]["type"] == "timeout_error"
    )
    assert (
        fail_with("gemini", ServerFault(status=504)).json()["error"]["status"]
        == "DEADLINE_EXCEEDED"
    )
    with pytest.raises(ValueError, match="500 to 599"):
        ServerFault(status=404)


def test_a_raw_response_is_sent_verbatim(fail_with):
    xai = RawResponse(
        400,
        '{"code":"invalid-argument","error":"Incorrect API key provided: xa***yz."}',
        headers={"x-trace": "abc"},
    )

    response = fail_with("openai", xai)

    assert response.status_code == 400
    assert response.headers["x-trace"] == "abc"
    assert response.content == xai.body.encode()
