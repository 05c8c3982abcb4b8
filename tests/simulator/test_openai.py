"""OpenAI chat completions as the simulator speaks it (provider-facts §2), for OpenAI and every
OpenAI-compatible provider."""

from __future__ import annotations

import pytest

from hotswap.testing import ContentFilter, Reply, ToolCall

HEADERS = {"authorization": "Bearer sk-test"}
BODY = {
    "model": "gpt-4.1",
    "messages": [
        {"role": "system", "content": "You are terse."},
        {"role": "user", "content": "Weather in Oslo?"},
    ],
}


def chunk_body(delta, finish=None, **extra):
    """A chunk as the simulator sends it, without the fields that vary (``created``)."""
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    envelope = {"id": "chatcmpl-sim0001", "object": "chat.completion.chunk", "model": "gpt-4.1"}
    return {**envelope, "choices": [choice], **extra}


def without_created(event):
    _, data = event
    if isinstance(data, dict):
        assert isinstance(data.pop("created"), int)
    return data


def test_a_completion_is_echoed_with_usage(client):
    response = client.post("/v1/chat/completions", json=BODY, headers=HEADERS)

    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req_sim0001"
    body = response.json()
    assert isinstance(body.pop("created"), int)
    assert body == {
        "id": "chatcmpl-sim0001",
        "object": "chat.completion",
        "model": "gpt-4.1",
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "echo: Weather in Oslo?",
                    "refusal": None,
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 6, "completion_tokens": 4, "total_tokens": 10},
    }


def test_a_stream_ends_with_done_and_carries_no_usage_unless_asked(client, sse):
    response = client.post("/v1/chat/completions", json={**BODY, "stream": True}, headers=HEADERS)

    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.content.endswith(b"\n\ndata: [DONE]\n\n")
    assert [without_created(e) for e in sse(response.content)] == [
        chunk_body({"role": "assistant", "content": ""}),
        chunk_body({"content": "echo: "}),
        chunk_body({"content": "Weather "}),
        chunk_body({"content": "in "}),
        chunk_body({"content": "Oslo?"}),
        chunk_body({}, "stop"),
        "[DONE]",
    ]


def test_include_usage_adds_a_last_chunk_with_no_choices(client, sse):
    body = {**BODY, "stream": True, "stream_options": {"include_usage": True}}

    response = client.post("/v1/chat/completions", json=body, headers=HEADERS)

    events = [without_created(e) for e in sse(response.content)]

    assert all(event["usage"] is None for event in events[:-2])
    assert events[-2] == {
        "id": "chatcmpl-sim0001",
        "object": "chat.completion.chunk",
        "model": "gpt-4.1",
        "choices": [],
        "usage": {"prompt_tokens": 6, "completion_tokens": 4, "total_tokens": 10},
    }
    assert events[-1] == "[DONE]"


def test_tool_call_deltas_give_id_and_name_first_then_argument_fragments(simulator, client, sse):
    call = ToolCall("get_weather", {"city": "Oslo", "unit": "celsius"})
    simulator.script("gpt-4.1", [Reply(text="", tool_calls=(call,))])

    response = client.post("/v1/chat/completions", json={**BODY, "stream": True}, headers=HEADERS)

    deltas = [without_created(e)["choices"][0]["delta"] for e in sse(response.content)[:-1]]
    calls = [d["tool_calls"][0] for d in deltas if "tool_calls" in d]
    assert calls[0] == {
        "index": 0,
        "id": "call_sim1_0",
        "type": "function",
        "function": {"name": "get_weather", "arguments": ""},
    }
    assert all(c.keys() == {"index", "function"} for c in calls[1:])
    assert len(calls) > 3
    assert "".join(c["function"]["arguments"] for c in calls) == '{"city":"Oslo","unit":"celsius"}'
    assert without_created(sse(response.content)[-2])["choices"][0]["finish_reason"] == "tool_calls"


def test_a_whole_tool_call_has_a_json_string_of_arguments_and_no_content(simulator, client):
    simulator.script("*", [Reply(text="", tool_calls=(ToolCall("get_weather", {"city": "Oslo"}),))])

    message = client.post("/v1/chat/completions", json=BODY, headers=HEADERS).json()

    assert message["choices"][0]["message"]["content"] is None
    assert message["choices"][0]["message"]["tool_calls"] == [
        {
            "id": "call_sim1_0",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city":"Oslo"}'},
        }
    ]
    assert message["choices"][0]["finish_reason"] == "tool_calls"


def test_reasoning_comes_back_when_asked_for_as_compatible_servers_send_it(client):
    body = {**BODY, "reasoning_effort": "low"}

    message = client.post("/v1/chat/completions", json=body, headers=HEADERS).json()

    assert message["choices"][0]["message"]["reasoning"] == "thinking about: Weather in Oslo?"
    assert message["usage"]["completion_tokens_details"] == {"reasoning_tokens": 5}


def test_max_completion_tokens_ends_with_length(client):
    body = {**BODY, "max_completion_tokens": 1}

    choice = client.post("/v1/chat/completions", json=body, headers=HEADERS).json()["choices"][0]

    assert choice["message"]["content"] == "echo:"
    assert choice["finish_reason"] == "length"


def test_a_content_filter_is_finish_reason_content_filter(simulator, client):
    simulator.script("*", [ContentFilter()])

    response = client.post("/v1/chat/completions", json=BODY, headers=HEADERS)

    assert response.status_code == 200
    assert response.json()["choices"][0]["finish_reason"] == "content_filter"


@pytest.mark.parametrize(
    "prefix",
    ["/v1", "/openai/v1", "/api/v1", "/v1beta/openai"],
    ids=["openai", "groq", "openrouter", "gemini-compat"],
)
def test_every_compatible_providers_path_is_served(client, prefix):
    response = client.post(f"{prefix}/chat/completions", json=BODY, headers=HEADERS)

    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"] == "echo: Weather in Oslo?"


# -- what the API refuses ---------------------------------------------------------------------


def test_a_missing_bearer_token_is_401_in_openais_shape(client):
    response = client.post("/v1/chat/completions", json=BODY)

    assert response.status_code == 401
    error = response.json()["error"]
    assert error["message"].startswith("You didn't provide an API key.")
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", None, None)


def test_a_key_that_is_not_accepted_is_401_invalid_api_key(simulator, client):
    simulator.accept_keys("openai", "sk-right-key")

    wrong = {"authorization": "Bearer sk-wrong-key-1234"}

    response = client.post("/v1/chat/completions", json=BODY, headers=wrong)

    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "invalid_api_key"
    assert error["message"].startswith("Incorrect API key provided: sk-********1234.")


def test_missing_messages_is_400_missing_required_parameter(client):
    response = client.post("/v1/chat/completions", json={"model": "gpt-4.1"}, headers=HEADERS)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "message": "Missing required parameter: 'messages'.",
            "type": "invalid_request_error",
            "param": "messages",
            "code": "missing_required_parameter",
        }
    }


def test_a_missing_model_is_400(client):
    body = {"messages": BODY["messages"]}

    response = client.post("/v1/chat/completions", json=body, headers=HEADERS)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "you must provide a model parameter"
