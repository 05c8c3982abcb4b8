"""hotswap's request as the body of Ollama's ``POST /api/chat``.

``stream`` is always sent (Ollama streams unless told not to). ``max_tokens``, ``temperature``,
``top_p`` and ``stop`` go into ``options`` (``num_predict``...). The model's configured options,
then the request's extra fields, are merged in: the fields ``/api/chat`` takes at the top
(``keep_alive``, ``format``, ``think``, ``logprobs``, ``top_logprobs``) go there, an
``options`` table merges into ``options``, and every other key (``num_ctx``, ``seed``,
``top_k``...) is a runtime option, so ``options = { num_ctx = 16384, keep_alive = "30m" }`` in
a model's config does what it says.

``thinking_level`` becomes ``think``:

=====================  ==========================  =======================
level                  gpt-oss models              other models
=====================  ==========================  =======================
off                    ``false``                   ``false``
minimal, low           ``"low"``                   ``true``
medium                 ``"medium"``                ``true``
high, xhigh            ``"high"``                  ``true``
=====================  ==========================  =======================

With no level, ``think`` is not sent and the model does as it does by default.

Images go inline, as base64 in the message's ``images``; Ollama takes no image URLs, so those
are left out (with a warning). Ollama has no ``tool_choice``: ``none`` sends no tools, and a
forced choice is left to the model (debug log). An assistant's reasoning from Ollama goes back
as the message's ``thinking``; any other provider's is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hotswap.plugin import ImagePart, ThinkingLevel, ThinkingPart, get_logger
from hotswap_ollama.provider import PROVIDER

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hotswap.plugin import CompletionRequest, Message, ToolDefinition

log = get_logger("hotswap_ollama")

TOP_LEVEL = frozenset(("keep_alive", "format", "think", "logprobs", "top_logprobs"))
"""The ``/api/chat`` fields a model's options may set besides the runtime ``options``."""

_LEVELS = {
    ThinkingLevel.MINIMAL: "low",
    ThinkingLevel.LOW: "low",
    ThinkingLevel.MEDIUM: "medium",
    ThinkingLevel.HIGH: "high",
    ThinkingLevel.XHIGH: "high",
}


def think_value(level: ThinkingLevel | None, model_id: str) -> bool | str | None:
    """``think`` for ``level``: a level name for gpt-oss, which takes them, else on or off;
    None to send nothing."""
    if level is None:
        return None
    if level is ThinkingLevel.OFF:
        return False
    return _LEVELS[level] if model_id.startswith("gpt-oss") else True


def build_body(
    model_id: str, request: CompletionRequest, *, stream: bool, extra: Mapping[str, Any]
) -> dict[str, Any]:
    """The JSON body for ``request``; ``extra`` (the model's options, then the request's) is
    merged in as the module docstring says."""
    options = request.options
    body: dict[str, Any] = {
        "model": model_id,
        "messages": convert_messages(request.messages),
        "stream": stream,
    }
    if options.tools and options.tool_choice != "none":
        body["tools"] = [_tool(tool) for tool in options.tools]
        if options.tool_choice not in (None, "auto"):
            log.debug("tool_choice %r not sent: Ollama has none", options.tool_choice)
    think = think_value(options.thinking_level, model_id)
    if think is not None:
        body["think"] = think
    runtime: dict[str, Any] = {}
    if options.max_tokens is not None:
        runtime["num_predict"] = options.max_tokens
    if options.temperature is not None:
        runtime["temperature"] = options.temperature
    if options.top_p is not None:
        runtime["top_p"] = options.top_p
    if options.stop:
        runtime["stop"] = list(options.stop)
    for key, value in extra.items():
        if key == "options" and isinstance(value, dict):
            runtime.update(value)
        elif key in TOP_LEVEL:
            body[key] = value
        else:
            runtime[key] = value
    if runtime:
        body["options"] = runtime
    return body


def convert_messages(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    """The ``messages`` list. Tool results name their tool, found from the call they answer."""
    names: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for message in messages:
        text = message.plain_text
        if text is not None:
            out.append({"role": message.role, "content": text})
            continue
        entry: dict[str, Any] = {"role": message.role, "content": message.text}
        images = [image for part in message.content if (image := _image(part)) is not None]
        if images:
            entry["images"] = images
        if message.role == "assistant":
            thinking = "".join(
                part.text
                for part in message.content
                if isinstance(part, ThinkingPart) and part.provider == PROVIDER
            )
            if thinking:
                entry["thinking"] = thinking
            if message.tool_calls:
                entry["tool_calls"] = [
                    {"id": call.id, "function": {"name": call.name, "arguments": call.arguments}}
                    for call in message.tool_calls
                ]
                names.update((call.id, call.name) for call in message.tool_calls)
        elif message.role == "tool":
            name = message.name or names.get(message.tool_call_id or "")
            if name:
                entry["tool_name"] = name
            entry["tool_call_id"] = message.tool_call_id
        out.append(entry)
    return out


def _image(part: object) -> str | None:
    if not isinstance(part, ImagePart):
        return None
    if part.data is None:
        log.warning("an image given by URL was left out: Ollama takes only inline images")
        return None
    return part.data


def _tool(tool: ToolDefinition) -> dict[str, Any]:
    function: dict[str, Any] = {"name": tool.name}
    if tool.description:
        function["description"] = tool.description
    function["parameters"] = tool.parameters
    return {"type": "function", "function": function}
