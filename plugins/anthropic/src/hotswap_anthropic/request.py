"""hotswap's request as the body of ``POST /v1/messages``.

System messages become the top-level ``system``; consecutive tool results become one user
message of ``tool_result`` blocks; an assistant's thinking from Anthropic goes back verbatim
(thinking from any other provider is dropped: its signature means nothing here); tool ids are
normalised to ``[a-zA-Z0-9_-]{1,64}``. While thinking, ``temperature`` and ``top_k`` are left
out and ``top_p`` is raised to 0.95, as the API requires; a forced tool choice (``required`` or
a named tool) turns thinking off instead, since the API allows no forced tool use while
thinking and the caller's forced call is the stronger request.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hotswap.plugin import ImagePart, NamedToolChoice, TextPart, ThinkingLevel, get_logger
from hotswap_anthropic.provider import PROVIDER
from hotswap_anthropic.thinking import thinking_fields

if TYPE_CHECKING:
    from hotswap.plugin import CompletionRequest, ContentPart, Message, ToolChoice, ToolDefinition

log = get_logger("hotswap_anthropic")

_NOT_IN_ID = re.compile(r"[^a-zA-Z0-9_-]")
_MIN_TOP_P_WHILE_THINKING = 0.95


def build_body(
    model_id: str,
    request: CompletionRequest,
    *,
    stream: bool,
    output_limit: int | None,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """The JSON body for ``request``; ``extra`` (the model's options, then the request's) is
    merged in last."""
    options = request.options
    level = options.thinking_level
    forced = options.tool_choice == "required" or isinstance(options.tool_choice, NamedToolChoice)
    if forced and level not in (None, ThinkingLevel.OFF):
        log.debug("thinking turned off for %s: the request forces a tool call", model_id)
        level = None
    system, messages = convert_messages(request.messages)
    body: dict[str, Any] = {
        "model": model_id,
        **thinking_fields(level, options.max_tokens, model_id, output_limit),
    }
    if system:
        body["system"] = system
    body["messages"] = messages
    if options.tools:
        body["tools"] = [_tool(tool) for tool in options.tools]
    if options.tool_choice is not None:
        body["tool_choice"] = _tool_choice(options.tool_choice)
    if options.stop:
        body["stop_sequences"] = list(options.stop)
    if options.temperature is not None:
        body["temperature"] = options.temperature
    if options.top_p is not None:
        body["top_p"] = options.top_p
    if stream:
        body["stream"] = True
    body.update(extra)
    if "thinking" in body:
        dropped = [name for name in ("temperature", "top_k") if body.pop(name, None) is not None]
        if dropped:
            log.debug("%s not sent to %s: the API refuses them while thinking", dropped, model_id)
        if body.get("top_p", 1) < _MIN_TOP_P_WHILE_THINKING:
            body["top_p"] = _MIN_TOP_P_WHILE_THINKING
    return body


def convert_messages(messages: tuple[Message, ...]) -> tuple[str, list[dict[str, Any]]]:
    """The ``system`` text and the ``messages`` list."""
    system: list[str] = []
    out: list[dict[str, Any]] = []
    after_tool = False
    for message in messages:
        text = message.plain_text
        if text and message.role != "system":
            out.append({"role": message.role, "content": [{"type": "text", "text": text}]})
        elif message.role == "system":
            system.append(message.text)
        elif message.role == "tool":
            if not after_tool:
                out.append({"role": "user", "content": []})
            out[-1]["content"].append(_tool_result(message))
        else:
            content = [b for part in message.content if (b := _block(part, message.role))]
            content += [
                {"type": "tool_use", "id": tool_id(c.id), "name": c.name, "input": c.arguments}
                for c in message.tool_calls
            ]
            if content:
                out.append({"role": message.role, "content": content})
        after_tool = message.role == "tool"
    return "\n\n".join(system), out


def tool_id(call_id: str) -> str:
    """A tool-call id as Anthropic accepts it: ``[a-zA-Z0-9_-]``, 1 to 64 characters."""
    return _NOT_IN_ID.sub("_", call_id)[:64] or "_"


def _block(part: ContentPart, role: str) -> dict[str, Any] | None:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text} if part.text else None
    if isinstance(part, ImagePart):
        source: dict[str, Any]
        if part.data is not None:
            source = {"type": "base64", "media_type": part.media_type, "data": part.data}
        else:
            source = {"type": "url", "url": part.url}
        return {"type": "image", "source": source}
    if role != "assistant" or part.provider not in (None, PROVIDER):
        return None
    if part.redacted is not None:
        return {"type": "redacted_thinking", "data": part.redacted}
    if part.signature:
        return {"type": "thinking", "thinking": part.text, "signature": part.signature}
    return None  # unsigned thinking would be refused


def _tool_result(message: Message) -> dict[str, Any]:
    blocks = [b for part in message.content if (b := _block(part, "tool"))]
    text_only = all(b["type"] == "text" for b in blocks)
    result: dict[str, Any] = {
        "type": "tool_result",
        "tool_use_id": tool_id(message.tool_call_id or ""),
        "content": message.text if text_only else blocks,
    }
    if message.is_error:
        result["is_error"] = True
    return result


def _tool(tool: ToolDefinition) -> dict[str, Any]:
    described = {"description": tool.description} if tool.description else {}
    return {"name": tool.name, **described, "input_schema": tool.parameters}


def _tool_choice(choice: ToolChoice) -> dict[str, str]:
    if isinstance(choice, NamedToolChoice):
        return {"type": "tool", "name": choice.name}
    return {"type": {"auto": "auto", "none": "none", "required": "any"}[choice]}
