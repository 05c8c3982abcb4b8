"""hotswap: one interface to every LLM provider, and failover when one of them fails.

Every public name is importable from here, but each is loaded on first access: ``import hotswap``
itself imports nothing else, so it costs next to nothing, and pydantic, the HTTP client and
the plugins are loaded only when something needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotswap.attempts import AllModelsFailedError, Attempt, StreamInterruptedError
    from hotswap.auth import AuthType, Credential, CredentialSpec, TokenGrant
    from hotswap.completion import Completion, FinishReason, Usage
    from hotswap.config import ChainConfig, Config, FailoverSettings, ModelConfig, load_config
    from hotswap.engine import FailoverChain, Session, chain
    from hotswap.errors import (
        AuthError,
        ConfigError,
        ConnectionFailedError,
        ContentFilterError,
        ContextLengthError,
        CredentialError,
        ErrorClassification,
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
    from hotswap.events import (
        Finish,
        StreamEvent,
        StreamFailure,
        StreamReset,
        TextDelta,
        ThinkingDelta,
        ToolCallDelta,
        UsageUpdate,
    )
    from hotswap.framing import Frame
    from hotswap.hookspecs import hookimpl
    from hotswap.http import HttpRequest, HttpResponse, TransportFailure
    from hotswap.messages import (
        ImagePart,
        Message,
        TextPart,
        ThinkingPart,
        ToolCall,
        ToolDefinition,
    )
    from hotswap.options import CompletionOptions, CompletionRequest, NamedToolChoice, ThinkingLevel
    from hotswap.plugins import PluginHost, default_host
    from hotswap.provider_plugin import ProviderPlugin
    from hotswap.providers import Capabilities, KnownModel, ProviderInfo
    from hotswap.secrets import Secret
    from hotswap.streaming import StreamAssembler, StreamTranslator

_EXPORTS: dict[str, str] = {
    "hookimpl": "hotswap.hookspecs",
    **dict.fromkeys(
        ("AllModelsFailedError", "Attempt", "StreamInterruptedError"), "hotswap.attempts"
    ),
    **dict.fromkeys(("FailoverChain", "Session", "chain"), "hotswap.engine"),
    **dict.fromkeys(("AuthType", "Credential", "CredentialSpec", "TokenGrant"), "hotswap.auth"),
    **dict.fromkeys(("Completion", "FinishReason", "Usage"), "hotswap.completion"),
    **dict.fromkeys(
        ("ChainConfig", "Config", "FailoverSettings", "ModelConfig", "load_config"),
        "hotswap.config",
    ),
    **dict.fromkeys(
        (
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
        "hotswap.errors",
    ),
    **dict.fromkeys(
        (
            "Finish",
            "StreamEvent",
            "StreamFailure",
            "StreamReset",
            "TextDelta",
            "ThinkingDelta",
            "ToolCallDelta",
            "UsageUpdate",
        ),
        "hotswap.events",
    ),
    "Frame": "hotswap.framing",
    **dict.fromkeys(("HttpRequest", "HttpResponse", "TransportFailure"), "hotswap.http"),
    **dict.fromkeys(
        ("ImagePart", "Message", "TextPart", "ThinkingPart", "ToolCall", "ToolDefinition"),
        "hotswap.messages",
    ),
    **dict.fromkeys(
        ("CompletionOptions", "CompletionRequest", "NamedToolChoice", "ThinkingLevel"),
        "hotswap.options",
    ),
    **dict.fromkeys(("PluginHost", "default_host"), "hotswap.plugins"),
    "ProviderPlugin": "hotswap.provider_plugin",
    **dict.fromkeys(("Capabilities", "KnownModel", "ProviderInfo"), "hotswap.providers"),
    "Secret": "hotswap.secrets",
    **dict.fromkeys(("StreamAssembler", "StreamTranslator"), "hotswap.streaming"),
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
