"""Gemini's generateContent and streamGenerateContent as the simulator speaks them
(provider-facts §4)."""

from __future__ import annotations

import pytest

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


# -- Gemini 3: thinking levels and thought signatures -------------------------------------------

GEMINI_3 = "/v1beta/models/gemini-3-flash-preview:generateContent"
GEMINI_3_STREAM = "/v1beta/models/gemini-3-flash-preview:streamGenerateContent?alt=sse"
SIGNATURE = "aG90c3dhcC1zaW11bGF0b3ItdGhvdWdodC0wMDAx"  # base64 of the first answer's thought


def test_parallel_function_calls_stream_one_per_event_the_first_signed(simulator, client, sse_crlf):
    calls = (ToolCall("get_weather", {"city": "Oslo"}), ToolCall("get_time", {"zone": "CET"}))
    simulator.script("gemini-3-flash-preview", [Reply(text="Checking.", tool_calls=calls)])

    events = sse_crlf(client.post(GEMINI_3_STREAM, json=BODY, headers=HEADERS).content)

    parts = [event["candidates"][0]["content"]["parts"] for _, event in events]
    assert parts[-2:] == [
        [
            {
                "functionCall": {"name": "get_weather", "args": {"city": "Oslo"}},
                "thoughtSignature": SIGNATURE,
            }
        ],
        [{"functionCall": {"name": "get_time", "args": {"zone": "CET"}}}],
    ]
    assert events[-1][1]["candidates"][0]["finishReason"] == "STOP"


def test_a_gemini_3_text_answer_signs_its_last_part(client):
    answer = client.post(GEMINI_3, json=BODY, headers=HEADERS).json()

    assert answer["candidates"][0]["content"]["parts"] == [
        {"text": "echo: Weather in Oslo?", "thoughtSignature": SIGNATURE}
    ]


def test_gemini_2_5_answers_are_not_signed(simulator, client):
    simulator.script("*", [Reply(tool_calls=(ToolCall("get_weather"),))])

    answer = client.post(GENERATE, json=BODY, headers=HEADERS).json()

    assert all("thoughtSignature" not in p for p in answer["candidates"][0]["content"]["parts"])


def _history(call_part):
    return {
        "contents": [
            *BODY["contents"],
            {"role": "model", "parts": [call_part]},
            {
                "role": "user",
                "parts": [{"functionResponse": {"name": "get_weather", "response": {}}}],
            },
        ]
    }


def test_gemini_3_refuses_an_unsigned_function_call_in_the_current_turn(client):
    unsigned = {"functionCall": {"name": "get_weather", "args": {}}}

    response = client.post(GEMINI_3, json=_history(unsigned), headers=HEADERS)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith(
        "Function call is missing a thought_signature in functionCall parts."
    )
    assert "`default_api:get_weather` , position 2" in error["message"]


@pytest.mark.parametrize("signature", [SIGNATURE, "skip_thought_signature_validator"])
def test_gemini_3_takes_a_signed_function_call_back(client, signature):
    signed = {"functionCall": {"name": "get_weather", "args": {}}, "thoughtSignature": signature}

    assert client.post(GEMINI_3, json=_history(signed), headers=HEADERS).status_code == 200


def test_unsigned_calls_of_earlier_turns_are_not_checked(client):
    body = _history({"functionCall": {"name": "get_weather", "args": {}}})
    body["contents"].append({"role": "user", "parts": [{"text": "And tomorrow?"}]})

    assert client.post(GEMINI_3, json=body, headers=HEADERS).status_code == 200


@pytest.mark.parametrize(
    ("path", "thinking", "refusal"),
    [
        (GENERATE, {"thinkingLevel": "LOW"}, "Thinking level is not supported"),
        (GEMINI_3, {"thinkingLevel": "LOW", "thinkingBudget": 1024}, "mutually exclusive"),
        (
            "/v1beta/models/gemini-3-pro-preview:generateContent",
            {"thinkingLevel": "MINIMAL"},
            "Thinking level MINIMAL is not supported",
        ),
        (
            "/v1beta/models/gemini-2.5-pro:generateContent",
            {"thinkingBudget": 0},
            "only works in thinking mode",
        ),
        (GENERATE, {"thinkingBudget": 30000}, "accepts 0 to 24576"),
        (
            "/v1beta/models/gemini-2.5-flash-lite:generateContent",
            {"thinkingBudget": 100},
            "accepts 0 or 512 to 24576",
        ),
    ],
)
def test_a_thinking_control_the_model_does_not_take_is_400(client, path, thinking, refusal):
    body = {**BODY, "generationConfig": {"thinkingConfig": thinking}}

    response = client.post(path, json=body, headers=HEADERS)

    assert response.status_code == 400
    assert refusal in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("model", "thinking"),
    [
        ("gemini-3-flash-preview", {"thinkingLevel": "minimal"}),
        ("gemini-3.1-pro-preview", {"thinkingLevel": "MEDIUM"}),
        ("gemini-2.5-flash", {"thinkingBudget": 0}),
        ("gemini-2.5-pro", {"thinkingBudget": -1}),
        ("gemini-2.5-flash-lite", {"thinkingBudget": 512}),
    ],
)
def test_a_thinking_control_the_model_takes_is_answered(client, model, thinking):
    body = {**BODY, "generationConfig": {"thinkingConfig": thinking}}

    response = client.post(f"/v1beta/models/{model}:generateContent", json=body, headers=HEADERS)

    assert response.status_code == 200


# -- the models it has --------------------------------------------------------------------------


def test_a_model_it_does_not_serve_is_404_not_found(simulator, client):
    simulator.serve_models("gemini", "gemini-2.5-pro")

    response = client.post(GENERATE, json=BODY, headers=HEADERS)

    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (404, "NOT_FOUND")
    assert error["message"].startswith(
        "models/gemini-2.5-flash is not found for API version v1beta"
    )


def test_the_model_list_names_the_served_models(simulator, client):
    simulator.serve_models("gemini", "gemini-2.5-pro", "gemini-2.5-flash")

    response = client.get("/v1beta/models", headers=HEADERS)

    assert response.status_code == 200
    models = response.json()["models"]
    assert [m["name"] for m in models] == ["models/gemini-2.5-flash", "models/gemini-2.5-pro"]
    assert (models[0]["inputTokenLimit"], models[0]["outputTokenLimit"]) == (1_048_576, 65_536)


def test_the_model_list_needs_a_key_too(client):
    assert client.get("/v1beta/models").status_code == 403
