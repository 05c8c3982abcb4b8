"""Ollama's native chat API as the simulator speaks it (provider-facts §8); its OpenAI form is
the OpenAI dialect, checked here only for the path."""

from __future__ import annotations

import pytest

from hotswap.testing import ContentFilter, ContextTooLong, Reply, ToolCall

BODY = {"model": "llama3.2", "messages": [{"role": "user", "content": "Weather in Oslo?"}]}
COUNTS = {
    "total_duration": 44_000_000,
    "load_duration": 1_000_000,
    "prompt_eval_count": 3,
    "prompt_eval_duration": 3_000_000,
    "eval_count": 4,
    "eval_duration": 40_000_000,
}


def without_time(line):
    assert line.pop("created_at").endswith("Z")
    return line


def test_stream_false_answers_with_one_object_and_counts(client):
    response = client.post("/api/chat", json={**BODY, "stream": False})

    assert response.status_code == 200
    assert without_time(response.json()) == {
        "model": "llama3.2",
        "message": {"role": "assistant", "content": "echo: Weather in Oslo?"},
        "done": True,
        "done_reason": "stop",
        **COUNTS,
    }


def test_streaming_is_the_default_ndjson_ending_with_done(client, ndjson):
    response = client.post("/api/chat", json=BODY)

    assert response.headers["content-type"] == "application/x-ndjson"

    def line(content):
        message = {"role": "assistant", "content": content}
        return {"model": "llama3.2", "message": message, "done": False}

    assert [without_time(line) for line in ndjson(response.content)] == [
        line("echo: "),
        line("Weather "),
        line("in "),
        line("Oslo?"),
        {
            "model": "llama3.2",
            "message": {"role": "assistant", "content": ""},
            "done": True,
            "done_reason": "stop",
            **COUNTS,
        },
    ]


def test_tool_calls_arrive_whole_in_one_line_with_object_arguments(simulator, client, ndjson):
    call = ToolCall("get_weather", {"city": "Oslo"})
    simulator.script("llama3.2", [Reply(text="", tool_calls=(call,))])

    lines = ndjson(client.post("/api/chat", json=BODY).content)

    assert len(lines) == 2
    assert lines[0]["message"]["tool_calls"] == [
        {"function": {"index": 0, "name": "get_weather", "arguments": {"city": "Oslo"}}}
    ]
    assert lines[1]["done_reason"] == "stop"


def test_think_returns_message_thinking(client):
    answer = client.post("/api/chat", json={**BODY, "stream": False, "think": True}).json()

    assert answer["message"]["thinking"] == "thinking about: Weather in Oslo?"


def test_num_predict_ends_with_length(client):
    body = {**BODY, "stream": False, "options": {"num_predict": 1}}

    answer = client.post("/api/chat", json=body).json()

    assert (answer["message"]["content"], answer["done_reason"]) == ("echo:", "length")


def test_no_key_is_needed_locally(client):
    assert client.post("/api/chat", json={**BODY, "stream": False}).status_code == 200


def test_with_keys_configured_a_missing_or_wrong_bearer_is_401(simulator, client):
    simulator.accept_keys("ollama", "ollama-cloud-key")

    missing = client.post("/api/chat", json=BODY)
    key = {"authorization": "Bearer ollama-cloud-key"}
    right = client.post("/api/chat", json=BODY, headers=key)

    assert (missing.status_code, missing.json()) == (401, {"error": "unauthorized"})
    assert right.status_code == 200


def test_a_missing_model_is_400(client):
    response = client.post("/api/chat", json={"messages": BODY["messages"]})

    assert (response.status_code, response.json()) == (400, {"error": "model is required"})


def test_what_ollama_never_does_is_a_500_that_says_so(simulator, client):
    simulator.script("llama3.2", [ContentFilter(), ContextTooLong()])

    filtered = client.post("/api/chat", json=BODY)
    too_long = client.post("/api/chat", json=BODY)

    assert filtered.status_code == too_long.status_code == 500
    assert filtered.json() == {
        "error": "hotswap simulator: Ollama has no form for a content filter; "
        "the script asked for one"
    }
    assert "context_too_long" in too_long.json()["error"]


def test_the_openai_form_is_served_under_v1(client):
    body = {**BODY, "stream": False}

    headers = {"authorization": "Bearer ollama"}

    response = client.post("/v1/chat/completions", json=body, headers=headers)

    assert response.json()["choices"][0]["message"]["content"] == "echo: Weather in Oslo?"


# -- the models it has pulled -------------------------------------------------------------------


def test_a_model_that_is_not_pulled_is_404_try_pulling_it_first(simulator, client):
    simulator.serve_models("ollama", "qwen3:8b")

    response = client.post("/api/chat", json=BODY)

    assert (response.status_code, response.json()) == (
        404,
        {"error": 'model "llama3.2" not found, try pulling it first'},
    )
    assert simulator.count("llama3.2") == 1


def test_a_name_without_a_tag_means_latest(simulator, client):
    simulator.serve_models("ollama", "llama3.2:latest")

    assert client.post("/api/chat", json={**BODY, "stream": False}).status_code == 200


def test_api_tags_lists_the_pulled_models_with_their_tags(simulator, client):
    simulator.serve_models("ollama", "qwen3:8b", "llama3.2")

    response = client.get("/api/tags")

    assert response.status_code == 200
    models = response.json()["models"]
    assert [(m["name"], m["model"]) for m in models] == [
        ("llama3.2:latest", "llama3.2:latest"),
        ("qwen3:8b", "qwen3:8b"),
    ]
    assert models[1]["details"]["family"] == "qwen"
    assert len(models[1]["digest"]) == 64


def test_api_tags_lists_nothing_until_models_are_named(client):
    assert client.get("/api/tags").json() == {"models": []}


def test_only_gemini_and_ollama_can_refuse_a_model(simulator):
    with pytest.raises(ValueError, match="cannot refuse anthropic models yet; it can for gemini"):
        simulator.serve_models("anthropic", "claude-sonnet-4-5")


def test_reset_serves_every_model_again(simulator, client):
    simulator.serve_models("ollama", "qwen3:8b")
    simulator.reset()

    assert client.post("/api/chat", json={**BODY, "stream": False}).status_code == 200
