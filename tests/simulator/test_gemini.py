"""Gemini's generateContent and streamGenerateContent as the simulator speaks them
(provider-facts §4)."""

from __future__ import annotations

from hotswap.testing import ContentFilter, PromptBlocked, Reply, ToolCall

HEADERS = {"x-goog-api-key": "AIza-test"}
GENERATE = "/v1beta/models/gemini-2.5-flash:generateContent"
STREAM = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
BODY = {
    "systemInstruction": {"parts": [{"text": "You are terse."}]},
    "contents": [{"role": "user", "parts": [{"text": "Weather in Oslo?"}]}],
}
IDENTITY = {"modelVersion": "gemini-2.5-flash", "responseId": "sim0001"}
USAGE = {"promptTokenCount": 6, "candidatesTokenCount": 4, "totalTokenCount": 10}


def test_generate_content_answers_with_one_candidate_and_usage(client):
    response = client.post(GENERATE, json=BODY, headers=HEADERS)

    assert response.status_code == 200
    assert response.json() == {
        "candidates": [
            {
                "content": {"parts": [{"text": "echo: Weather in Oslo?"}], "role": "model"},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": USAGE,
        **IDENTITY,
    }


def test_a_stream_is_crlf_sse_whose_last_event_has_finish_reason_and_usage(client, sse_crlf):
    response = client.post(STREAM, json=BODY, headers=HEADERS)

    assert response.headers["content-type"] == "text/event-stream"

    def text_event(text):
        candidate = {"content": {"parts": [{"text": text}], "role": "model"}, "index": 0}
        return (None, {"candidates": [candidate], **IDENTITY})

    last_candidate = {
        "content": {"parts": [{"text": "Oslo?"}], "role": "model"},
        "finishReason": "STOP",
        "index": 0,
    }
    assert sse_crlf(response.content) == [
        text_event("echo: "),
        text_event("Weather "),
        text_event("in "),
        (None, {"candidates": [last_candidate], "usageMetadata": USAGE, **IDENTITY}),
    ]
    assert b"[DONE]" not in response.content


def test_the_key_may_come_in_the_query_string(client):
    assert client.post(f"{GENERATE}?key=AIza-test", json=BODY).status_code == 200


def test_function_calls_arrive_whole_in_one_event(simulator, client, sse_crlf):
    call = ToolCall("get_weather", {"city": "Oslo"})
    simulator.script("gemini-2.5-flash", [Reply(text="", tool_calls=(call,))])

    [(_, event)] = sse_crlf(client.post(STREAM, json=BODY, headers=HEADERS).content)

    candidate = event["candidates"][0]
    assert candidate["content"]["parts"] == [
        {"functionCall": {"name": "get_weather", "args": {"city": "Oslo"}}}
    ]
    assert candidate["finishReason"] == "STOP"


def test_thought_parts_come_when_include_thoughts_is_set(client):
    config = {"thinkingConfig": {"includeThoughts": True, "thinkingBudget": 1024}}
    body = {**BODY, "generationConfig": config}

    answer = client.post(GENERATE, json=body, headers=HEADERS).json()

    assert answer["candidates"][0]["content"]["parts"] == [
        {"text": "thinking about: Weather in Oslo?", "thought": True},
        {"text": "echo: Weather in Oslo?"},
    ]
    assert answer["usageMetadata"]["thoughtsTokenCount"] == 5


def test_max_output_tokens_ends_with_max_tokens(client):
    body = {**BODY, "generationConfig": {"maxOutputTokens": 1}}

    candidate = client.post(GENERATE, json=body, headers=HEADERS).json()["candidates"][0]

    assert candidate["finishReason"] == "MAX_TOKENS"
    assert candidate["content"]["parts"] == [{"text": "echo:"}]


def test_a_content_filter_is_finish_reason_safety_with_no_content(simulator, client):
    simulator.script("*", [ContentFilter()])

    response = client.post(GENERATE, json=BODY, headers=HEADERS)

    assert response.status_code == 200
    [candidate] = response.json()["candidates"]
    assert candidate["finishReason"] == "SAFETY"
    assert "content" not in candidate
    blocked = {
        "category": "HARM_CATEGORY_DANGEROUS_CONTENT",
        "probability": "HIGH",
        "blocked": True,
    }
    assert blocked in candidate["safetyRatings"]


def test_a_blocked_prompt_has_prompt_feedback_and_no_candidates(simulator, client, sse_crlf):
    simulator.script("*", [PromptBlocked()])

    [(_, event)] = sse_crlf(client.post(STREAM, json=BODY, headers=HEADERS).content)

    assert "candidates" not in event
    assert event["promptFeedback"]["blockReason"] == "SAFETY"


# -- what the API refuses ---------------------------------------------------------------------


def test_no_key_is_403_permission_denied_for_unregistered_callers(client):
    response = client.post(GENERATE, json=BODY)

    assert response.status_code == 403
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (403, "PERMISSION_DENIED")
    assert error["message"].startswith("Method doesn't allow unregistered callers")


def test_a_key_that_is_not_accepted_is_400_api_key_invalid(simulator, client):
    simulator.accept_keys("gemini", "AIza-right")

    response = client.post(GENERATE, json=BODY, headers=HEADERS)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                    "metadata": {"service": "generativelanguage.googleapis.com"},
                }
            ],
        }
    }


def test_missing_contents_is_400_invalid_argument(client):
    response = client.post(GENERATE, json={}, headers=HEADERS)

    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert "contents is not specified" in response.json()["error"]["message"]


def test_the_model_is_taken_from_the_path(simulator, client):
    client.post("/v1beta/models/gemini-2.5-pro:generateContent", json=BODY, headers=HEADERS)

    assert simulator.requests[0].model == "gemini-2.5-pro"
    assert simulator.count("gemini-2.5-pro") == 1
