"""Any OpenAI-compatible server, over real HTTP against the simulator: the model's base URL,
no key unless asked for, extra headers and body fields from config, streams and errors."""

from __future__ import annotations

import pytest

from hotswap import AuthError, CredentialError, RateLimitedError, ServerError
from hotswap.plugin import ConfigError, UsageUpdate
from hotswap.testing import RateLimit, Reply, ServerFault, ToolCall, assemble, request


def test_no_key_is_sent_by_default(custom, simulator):
    # The simulator's OpenAI wants a bearer token, so it refuses: a server that needs one would.
    with pytest.raises(AuthError):
        custom.complete()

    [sent] = simulator.requests
    assert sent.path == "/v1/chat/completions"
    assert "authorization" not in sent.headers


def test_a_key_headers_and_options_from_config(custom, simulator, monkeypatch):
    monkeypatch.setenv("CUSTOM_API_KEY", "local-secret")
    configured = custom.configured(
        auth_type="api_key",
        headers={"X-Team": "search"},
        options={"top_k": 20, "chat_template_kwargs": {"enable_thinking": False}},
    )

    completion = configured.complete(request("hi there", max_tokens=8, thinking_level="high"))

    [sent] = simulator.requests
    assert (sent.headers["authorization"], sent.headers["x-team"]) == (
        "Bearer local-secret",
        "search",
    )
    assert sent.json() == {
        "model": "qwen2.5-7b",
        "messages": [{"role": "user", "content": "hi there"}],
        "max_tokens": 8,
        "top_k": 20,
        "chat_template_kwargs": {"enable_thinking": False},
    }
    assert completion.text == "echo: hi there"


def test_asking_for_a_key_that_is_nowhere_names_where_to_put_it(custom):
    with pytest.raises(CredentialError, match="CUSTOM_API_KEY"):
        custom.configured(auth_type="api_key").complete()


def test_a_model_without_a_base_url_is_a_config_error(custom):
    with pytest.raises(ConfigError, match="base_url"):
        custom.configured(base_url=None).complete()


@pytest.fixture
def keyed(custom, monkeypatch):
    monkeypatch.setenv("CUSTOM_API_KEY", "local-secret")
    return custom.configured(auth_type="api_key")


def test_a_streamed_tool_call_with_usage(keyed, simulator):
    arguments = {"sql": "select 1", "timeout_ms": 500}
    simulator.script("qwen2.5-7b", [Reply(text="", tool_calls=(ToolCall("query", arguments),))])

    events = keyed.stream(request("run it", tools=({"name": "query"},)))

    assert simulator.requests[0].json()["stream_options"] == {"include_usage": True}
    assert isinstance(events[-2], UsageUpdate)
    assert assemble(events).tool_calls[0].arguments == arguments


@pytest.mark.parametrize(
    ("fault", "error"),
    [(RateLimit(), RateLimitedError), (ServerFault(502, html=True), ServerError)],
)
def test_errors_are_classified_as_the_family_does(keyed, simulator, fault, error):
    simulator.script("qwen2.5-7b", [fault])

    with pytest.raises(error):
        keyed.complete()
