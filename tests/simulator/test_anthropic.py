"""The Anthropic Messages API as the simulator speaks it (provider-facts §1), byte for byte."""

from __future__ import annotations

import pytest

from hotswap.testing import ContentFilter, Reply, ToolCall

HEADERS = {"x-api-key": "sk-ant-api03-test", "anthropic-version": "2023-06-01"}
BODY = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 100,
    "system": "Be terse.",
    "messages": [{"role": "user", "content": "Weather in Oslo?"}],
}
USAGE_IN = {"input_tokens": 5, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}


def error_body(kind, message, ordinal=1):
    return {
        "type": "error",
        "error": {"type": kind, "message": message},
        "request_id": f"req_sim{ordinal:04d}",
    }


def test_a_message_is_echoed_with_word_counts_as_usage(client):
    response = client.post("/v1/messages", json=BODY, headers=HEADERS)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["request-id"] == "req_sim0001"
    assert response.content == (
        b'{"id":"msg_sim0001","type":"message","role":"assistant","model":"claude-sonnet-4-5",'
        b'"content":[{"type":"text","text":"echo: Weather in Oslo?"}],"stop_reason":"end_turn",'
        b'"stop_sequence":null,"usage":{"input_tokens":5,"cache_creation_input_tokens":0,'
        b'"cache_read_input_tokens":0,"output_tokens":4}}'
    )


def test_a_stream_sends_every_event_in_order_and_ends_with_message_stop(client, sse):
    response = client.post("/v1/messages", json={**BODY, "stream": True}, headers=HEADERS)

    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    start = {
        "id": "msg_sim0001",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {**USAGE_IN, "output_tokens": 1},
    }
    delta = {"type": "content_block_delta", "index": 0}
    assert sse(response.content) == [
        ("message_start", {"type": "message_start", "message": start}),
        (
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
        ("ping", {"type": "ping"}),
        ("content_block_delta", {**delta, "delta": {"type": "text_delta", "text": "echo: "}}),
        ("content_block_delta", {**delta, "delta": {"type": "text_delta", "text": "Weather "}}),
        ("content_block_delta", {**delta, "delta": {"type": "text_delta", "text": "in "}}),
        ("content_block_delta", {**delta, "delta": {"type": "text_delta", "text": "Oslo?"}}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        (
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 4},
            },
        ),
        ("message_stop", {"type": "message_stop"}),
    ]
    assert response.content.endswith(b'event: message_stop\ndata: {"type":"message_stop"}\n\n')


def test_a_tool_call_streams_its_input_as_json_fragments(simulator, client, sse):
    call = ToolCall("get_weather", {"city": "Oslo", "unit": "celsius"})
    simulator.script("claude-sonnet-4-5", [Reply(text="", tool_calls=(call,))])

    response = client.post("/v1/messages", json={**BODY, "stream": True}, headers=HEADERS)

    events = [data for _, data in sse(response.content)]
    assert events[1] == {
        "type": "content_block_start",
        "index": 0,
        "content_block": {
            "type": "tool_use",
            "id": "toolu_sim1_0",
            "name": "get_weather",
            "input": {},
        },
    }
    fragments = [e["delta"]["partial_json"] for e in events if e["type"] == "content_block_delta"]
    assert len(fragments) > 2
    assert "".join(fragments) == '{"city":"Oslo","unit":"celsius"}'
    assert events[-2]["delta"]["stop_reason"] == "tool_use"


def test_a_tool_call_without_streaming_is_a_tool_use_block(simulator, client):
    call = ToolCall("get_weather", {"city": "Oslo"}, id="toolu_01A")
    simulator.script("claude-sonnet-4-5", [Reply(tool_calls=(call,))])

    body = client.post("/v1/messages", json=BODY, headers=HEADERS).json()

    assert body["content"] == [
        {"type": "text", "text": "echo: Weather in Oslo?"},
        {"type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": {"city": "Oslo"}},
    ]
    assert body["stop_reason"] == "tool_use"


