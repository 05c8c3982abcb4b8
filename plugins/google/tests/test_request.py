"""The generateContent body: contents and parts, system instruction, tools, tool choice,
thought signatures going back, and the model's options merged in."""

from __future__ import annotations

from hotswap_google.request import build_body

from hotswap.plugin import (
    CompletionOptions,
    CompletionRequest,
    ImagePart,
    Message,
    ThinkingPart,
    ToolCall,
    ToolDefinition,
)

HI = (Message.user("hi there"),)
WEATHER = ToolDefinition(
    name="get_weather",
    description="Current weather",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
)


def body(messages=HI, *, model_id="gemini-2.5-flash", extra=None, **options):
    request = CompletionRequest(messages=messages, options=CompletionOptions(**options))
    return build_body(model_id, request, output_limit=65536, extra=extra or {})


def signed_call(call_id="call_0", signature="c2lnLTE=", model_id="gemini-3-flash-preview"):
    extra = {"thoughtSignature": signature, "thoughtSignatureModel": model_id}
    return ToolCall(id=call_id, name="get_weather", arguments={"city": "Oslo"}, extra=extra)


def test_a_plain_request_is_one_user_content():
    assert body() == {"contents": [{"role": "user", "parts": [{"text": "hi there"}]}]}


def test_system_messages_become_the_system_instruction():
    sent = body((Message.system("You are terse."), Message.system("Metric units."), *HI))

    assert sent["systemInstruction"] == {
        "parts": [{"text": "You are terse."}, {"text": "Metric units."}]
    }
    assert sent["contents"] == [{"role": "user", "parts": [{"text": "hi there"}]}]


def test_sampling_and_limits_go_into_generation_config():
    sent = body(max_tokens=100, temperature=0.3, top_p=0.9, stop=("END",))

    assert sent["generationConfig"] == {
        "maxOutputTokens": 100,
        "temperature": 0.3,
        "topP": 0.9,
        "stopSequences": ["END"],
    }


def test_images_go_inline_or_by_uri():
    message = Message.user(
        "compare",
        ImagePart(media_type="image/jpeg", data="/9j/4AAQ"),
        ImagePart(media_type="image/png", url="https://example.org/cat.png"),
    )

    assert body((message,))["contents"][0]["parts"] == [
        {"text": "compare"},
        {"inlineData": {"mimeType": "image/jpeg", "data": "/9j/4AAQ"}},
        {"fileData": {"mimeType": "image/png", "fileUri": "https://example.org/cat.png"}},
    ]


def test_tools_are_function_declarations_with_their_json_schema_as_written():
    sent = body(tools=(WEATHER,))

    assert sent["tools"] == [
        {
            "functionDeclarations": [
                {
                    "name": "get_weather",
                    "description": "Current weather",
                    "parametersJsonSchema": WEATHER.parameters,
                }
            ]
        }
    ]
    assert "toolConfig" not in sent


def test_tool_choice_is_the_function_calling_mode():
    def mode(choice):
        return body(tools=(WEATHER,), tool_choice=choice)["toolConfig"]["functionCallingConfig"]

    assert mode("auto") == {"mode": "AUTO"}
    assert mode("none") == {"mode": "NONE"}
    assert mode("required") == {"mode": "ANY"}
    assert mode({"name": "get_weather"}) == {
        "mode": "ANY",
        "allowedFunctionNames": ["get_weather"],
    }


def test_a_tool_round_trip_keeps_the_call_s_signature_and_names_the_response():
    messages = (
        Message.user("Weather in Oslo and Bergen?"),
        Message.assistant(
            tool_calls=(signed_call("call_0"), ToolCall(id="call_1", name="get_weather")),
        ),
        Message.tool_result("call_0", "18C"),
        Message.tool_result("call_1", "no such city", is_error=True),
    )

    sent = body(messages, model_id="gemini-3-flash-preview")

    assert sent["contents"][1:] == [
        {
            "role": "model",
            "parts": [
                {
                    "functionCall": {"name": "get_weather", "args": {"city": "Oslo"}},
                    "thoughtSignature": "c2lnLTE=",
                },
                {"functionCall": {"name": "get_weather", "args": {}}},
            ],
        },
        {
            "role": "user",
            "parts": [
                {"functionResponse": {"name": "get_weather", "response": {"output": "18C"}}},
                {
                    "functionResponse": {
                        "name": "get_weather",
                        "response": {"error": "no such city"},
                    }
                },
            ],
        },
    ]


