"""Testing a plugin's translation on bytes alone: a request to hand ``build_request``, a body
fed to a stream translator the way a socket delivers it, and the completion its events add up
to, through the core's decoders (a test holds ``NDJSONDecoder`` to the cut the core's NDJSON
streams make inline) and its assembler::

    from hotswap.testing.translation import assemble, request, translate

    events = translate(plugin.stream_translator(model, request("hi")), captured_body)
    assert assemble(events, provider="acme").text == "Hello!"
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hotswap.plugin.streaming import StreamAssembler, StreamTranslator, frame_decoder
from hotswap.types.completion import Completion
from hotswap.types.events import StreamEvent, StreamFailure
from hotswap.types.messages import Message
from hotswap.types.request import CompletionOptions, CompletionRequest

__all__ = ["assemble", "request", "translate"]


def request(*messages: Message | str, **options: Any) -> CompletionRequest:
    """A request of ``messages`` (a string is a user message) with ``options``."""
    turns = tuple(Message.user(m) if isinstance(m, str) else m for m in messages)
    return CompletionRequest(messages=turns, options=CompletionOptions(**options))


def translate(
    translator: StreamTranslator, body: bytes, chunk: int = 7
) -> list[StreamEvent | StreamFailure]:
    """Every event ``translator`` makes of ``body``, decoded with the framing it names and fed
    in ``chunk``-byte reads, so frames arrive split as they do off a socket."""
    decoder = frame_decoder(translator.framing)
    frames = [f for i in range(0, len(body), chunk) for f in decoder.feed(body[i : i + chunk])]
    frames += decoder.flush()
    return [event for frame in frames for event in translator.translate(frame)]


def assemble(events: Iterable[StreamEvent | StreamFailure], provider: str = "") -> Completion:
    """The completion ``events`` add up to, through the core's assembler; a
    :class:`~hotswap.types.events.StreamFailure` among them fails the test."""
    assembler = StreamAssembler()
    for event in events:
        assert not isinstance(event, StreamFailure), event
        assembler.add(event)
    return assembler.completion(provider=provider)
