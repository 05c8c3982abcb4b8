"""hotswap's request as the body of ``generateContent`` / ``streamGenerateContent``.

System messages become ``systemInstruction``; user turns ``user`` contents of ``text``,
``inlineData`` (base64 images) and ``fileData`` (images by URI) parts; assistant turns ``model``
contents; consecutive tool results one ``user`` content of ``functionResponse`` parts, each
named after the call it answers, its text under ``output`` (``error`` when the tool failed).
Tools are ``functionDeclarations`` with their JSON schema as ``parametersJsonSchema``, which
takes JSON Schema as written; ``tool_choice`` is ``functionCallingConfig.mode`` (``AUTO``,
``NONE``, ``ANY``, with ``allowedFunctionNames`` for a named tool).

Thought signatures go back as they came: a function call's on its part, from
``ToolCall.extra``, but only to the model that signed it (another model refuses a signature it
did not make); a thought's on its thought part; one that came on the answer's text on the text.
Gemini 3 refuses a model turn of the current exchange whose function calls carry no signature
at all (calls another provider made, or another model signed), so their first call gets the
signature Google documents for that case, ``skip_thought_signature_validator``. Thinking from
any other provider is dropped.

The model's options, then the request's extra fields, are merged into the body last, tables
into tables: ``safetySettings``, or ``generationConfig = { topK = 40 }``, are sent as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hotswap.plugin import ImagePart, NamedToolChoice, TextPart, ThinkingPart
from hotswap_google.provider import PROVIDER, generation
from hotswap_google.thinking import generation_fields

if TYPE_CHECKING:
    from hotswap.plugin import CompletionRequest, Message, ToolCall, ToolChoice, ToolDefinition

SIGNATURE = "thoughtSignature"
SIGNED_BY = "thoughtSignatureModel"
CALL_ID = "functionCallId"
"""The keys this plugin keeps in ``ToolCall.extra``: a call's signature, the model that made
it, and the id Gemini gave the call (sent back only when Gemini gave one)."""

SKIP_SIGNATURE = "skip_thought_signature_validator"

_ROLES = {"user": "user", "assistant": "model"}


def build_body(
    model_id: str,
    request: CompletionRequest,
    *,
    output_limit: int | None,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    """The JSON body for ``request``; ``extra`` is merged in last (see the module docstring)."""
    options = request.options
    system, contents = convert_messages(request.messages, model_id)
    body: dict[str, Any] = {"contents": contents}
    if system:
        body["systemInstruction"] = {"parts": [{"text": text} for text in system]}
    if options.tools:
        body["tools"] = [{"functionDeclarations": [_declaration(t) for t in options.tools]}]
    if options.tool_choice is not None:
        body["toolConfig"] = {"functionCallingConfig": _calling(options.tool_choice)}
    config = generation_fields(options.thinking_level, options.max_tokens, model_id, output_limit)
    if options.temperature is not None:
        config["temperature"] = options.temperature
    if options.top_p is not None:
        config["topP"] = options.top_p
    if options.stop:
        config["stopSequences"] = list(options.stop)
    if config:
        body["generationConfig"] = config
    _merge(body, extra)
    return body


def convert_messages(
    messages: tuple[Message, ...], model_id: str
) -> tuple[list[str], list[dict[str, Any]]]:
    """The system texts and the ``contents``."""
    system: list[str] = []
    contents: list[dict[str, Any]] = []
    calls: dict[str, ToolCall] = {}
    current = _current_turn(messages)
    for index, message in enumerate(messages):
        text = message.plain_text
        if text and message.role != "system":
            contents.append({"role": _ROLES[message.role], "parts": [{"text": text}]})
        elif message.role == "system":
            system.append(message.text)
        elif message.role == "tool":
            part = _function_response(message, calls.get(message.tool_call_id or ""))
            if contents and contents[-1]["role"] == "user" and _answers(contents[-1]):
                contents[-1]["parts"].append(part)
            else:
                contents.append({"role": "user", "parts": [part]})
        elif message.role == "assistant":
            calls.update((call.id, call) for call in message.tool_calls)
            parts = _model_parts(message, model_id, unsigned_ok=index < current)
            if parts:
                contents.append({"role": "model", "parts": parts})
        else:
            given = [_user_part(item) for item in message.content]
            if any(given):
                contents.append({"role": "user", "parts": [p for p in given if p]})
    return system, contents


def _current_turn(messages: tuple[Message, ...]) -> int:
    """Where the current exchange starts: after the last user message (Gemini checks the
    signatures of this exchange's function calls only)."""
    for index in range(len(messages) - 1, -1, -1):  # from the end, where it usually is
        if messages[index].role == "user":
            return index + 1
    return 0


def _answers(content: dict[str, Any]) -> bool:
    return all("functionResponse" in part for part in content["parts"])


def _user_part(item: object) -> dict[str, Any] | None:
    if isinstance(item, TextPart):
        return {"text": item.text} if item.text else None
    if isinstance(item, ImagePart):
        if item.data is not None:
            return {"inlineData": {"mimeType": item.media_type, "data": item.data}}
        return {"fileData": {"mimeType": item.media_type, "fileUri": item.url}}
    return None


def _model_parts(message: Message, model_id: str, *, unsigned_ok: bool) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    text_signature: str | None = None
    for item in message.content:
        if isinstance(item, ThinkingPart):
            if item.provider not in (None, PROVIDER) or not item.signature:
                continue  # unsigned thought text means nothing to Gemini
            if item.text:
                parts.append({"text": item.text, "thought": True, SIGNATURE: item.signature})
            else:
                text_signature = item.signature
        elif (part := _user_part(item)) is not None:
            if text_signature and "text" in part:
                part[SIGNATURE], text_signature = text_signature, None
            parts.append(part)
    calls = [_function_call(call, model_id) for call in message.tool_calls]
    unsigned = calls and not any(SIGNATURE in call for call in calls)
    if unsigned and not unsigned_ok and generation(model_id) >= 3:
        calls[0][SIGNATURE] = SKIP_SIGNATURE
    return parts + calls


def _function_call(call: ToolCall, model_id: str) -> dict[str, Any]:
    function: dict[str, Any] = {"name": call.name, "args": call.arguments}
    if call.extra.get(CALL_ID) == call.id:
        function["id"] = call.id
    part: dict[str, Any] = {"functionCall": function}
    signature = call.extra.get(SIGNATURE)
    if signature and call.extra.get(SIGNED_BY, model_id) == model_id:
        part[SIGNATURE] = signature
    return part


def _function_response(message: Message, call: ToolCall | None) -> dict[str, Any]:
    name = message.name or (call.name if call else message.tool_call_id or "")
    response: dict[str, Any] = {"name": name, "response": {}}
    response["response"]["error" if message.is_error else "output"] = message.text
    if call is not None and call.extra.get(CALL_ID) == call.id:
        response["id"] = call.id
    return {"functionResponse": response}


def _declaration(tool: ToolDefinition) -> dict[str, Any]:
    declared: dict[str, Any] = {"name": tool.name}
    if tool.description:
        declared["description"] = tool.description
    declared["parametersJsonSchema"] = tool.parameters
    return declared


def _calling(choice: ToolChoice) -> dict[str, Any]:
    if isinstance(choice, NamedToolChoice):
        return {"mode": "ANY", "allowedFunctionNames": [choice.name]}
    return {"mode": {"auto": "AUTO", "none": "NONE", "required": "ANY"}[choice]}


def _merge(body: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """``extra`` into ``body``, tables merged key by key, everything else replaced."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(body.get(key), dict):
            _merge(body[key], value)
        else:
            body[key] = value