def test_a_call_id_gemini_gave_goes_back_on_the_call_and_its_response():
    call = ToolCall(id="fc-1", name="get_weather", extra={"functionCallId": "fc-1"})
    messages = (*HI, Message.assistant(tool_calls=(call,)), Message.tool_result("fc-1", "18C"))

    contents = body(messages)["contents"]

    assert contents[1]["parts"][0]["functionCall"]["id"] == "fc-1"
    assert contents[2]["parts"][0]["functionResponse"]["id"] == "fc-1"


def test_an_id_gemini_did_not_give_is_not_sent():
    call = ToolCall(id="toolu_01", name="get_weather")
    messages = (*HI, Message.assistant(tool_calls=(call,)), Message.tool_result("toolu_01", "x"))

    contents = body(messages)["contents"]

    assert "id" not in contents[1]["parts"][0]["functionCall"]
    assert "id" not in contents[2]["parts"][0]["functionResponse"]


def test_a_signature_goes_only_to_the_model_that_made_it():
    messages = (*HI, Message.assistant(tool_calls=(signed_call(model_id="gemini-2.5-pro"),)))

    part = body(messages, model_id="gemini-2.5-flash")["contents"][1]["parts"][0]

    assert "thoughtSignature" not in part


def test_gemini_3_gets_the_documented_skip_signature_for_unsigned_calls_of_this_turn():
    calls = (ToolCall(id="toolu_01", name="a"), ToolCall(id="toolu_02", name="b"))
    messages = (
        *HI,
        Message.assistant(tool_calls=calls),
        Message.tool_result("toolu_01", "1"),
        Message.tool_result("toolu_02", "2"),
    )

    parts = body(messages, model_id="gemini-3-flash-preview")["contents"][1]["parts"]

    assert parts[0]["thoughtSignature"] == "skip_thought_signature_validator"
    assert "thoughtSignature" not in parts[1]


def test_unsigned_calls_of_earlier_turns_and_of_gemini_2_5_are_sent_as_they_are():
    history = (
        *HI,
        Message.assistant(tool_calls=(ToolCall(id="t1", name="a"),)),
        Message.tool_result("t1", "1"),
    )

    earlier = body((*history, Message.user("next")), model_id="gemini-3-flash-preview")
    older_model = body(history, model_id="gemini-2.5-flash")

    assert "thoughtSignature" not in earlier["contents"][1]["parts"][0]
    assert "thoughtSignature" not in older_model["contents"][1]["parts"][0]


def test_thoughts_go_back_signed_and_a_text_signature_goes_back_on_the_text():
    reply = Message(
        role="assistant",
        content=(
            ThinkingPart(text="Let me think.", signature="dGhvdWdodA==", provider="google"),
            ThinkingPart(signature="dGV4dA==", provider="google"),
            ThinkingPart(text="unsigned summary", provider="google"),
            ThinkingPart(text="claude's", signature="c2ln", provider="anthropic"),
            {"type": "text", "text": "It is 18C."},
        ),
    )

    parts = body((*HI, reply, Message.user("thanks")))["contents"][1]["parts"]

    assert parts == [
        {"text": "Let me think.", "thought": True, "thoughtSignature": "dGhvdWdodA=="},
        {"text": "It is 18C.", "thoughtSignature": "dGV4dA=="},
    ]


def test_model_options_are_merged_in_tables_and_all():
    safety = [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}]
    extra = {"safetySettings": safety, "generationConfig": {"topK": 40, "seed": 7}}

    sent = body(extra=extra, max_tokens=64)

    assert sent["safetySettings"] == safety
    assert sent["generationConfig"] == {"maxOutputTokens": 64, "topK": 40, "seed": 7}


def test_thinking_goes_into_generation_config():
    sent = body(model_id="gemini-3-flash-preview", thinking_level="low")

    assert sent["generationConfig"] == {
        "thinkingConfig": {"thinkingLevel": "LOW", "includeThoughts": True}
    }
