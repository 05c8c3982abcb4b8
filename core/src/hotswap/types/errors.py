"""The canonical error kinds and the one exception hierarchy every hotswap error belongs to.

Provider plugins never raise these for HTTP failures themselves: they *classify* a failure into an
:class:`ErrorClassification` (see ``hotswap_classify_error``) and the core raises the matching
:class:`ProviderError` subclass, filled in with the provider, model and status it knows about.
Every message passes through :func:`hotswap.types.redaction.redact` so that no credential can leak.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from hotswap.types.redaction import redact

if TYPE_CHECKING:
    from hotswap.types.attempts import Attempt

__all__ = [
    "AuthError",
    "ConfigError",
    "ConnectionFailedError",
    "ContentFilterError",
    "ContextLengthError",
    "CredentialError",
    "ErrorClassification",
    "ErrorKind",
    "HotswapError",
    "InvalidRequestError",
    "NoCredentialError",
    "NotFoundError",
    "OverloadedError",
    "PermissionDeniedError",
    "PluginError",
    "ProviderError",
    "ProviderTimeoutError",
    "QuotaExhaustedError",
    "RateLimitedError",
    "ServerError",
    "UnknownProviderError",
    "UnknownProviderKindError",
]


class ErrorKind(str, enum.Enum):
    """What went wrong, in words that mean the same for every provider."""

    RATE_LIMITED = "rate_limited"
    OVERLOADED = "overloaded"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    AUTH = "auth"
    PERMISSION = "permission"
    QUOTA_EXHAUSTED = "quota_exhausted"
    CONTEXT_LENGTH = "context_length"
    CONTENT_FILTER = "content_filter"
    INVALID_REQUEST = "invalid_request"
    NOT_FOUND = "not_found"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value

    @property
    def family(self) -> frozenset[ErrorKind]:
        """The kinds a condition naming this kind covers: ``server_error`` covers ``overloaded``."""
        return _FAMILIES.get(self, frozenset((self,)))

    def is_transient(self) -> bool:
        """Whether the same request may succeed if simply sent again later."""
        return self in _TRANSIENT

    def is_account_problem(self) -> bool:
        """Whether it says this account cannot use the model (its key refused or missing, no
        permission, its credit or quota used up) rather than that the provider is having a bad
        minute: the user has something to fix."""
        return self in _ACCOUNT


_FAMILIES = {ErrorKind.SERVER_ERROR: frozenset((ErrorKind.SERVER_ERROR, ErrorKind.OVERLOADED))}
_ACCOUNT = frozenset((ErrorKind.AUTH, ErrorKind.PERMISSION, ErrorKind.QUOTA_EXHAUSTED))
_TRANSIENT = frozenset(
    (
        ErrorKind.RATE_LIMITED,
        ErrorKind.OVERLOADED,
        ErrorKind.SERVER_ERROR,
        ErrorKind.TIMEOUT,
        ErrorKind.CONNECTION,
    )
)


@dataclass(frozen=True, slots=True)
class ErrorClassification:
    """A plugin's verdict on one failure: the canonical kind plus what the provider said.

    :param kind: the canonical kind.
    :param message: the provider's own message, as it should be shown to a person.
    :param retry_after: seconds the provider asked us to wait, if it said so.
    :param code: the provider's own error type or code (``overloaded_error``,
        ``insufficient_quota``), kept for logs and for plugins that override classification.
    """

    kind: ErrorKind
    message: str
    retry_after: float | None = None
    code: str | None = None


class HotswapError(Exception):
    """Base of every error hotswap raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))

    @property
    def message(self) -> str:
        return str(self.args[0])


class ConfigError(HotswapError):
    """A configuration file or value is wrong; the message names the file, the key and the fix.

    :param problem: what is wrong, in one sentence.
    :param path: the file the value came from, if any.
    :param key: the dotted key path inside that file (``models.sonnet.auth_type``).
    :param fix: what to do about it (what is allowed, or where the value belongs).
    """

    def __init__(
        self, problem: str, *, path: str | None = None, key: str | None = None, fix: str = ""
    ) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        self.fix = fix
        where = ": ".join(part for part in (path, key) if part)
        text = f"{where}: {problem}" if where else problem
        super().__init__(f"{text}\n  {fix}" if fix else text)


class CredentialError(HotswapError):
    """No usable credential was found, or one was found but refused (say, a world-readable file).

    The message names every place that was looked in and what to set.
    """


