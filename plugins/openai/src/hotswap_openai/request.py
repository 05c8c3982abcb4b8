"""hotswap's request as a chat-completions body, for any OpenAI-compatible provider.

* **Messages**: system messages keep the ``system`` role; a user turn of plain text is a
  string, one with images a list of ``text`` and ``image_url`` parts (inline images as
  ``data:`` URLs); an assistant turn carries its ``tool_calls`` (arguments as a JSON string)
  and ``content`` null when it has no text; each tool result is a ``tool`` message with its
  ``tool_call_id``. Reasoning from earlier turns is not sent: chat completions takes none back.
* **Options**: ``max_tokens`` goes in the provider's field; ``temperature``, ``top_p`` and
  ``stop`` only when set; tools as ``function`` tools; ``tool_choice`` as ``auto``, ``none``,
  ``required`` or a named function.
* **thinking_level** becomes the effort of the model's reasoning family (see
  :class:`~hotswap_openai.quirks.Reasoning`); a model with none drops it with a debug log.
* **Streams** ask for usage with ``stream_options`` where the provider takes it.
* The model's ``options`` and the request's ``extra`` are merged in last; then the provider's
  renamed fields are renamed and the fields it (or its reasoning models) refuses are dropped,
  with a debug log.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from hotswap.plugin import ImagePart, NamedToolChoice, TextPart, get_logger

if TYPE_CHECKING:
    from hotswap.plugin import (
        CompletionRequest,
        Message,
        ThinkingLevel,
        ToolCall,
        ToolChoice,
        ToolDefinition,
    )
    from hotswap_openai.quirks import Quirks

__all__ = ["build_body", "convert_messages"]

log = get_logger("hotswap_openai")


def build_body(
    model_id: str,
    request: CompletionRequest,
    quirks: Quirks,
    *,
    stream: bool,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """The JSON body for ``request`` to ``model_id``; ``extra`` is merged in last."""
    options = request.options
    body: dict[str, Any] = {
        "model": model_id,
        "messages": convert_messages(request.messages, quirks),
    }
    if options.max_tokens is not None:
        body[quirks.max_tokens_field] = options.max_tokens
    if options.temperature is not None:
        body["temperature"] = options.temperature
    if options.top_p is not None:
        body["top_p"] = options.top_p
    if options.stop:
        body["stop"] = list(options.stop)
    if options.tools:
        body["tools"] = [_tool(tool) for tool in options.tools]
    if options.tool_choice is not None:
        body["tool_choice"] = _tool_choice(options.tool_choice)
    _set_reasoning(body, model_id, options.thinking_level, quirks)
    if stream:
        body["stream"] = True
        if quirks.stream_usage:
            body["stream_options"] = {"include_usage": True}
    body.update(extra)
    for name, renamed in quirks.renamed.items():
        if name in body:
            body[renamed] = body.pop(name)
    refused = quirks.rejected
    if quirks.reasoning_rejects and quirks.reasoning_for(model_id) is not None:
        refused |= quirks.reasoning_rejects
    if refused:  # most providers refuse nothing
        dropped = sorted(name for name in refused if body.pop(name, None) is not None)
        if dropped:
            log.debug("%s not sent to %s: the provider refuses them", dropped, model_id)
    return body


def _set_reasoning(
    body: dict[str, Any], model_id: str, level: ThinkingLevel | None, quirks: Quirks
) -> None:
    if level is None:
        return
    family = quirks.reasoning_for(model_id)
    effort = family.efforts.get(level) if family and family.efforts else None
    if effort is None:
        log.debug("thinking_level %s not sent: %s has no control for it", level, model_id)
        return
    *parents, leaf = quirks.reasoning_field.split(".")
    target = body
    for parent in parents:
        target = target.setdefault(parent, {})
    target[leaf] = effort


def convert_messages(messages: tuple[Message, ...], quirks: Quirks) -> list[dict[str, Any]]:
    """The ``messages`` list."""
    out: list[dict[str, Any]] = []
    for message in messages:
        text = message.plain_text
        if text:
            out.append({"role": message.role, "content": text})
            continue
        if message.role == "tool":
            out.append(
                {
                    "role": "tool",
                    "tool_call_id": _tool_id(message.tool_call_id or "", quirks),
                    "content": message.text,
                }
            )
        elif message.role == "assistant":
            turn: dict[str, Any] = {"role": "assistant", "content": message.text or None}
            if message.tool_calls:
                turn["tool_calls"] = [_call(call, quirks) for call in message.tool_calls]
            out.append(turn)
        else:
            out.append({"role": message.role, "content": _content(message)})
    return out


def _content(message: Message) -> str | list[dict[str, Any]]:
    if all(isinstance(part, TextPart) for part in message.content):
        return message.text
    parts: list[dict[str, Any]] = []
    for part in message.content:
        if isinstance(part, TextPart):
            parts.append({"type": "text", "text": part.text})
        elif isinstance(part, ImagePart):
            url = part.url if part.url is not None else f"data:{part.media_type};base64,{part.data}"
            parts.append({"type": "image_url", "image_url": {"url": url}})
    return parts


def _call(call: ToolCall, quirks: Quirks) -> dict[str, Any]:
    arguments = json.dumps(call.arguments, separators=(",", ":"))
    return {
        "id": _tool_id(call.id, quirks),
        "type": "function",
        "function": {"name": call.name, "arguments": arguments},
    }


def _tool_id(call_id: str, quirks: Quirks) -> str:
    return quirks.tool_call_id(call_id) if quirks.tool_call_id else call_id


def _tool(tool: ToolDefinition) -> dict[str, Any]:
    described = {"description": tool.description} if tool.description else {}
    function = {"name": tool.name, **described, "parameters": tool.parameters}
    return {"type": "function", "function": function}


def _tool_choice(choice: ToolChoice) -> str | dict[str, Any]:
    if isinstance(choice, NamedToolChoice):
        return {"type": "function", "function": {"name": choice.name}}
    return choice
