"""The simulator's sans-I/O vocabulary: a request as it arrived, a response to send, and the
contract every wire format (:class:`Dialect`) fulfils.

Dialects are pure: bytes and headers in, bytes and headers out. Only ``server.py`` touches a
socket, so each provider's wire format can be read, and tested, as plain functions.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotswap.testing.faults import ErrorFault
    from hotswap.testing.replies import Answer, Finish

__all__ = [
    "BadJSON",
    "ChatRequest",
    "Dialect",
    "Incoming",
    "Outgoing",
    "StreamBody",
    "bearer_token",
    "count_words",
    "decode_body",
    "dumps",
    "json_response",
    "last_text",
    "seconds_text",
    "sse",
]


@dataclass(frozen=True, slots=True)
class Incoming:
    """One HTTP request as the simulator received it.

    :param ordinal: the request's number since the simulator started (1, 2, …); ids in the
        answer (``msg_sim…``, ``req_sim…``) are derived from it, so they are deterministic.
    :param headers: names lower-cased; a repeated header's values joined with ``", "``.
    :param query: the query string, decoded (``alt=sse``, Gemini's ``key=``).
    """

    ordinal: int
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class BadJSON:
    """A request body that is not JSON, and the decoder's complaint."""

    error: str


def decode_body(body: bytes) -> Any:
    """The body decoded from JSON, or a :class:`BadJSON`."""
    try:
        return json.loads(body)
    except ValueError as error:
        return BadJSON(str(error))


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A complete response: status, body and any headers beyond ``content-type``."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StreamBody:
    """A streamed 200 response as the frames a dialect writes one by one.

    :param frames: each frame's exact bytes (an SSE event with its blank line, an NDJSON line).
    :param tail: how many frames at the end make up the terminal marker (``message_stop``,
        ``[DONE]``, Gemini's event with ``finishReason``, Ollama's ``done`` line): a cut
        stream loses at least these.
    """

    content_type: str
    frames: tuple[bytes, ...]
    tail: int
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """What a dialect understood of a valid chat request, in provider-neutral terms.

    :param model: the model id (from the body, or Gemini's path).
    :param stream: whether the client asked for a stream.
    :param prompt: the text of the last user turn; the default answer echoes it.
    :param input_words: words in every text the request carries (system prompt, messages,
        tool results); reported as the input token count.
    :param max_tokens: the output limit the client set, if any.
    :param thinking: whether the client asked for thinking text to be returned.
    :param include_usage: OpenAI's ``stream_options.include_usage``.
    :param ordinal: the request's number, as in :class:`Incoming`.
    :param prefill: the partial answer the conversation ends with, for a provider whose models
        carry on from it: the answer is then what follows it.
    """

    model: str
    stream: bool
    prompt: str
    input_words: int
    ordinal: int
    max_tokens: int | None = None
    thinking: bool = False
    include_usage: bool = False
    prefill: str | None = None


class Dialect(ABC):
    """One provider's wire format: how it authenticates, validates, answers and fails.

    :ivar name: the provider family, as used for ``Simulator.accept_keys`` (``anthropic``,
        ``openai``, ``gemini``, ``ollama``).
    """

    name: str

    tool_id_prefix: str
    """How this provider's tool-call ids begin (``toolu_``, ``call_``), before ``sim<n>_<i>``."""

    refusals: frozenset[Finish]
    """The withheld answers this provider can express inside a 200 (a content filter, a
    blocked prompt); a script asking for another gets :meth:`unsupported`."""

    @abstractmethod
    def authenticate(self, incoming: Incoming, keys: frozenset[str] | None) -> Outgoing | None:
        """Check the auth headers as the provider does; return its refusal, or None to go on.

        :param keys: the keys accepted, or None to accept any non-empty key.
        """

    @abstractmethod
    def parse(self, incoming: Incoming, payload: Any, model: str | None) -> ChatRequest | Outgoing:
        """Validate the request as the provider does: the request, or the provider's refusal.

        :param payload: the body decoded from JSON, or a :class:`BadJSON` saying why it is not.
        :param model: the model id the path named (Gemini), or None when the body names it.
        """

    @abstractmethod
    def respond(self, request: ChatRequest, answer: Answer) -> Outgoing:
        """The complete (non-streaming) answer."""

    @abstractmethod
    def stream(self, request: ChatRequest, answer: Answer) -> StreamBody:
        """The answer as a stream, frame by frame, ending with the terminal marker."""

    @abstractmethod
    def error(self, fault: ErrorFault, request: ChatRequest | None) -> Outgoing:
        """The provider's own status, headers and body for an error fault."""

    @abstractmethod
    def stream_error(self, fault: ErrorFault, request: ChatRequest) -> bytes:
        """The frame the provider sends when it fails after a stream has begun."""

    @abstractmethod
    def unsupported(self, what: str, request: ChatRequest) -> Outgoing:
        """A 500 in the provider's error shape saying that it has no way to express ``what``
        (say, a content filter on Ollama): a script asked for something the provider never does.
        """

    # -- the models a provider has (``Simulator.serve_models``), for dialects that say so ----

    def refuse_model(self, request: ChatRequest, served: frozenset[str]) -> Outgoing | None:
        """The provider's not-found answer when ``request`` names a model outside ``served``,
        or None when it names one of them."""
        raise NotImplementedError(f"the simulator has no not-found answer for {self.name} yet")

    def list_models(self, incoming: Incoming, served: frozenset[str] | None) -> Outgoing:
        """The provider's answer to its model-listing request (a ``GET``): the ``served``
        models, or none when :meth:`Simulator.serve_models` named none."""
        raise NotImplementedError(f"the simulator lists no models for {self.name} yet")

    @classmethod
    def knows_models(cls) -> bool:
        """Whether this dialect can refuse a model it does not serve."""
        return cls.refuse_model is not Dialect.refuse_model


# -- helpers every dialect uses ---------------------------------------------------------------


def dumps(value: Any) -> bytes:
    """Compact JSON, as the providers send it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def json_response(
    status: int, body: Any, headers: Mapping[str, str] | None = None, *, content_type: str = ""
) -> Outgoing:
    """An :class:`Outgoing` with ``body`` serialised as compact JSON."""
    return Outgoing(status, dumps(body), content_type or "application/json", headers or {})


def sse(data: Any, event: str | None = None, *, end: bytes = b"\n\n") -> bytes:
    """One server-sent event: an optional ``event:`` line, one ``data:`` line of compact JSON
    (or ``data`` as is, if it is already bytes), and the blank line that ends it."""
    payload = data if isinstance(data, bytes) else dumps(data)
    head = b"event: " + event.encode() + b"\ndata: " if event else b"data: "
    return head + payload + end


def seconds_text(seconds: float) -> str:
    """Seconds as a ``retry-after`` value: ``2`` for whole seconds, else ``0.5``."""
    return str(int(seconds)) if seconds == int(seconds) else f"{seconds:g}"


def bearer_token(headers: Mapping[str, str]) -> str:
    """The token of an ``Authorization: Bearer …`` header, or ``""``."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


_TEXT_KEYS = frozenset(("content", "text", "system", "parts", "systemInstruction", "contents"))


def count_words(value: Any) -> int:
    """Words in every string a request's conversation holds: values under ``content``,
    ``text`` and ``system`` keys (and Gemini's ``parts``), at any depth. Tool definitions and
    tool-call arguments are not counted."""
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, list):
        return sum(count_words(item) for item in value)
    if isinstance(value, dict):
        return sum(
            count_words(item) if key in _TEXT_KEYS or isinstance(item, (dict, list)) else 0
            for key, item in value.items()
        )
    return 0


def last_text(turns: Any, *, role_key: str, roles: tuple[str, ...], parts_key: str) -> str:
    """The text of the last turn whose role is in ``roles``: a string ``content``, or the
    ``text`` of its parts joined with spaces. Non-text parts (images, tool results) are skipped.

    :param role_key: the key holding the role (``role``).
    :param parts_key: the key holding the content (``content``; Gemini: ``parts``).
    """
    if not isinstance(turns, list):
        return ""
    for turn in reversed(turns):
        if not isinstance(turn, dict) or turn.get(role_key, roles[0]) not in roles:
            continue
        content = turn.get(parts_key)
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            texts = [
                part["text"]
                for part in content
                if isinstance(part, dict) and isinstance(part.get("text"), str)
            ]
            if texts:
                return " ".join(texts)
    return ""