class PluginError(HotswapError):
    """A plugin failed to load, or broke the plugin contract."""


class UnknownProviderError(PluginError):
    """A model names a provider that no installed plugin provides."""

    def __init__(self, provider: str, installed: list[str], *, reason: str | None = None) -> None:
        self.provider = provider
        self.installed = installed
        have = ", ".join(installed) if installed else "none"
        why = f"\n  {reason}" if reason else ""
        super().__init__(
            f"no installed plugin provides {provider!r} (installed providers: {have}).{why}\n"
            f"  To add it: pip install hotswap-{provider}"
        )


class ProviderError(HotswapError):
    """A provider (or the way to it) failed. Subclasses exist per :class:`ErrorKind`.

    :ivar kind: the canonical kind.
    :ivar provider: the provider name (``anthropic``).
    :ivar model: the model id sent to the provider.
    :ivar status: the HTTP status, or None for a transport failure or an in-stream error.
    :ivar retry_after: seconds the provider asked us to wait, if it said so.
    :ivar code: the provider's own error type or code.
    :ivar provider_message: the provider's own message, redacted.
    :ivar attempts: when a chain raised it (its kind was not a failover condition), every try
        of that call up to and including this one; empty otherwise.
    """

    kind: ClassVar[ErrorKind] = ErrorKind.UNKNOWN

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        model: str = "",
        status: int | None = None,
        retry_after: float | None = None,
        code: str | None = None,
    ) -> None:
        self.provider = provider
        self.model = model
        self.status = status
        self.retry_after = retry_after
        self.code = code
        self.provider_message = redact(message)
        self.attempts: list[Attempt] = []
        who = "/".join(part for part in (provider, model) if part)
        status_text = f" {status}" if status is not None else ""
        prefix = f"{who}: " if who else ""
        super().__init__(f"{prefix}{self.kind.value}{status_text}: {message}")

    @staticmethod
    def from_classification(
        classification: ErrorClassification,
        *,
        provider: str = "",
        model: str = "",
        status: int | None = None,
    ) -> ProviderError:
        """Build the exception of the right subclass for a plugin's classification."""
        cls = _BY_KIND[classification.kind]
        return cls(
            classification.message,
            provider=provider,
            model=model,
            status=status,
            retry_after=classification.retry_after,
            code=classification.code,
        )


class RateLimitedError(ProviderError):
    kind = ErrorKind.RATE_LIMITED


class ServerError(ProviderError):
    kind = ErrorKind.SERVER_ERROR


class OverloadedError(ServerError):
    """Overloaded is a server error: ``except ServerError`` catches both, as conditions do."""

    kind = ErrorKind.OVERLOADED


class ProviderTimeoutError(ProviderError):
    kind = ErrorKind.TIMEOUT


class ConnectionFailedError(ProviderError):
    kind = ErrorKind.CONNECTION


class AuthError(ProviderError):
    kind = ErrorKind.AUTH


class NoCredentialError(AuthError, CredentialError):
    """The model could not be asked at all: no credential was found for it, or its login has
    expired and could not be renewed. Both an ``auth`` failure of the model and a
    :class:`CredentialError`. Nothing was sent to the model, so a chain moves on without
    opening its breaker: the model is tried again as soon as a key is set or the login renewed.
    """


class PermissionDeniedError(ProviderError):
    kind = ErrorKind.PERMISSION


class QuotaExhaustedError(ProviderError):
    kind = ErrorKind.QUOTA_EXHAUSTED


class ContextLengthError(ProviderError):
    kind = ErrorKind.CONTEXT_LENGTH


class ContentFilterError(ProviderError):
    kind = ErrorKind.CONTENT_FILTER


class InvalidRequestError(ProviderError):
    kind = ErrorKind.INVALID_REQUEST


class NotFoundError(ProviderError):
    kind = ErrorKind.NOT_FOUND


class UnknownProviderKindError(ProviderError):
    """A failure no plugin could put a name to."""

    kind = ErrorKind.UNKNOWN


_BY_KIND: dict[ErrorKind, type[ProviderError]] = {
    cls.kind: cls
    for cls in (
        RateLimitedError,
        ServerError,
        OverloadedError,
        ProviderTimeoutError,
        ConnectionFailedError,
        AuthError,
        PermissionDeniedError,
        QuotaExhaustedError,
        ContextLengthError,
        ContentFilterError,
        InvalidRequestError,
        NotFoundError,
        UnknownProviderKindError,
    )
}
