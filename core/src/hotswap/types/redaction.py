"""Secrets that never print, and the scrubber every user-visible message passes through.

Two layers keep credentials out of logs, reprs, exceptions and ``--json`` output:

* :class:`Secret` holds a value whose ``repr``, ``str`` and pydantic serialisation are masked;
  the raw value is reachable only through :meth:`Secret.reveal`, which the transport calls at the
  moment it writes a header.
* :func:`redact` scrubs text that did not come from us (a provider echoing part of a key back in
  an error message, say): every value ever wrapped in a :class:`Secret` in this process, and
  anything shaped like a known provider key or a bearer token, is replaced.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

__all__ = [
    "MASK",
    "RedactingFilter",
    "Secret",
    "get_logger",
    "looks_like_secret",
    "redact",
    "redact_headers",
]

MASK = "[redacted]"

# Known key shapes: Anthropic/OpenAI/OpenRouter `sk-…`, Groq `gsk_…`, xAI `xai-…`, Google `AIza…`,
# and anything sent as a bearer token. A short tail (a provider's own "…abcd" hint) is harmless,
# so patterns require enough characters to be a real credential.
_KEY_SHAPES = re.compile(
    r"(?:sk-ant-[A-Za-z0-9_\-]{8,}"
    r"|sk-(?:or-|proj-)?[A-Za-z0-9_\-]{16,}"
    r"|gsk_[A-Za-z0-9]{16,}"
    r"|xai-[A-Za-z0-9]{16,}"
    r"|AIza[0-9A-Za-z_\-]{30,}"
    r"|(?<=Bearer )[A-Za-z0-9._~+/\-]{8,}=*)"
)

# Header names whose values are credentials, compared lower-case.
SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "x-goog-api-key",
        "cookie",
        "set-cookie",
    }
)

_known_values: set[str] = set()
_known_lock = threading.Lock()
# Values this short are not worth scrubbing from text: they would mangle ordinary words.
_MIN_SCRUBBED_LENGTH = 6


class Secret:
    """A credential value that refuses to be printed.

    >>> key = Secret("sk-ant-api03-abcdefghijklmnop")
    >>> key
    Secret('[redacted]')
    >>> key.reveal()
    'sk-ant-api03-abcdefghijklmnop'
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        if len(value) >= _MIN_SCRUBBED_LENGTH:
            with _known_lock:
                _known_values.add(value)

    def reveal(self) -> str:
        """The raw value. Call it only where the value leaves the process (an HTTP header)."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Let pydantic models hold a Secret, validating from str and serialising it masked."""
        from pydantic_core import core_schema

        def to_secret(value: Secret | str) -> Secret:
            return value if isinstance(value, Secret) else Secret(value)

        return core_schema.no_info_plain_validator_function(
            to_secret,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda _: MASK),
        )


def redact(text: str) -> str:
    """Return ``text`` with every known secret value and key-shaped token replaced by a mask."""
    if not text:
        return text
    with _known_lock:
        known = tuple(_known_values)
    for value in known:
        if value in text:
            text = text.replace(value, MASK)
    return _KEY_SHAPES.sub(MASK, text)


def looks_like_secret(value: str) -> bool:
    """Whether ``value`` is shaped like a provider key or token (used to refuse keys in config)."""
    return bool(_KEY_SHAPES.search(value)) or value.startswith("Bearer ")


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with credential-bearing values masked, for reprs and logs."""
    return {
        name: (MASK if name.lower() in SENSITIVE_HEADERS else redact(value))
        for name, value in headers.items()
    }


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs secrets from every record it sees.

    hotswap installs it on its own ``hotswap`` logger; applications can add it to theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = redact(message)
        if scrubbed != message:
            record.msg = scrubbed
            record.args = None
        return True


_FILTER = RedactingFilter()


def get_logger(name: str) -> logging.Logger:
    """The logger called ``name`` (``hotswap.plugin.host``), scrubbing secrets from every record."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger
