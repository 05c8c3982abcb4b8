"""A conversation as a caller hands it in, made into messages with each message validated once.

Applications often keep their history as dicts (``{"role": "user", "content": "..."}``) and send
all of it again every turn. A dict of just a role and a plain text is made into its
:class:`Message` the first time and that message is kept, under its role and text, so the same
dict on a later turn becomes the same message without being validated again (messages are
immutable, so one can serve every conversation it appears in). Every other dict is validated
each time, and a :class:`Message` is always taken as it is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any, Final

from hotswap.types.messages import Message, TextPart
from hotswap.types.request import CompletionOptions, CompletionRequest

__all__ = ["request_for"]

_KEPT_MESSAGES: Final = 16_384
_KEPT_CHARACTERS: Final = 32 * 2**20
"""How much the kept messages may hold; past either, the oldest are let go first."""


class _TextMessages:
    """Messages made from dicts of a role and a plain text, by that role and text."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], Message] = {}
        self._characters = 0
        self._lock = threading.Lock()

    def substitute(
        self, given: tuple[Any, ...]
    ) -> tuple[tuple[Any, ...], list[tuple[int, tuple[str, str]]]]:
        """``given`` with each dict kept here replaced by its message, and the places and keys
        of the dicts that could be kept but are not yet."""
        find = self._made.get
        items: list[Any] = []
        new: list[tuple[int, tuple[str, str]]] = []
        for item in given:
            if type(item) is dict and len(item) == 2:
                text = item.get("content")
                if type(text) is str:
                    key = (item.get("role"), text)
                    message = find(key)  # type: ignore[arg-type]
                    if message is not None:
                        items.append(message)
                        continue
                    new.append((len(items), key))  # type: ignore[arg-type]
            items.append(item)
        return tuple(items), new

    def keep(self, made: tuple[Message, ...], new: list[tuple[int, tuple[str, str]]]) -> None:
        """Keep each message of ``made`` at a place of ``new`` under its key, if it is the
        message of just that role and text (the caller may have changed the dict since)."""
        with self._lock:
            for place, key in new:
                message = made[place]
                if key in self._made or not _is_text_message(message, *key):
                    continue
                self._made[key] = message
                self._characters += len(key[1])
            while len(self._made) > _KEPT_MESSAGES or self._characters > _KEPT_CHARACTERS:
                oldest = next(iter(self._made))
                del self._made[oldest]
                self._characters -= len(oldest[1])


def _is_text_message(message: Message, role: str, text: str) -> bool:
    content = message.content
    return (
        message.model_fields_set == _ROLE_AND_CONTENT
        and message.role == role
        and len(content) == 1
        and type(content[0]) is TextPart
        and content[0].text == text
    )


_ROLE_AND_CONTENT: Final = frozenset({"role", "content"})

_text_messages = _TextMessages()


def request_for(
    conversation: Iterable[Message | Mapping[str, Any]], options: CompletionOptions
) -> CompletionRequest:
    """The request for ``conversation`` with ``options``, validated in one pass: a bad message
    is named by its place (``messages.3.role``).

    :raises pydantic.ValidationError: a message, or the conversation, is not valid.
    """
    given = tuple(conversation)
    new: list[tuple[int, tuple[str, str]]] = []
    if dict in set(map(type, given)):  # a conversation of messages has nothing to look up
        given, new = _text_messages.substitute(given)
    request = CompletionRequest.model_validate({"messages": given, "options": options})
    if new:
        _text_messages.keep(request.messages, new)
    return request
