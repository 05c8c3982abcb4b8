"""hotswap for applications: one interface to every LLM provider, and failover between them.

::

    import hotswap

    chain = hotswap.chain("default")          # a chain named in hotswap.toml
    answer = chain.complete("Hello")
    print(answer.text, "from", answer.model)

These names are the whole of what an application needs; plugin authors import
:mod:`hotswap.plugin`. Each is loaded on first access: ``import hotswap`` itself imports nothing
else, so a command line that never makes a request does not pay for pydantic or the HTTP client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotswap.config import Config, FailoverSettings, ModelConfig, load_config
    from hotswap.engine import BreakerStore, FailoverChain, MemoryBreakerStore, Session, chain
    from hotswap.engine.catalog import list_models
    from hotswap.plugin.host import PluginHost, default_host
    from hotswap.types.attempts import (
        AllModelsFailedError,
        Attempt,
        Outcome,
        StreamInterruptedError,
    )
    from hotswap.types.completion import Completion, FinishReason, Usage
    from hotswap.types.errors import (
        AuthError,
        ConfigError,
        ConnectionFailedError,
        ContentFilterError,
        ContextLengthError,
        CredentialError,
        ErrorKind,
        HotswapError,
        InvalidRequestError,
        NotFoundError,
        OverloadedError,
        PermissionDeniedError,
        PluginError,
        ProviderError,
        ProviderTimeoutError,
        QuotaExhaustedError,
        RateLimitedError,
        ServerError,
        UnknownProviderError,
    )
    from hotswap.types.events import (
        Finish,
        StreamEvent,
        StreamReset,
        TextDelta,
        ThinkingDelta,
        ToolCallDelta,
        UsageUpdate,
    )
    from hotswap.types.messages import ImagePart, Message, TextPart, ToolCall, ToolDefinition
    from hotswap.types.redaction import Secret
    from hotswap.types.request import CompletionOptions, ThinkingLevel
    from hotswap.wire.transport import Transport

_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ("BreakerStore", "FailoverChain", "MemoryBreakerStore", "Session", "chain"),
        "hotswap.engine",
    ),
    **dict.fromkeys(("Config", "FailoverSettings", "ModelConfig", "load_config"), "hotswap.config"),
    "list_models": "hotswap.engine.catalog",
    **dict.fromkeys(("PluginHost", "default_host"), "hotswap.plugin.host"),
    "Secret": "hotswap.types.redaction",
    "Transport": "hotswap.wire.transport",
    **dict.fromkeys(
        ("ImagePart", "Message", "TextPart", "ToolCall", "ToolDefinition"), "hotswap.types.messages"
    ),
    **dict.fromkeys(("CompletionOptions", "ThinkingLevel"), "hotswap.types.request"),
    **dict.fromkeys(("Completion", "FinishReason", "Usage"), "hotswap.types.completion"),
    **dict.fromkeys(
        ("AllModelsFailedError", "Attempt", "Outcome", "StreamInterruptedError"),
        "hotswap.types.attempts",
    ),
    **dict.fromkeys(
        (
            "Finish",
            "StreamEvent",
            "StreamReset",
            "TextDelta",
            "ThinkingDelta",
            "ToolCallDelta",
            "UsageUpdate",
        ),
        "hotswap.types.events",
    ),
    **dict.fromkeys(
        (
            "AuthError",
            "ConfigError",
            "ConnectionFailedError",
            "ContentFilterError",
            "ContextLengthError",
            "CredentialError",
            "ErrorKind",
            "HotswapError",
            "InvalidRequestError",
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
        ),
        "hotswap.types.errors",
    ),
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        value: Any = version("hotswap")
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'hotswap' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