def test_thinking_is_sent_first_with_its_signature_when_requested(client, sse):
    thinking = {"type": "enabled", "budget_tokens": 1024}
    body = {**BODY, "max_tokens": 2048, "thinking": thinking, "stream": True}

    events = [
        data for _, data in sse(client.post("/v1/messages", json=body, headers=HEADERS).content)
    ]

    assert events[1]["content_block"] == {"type": "thinking", "thinking": "", "signature": ""}
    deltas = [e["delta"] for e in events if e["type"] == "content_block_delta" and e["index"] == 0]
    assert "".join(d.get("thinking", "") for d in deltas) == "thinking about: Weather in Oslo?"
    assert deltas[-1]["type"] == "signature_delta"
    assert events[events.index({"type": "content_block_stop", "index": 0}) + 1][
        "content_block"
    ] == {
        "type": "text",
        "text": "",
    }


def test_adaptive_thinking_is_returned_in_a_whole_message_too(simulator, client):
    simulator.script("*", [Reply(thinking="Oslo is in Norway.")])
    body = {**BODY, "thinking": {"type": "adaptive"}}

    content = client.post("/v1/messages", json=body, headers=HEADERS).json()["content"]

    assert content[0]["type"] == "thinking"
    assert content[0]["thinking"] == "Oslo is in Norway."
    assert content[0]["signature"]


def test_max_tokens_cuts_the_answer_and_says_so(client):
    body = client.post("/v1/messages", json={**BODY, "max_tokens": 2}, headers=HEADERS).json()

    assert body["content"] == [{"type": "text", "text": "echo: Weather"}]
    assert body["stop_reason"] == "max_tokens"


def test_a_content_filter_is_a_refusal_with_status_200(simulator, client):
    simulator.script("*", [ContentFilter()])

    response = client.post("/v1/messages", json=BODY, headers=HEADERS)

    assert response.status_code == 200
    assert response.json()["stop_reason"] == "refusal"
    assert response.json()["content"] == []


# -- what the API refuses ---------------------------------------------------------------------


def test_a_missing_key_is_401_authentication_error(client):
    response = client.post("/v1/messages", json=BODY, headers={"anthropic-version": "2023-06-01"})

    assert response.status_code == 401
    assert response.json() == error_body("authentication_error", "x-api-key header is required")


def test_a_key_that_is_not_accepted_is_401_invalid_x_api_key(simulator, client):
    simulator.accept_keys("anthropic", "sk-ant-api03-right")

    response = client.post("/v1/messages", json=BODY, headers=HEADERS)

    assert response.status_code == 401
    assert response.json() == error_body("authentication_error", "invalid x-api-key")


def test_an_oauth_token_without_the_oauth_beta_is_refused(client):
    headers = {"authorization": "Bearer sk-ant-oat01-token", "anthropic-version": "2023-06-01"}

    response = client.post("/v1/messages", json=BODY, headers=headers)

    assert response.status_code == 401
    assert response.json() == error_body(
        "authentication_error", "OAuth authentication is currently not supported."
    )


def test_an_oauth_token_with_the_oauth_beta_is_served(client):
    headers = {
        "authorization": "Bearer sk-ant-oat01-token",
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "claude-code-20250219,oauth-2025-04-20",
    }

    assert client.post("/v1/messages", json=BODY, headers=headers).status_code == 200


def test_an_oauth_token_sent_as_an_api_key_is_refused(client):
    headers = {"x-api-key": "sk-ant-oat01-token", "anthropic-version": "2023-06-01"}

    response = client.post("/v1/messages", json=BODY, headers=headers)

    assert response.status_code == 401
    assert response.json()["error"]["message"] == "invalid x-api-key"


def test_a_missing_anthropic_version_is_400(client):
    response = client.post("/v1/messages", json=BODY, headers={"x-api-key": "sk-ant-api03-test"})

    assert response.status_code == 400
    assert response.json() == error_body(
        "invalid_request_error", "anthropic-version: header is required"
    )


@pytest.mark.parametrize("field", ["model", "max_tokens", "messages"])
def test_a_missing_required_field_is_400_invalid_request_error(client, field):
    body = {key: value for key, value in BODY.items() if key != field}

    response = client.post("/v1/messages", json=body, headers=HEADERS)

    assert response.status_code == 400
    assert response.json() == error_body("invalid_request_error", f"{field}: Field required")


def test_a_thinking_budget_under_1024_is_400(client):
    body = {**BODY, "thinking": {"type": "enabled", "budget_tokens": 500}}

    response = client.post("/v1/messages", json=body, headers=HEADERS)

    assert response.status_code == 400
    assert "budget_tokens" in response.json()["error"]["message"]


def test_a_body_that_is_not_json_is_400(client):
    response = client.post("/v1/messages", content=b"{not json", headers=HEADERS)

    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
