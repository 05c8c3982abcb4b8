"""The plugin kit: everything a plugin author imports, from one module.

A provider plugin subclasses :class:`ProviderPlugin` and translates between hotswap's types and
its provider's wire format; a plugin that only watches or adjusts behaviour implements hooks
(:mod:`hotswap.plugin.specs` declares and documents each) with :data:`hookimpl`. Plugins import
only this module and :mod:`hotswap`; the rest of the core may change without notice.
"""

from __future__ import annotations

from hotswap.config import ModelConfig
from hotswap.plugin.classify import (
    classify_status,
    duration_seconds,
    error_report,
    limit_reset_wait,
    message_in,
    overload_wins,
    provider_message,
    retry_after_seconds,
)
from hotswap.plugin.framing import Frame, Framing
from hotswap.plugin.provider import ProviderPlugin
from hotswap.plugin.specs import hookimpl
from hotswap.plugin.streaming import StreamAssembler, StreamTranslator
from hotswap.types import codec
from hotswap.types.auth import AuthType, Credential, CredentialSpec, TokenGrant
from hotswap.types.completion import Completion, FinishReason, Usage
from hotswap.types.errors import ConfigError, ErrorClassification, ErrorKind
from hotswap.types.events import (
    Finish,
    StreamEvent,
    StreamFailure,
    StreamReset,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    UsageUpdate,
)
from hotswap.types.http import Failure, HttpRequest, HttpResponse, TransportFailure
from hotswap.types.messages import (
    ContentPart,
    ImagePart,
    Message,
    TextPart,
    ThinkingPart,
    ToolCall,
    ToolDefinition,
)
from hotswap.types.providers import Capabilities, KnownModel, ProviderInfo
from hotswap.types.redaction import Secret, get_logger
from hotswap.types.request import (
    CompletionOptions,
    CompletionRequest,
    NamedToolChoice,
    ThinkingLevel,
    ToolChoice,
)

__all__ = [
    "AuthType",
    "Capabilities",
    "Completion",
    "CompletionOptions",
    "CompletionRequest",
    "ConfigError",
    "ContentPart",
    "Credential",
    "CredentialSpec",
    "ErrorClassification",
    "ErrorKind",
    "Failure",
    "Finish",
    "FinishReason",
    "Frame",
    "Framing",
    "HttpRequest",
    "HttpResponse",
    "ImagePart",
    "KnownModel",
    "Message",
    "ModelConfig",
    "NamedToolChoice",
    "ProviderInfo",
    "ProviderPlugin",
    "Secret",
    "StreamAssembler",
    "StreamEvent",
    "StreamFailure",
    "StreamReset",
    "StreamTranslator",
    "TextDelta",
    "TextPart",
    "ThinkingDelta",
    "ThinkingLevel",
    "ThinkingPart",
    "TokenGrant",
    "ToolCall",
    "ToolCallDelta",
    "ToolChoice",
    "ToolDefinition",
    "TransportFailure",
    "Usage",
    "UsageUpdate",
    "classify_status",
    "codec",
    "duration_seconds",
    "error_report",
    "get_logger",
    "hookimpl",
    "limit_reset_wait",
    "message_in",
    "overload_wins",
    "provider_message",
    "retry_after_seconds",
]
