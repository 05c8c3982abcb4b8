"""hotswap.testing: a local stand-in for the LLM providers, which can be told to misbehave.

It speaks Anthropic Messages, OpenAI chat completions (and so every OpenAI-compatible
provider), Gemini and Ollama over real HTTP on 127.0.0.1, checks what the real provider
checks, answers ``"echo: <last user text>"``, and fails on demand, per model, from a script::

    from hotswap.testing import Simulator, RateLimit, Reset, Script

    with Simulator() as sim:
        sim.script("claude-sonnet-4-5", [RateLimit(retry_after=2), RateLimit()])
        sim.script("*", Script.chaos((Reset(), 0.1), seed=7))
        ...  # point any client at sim.url
        assert sim.count("claude-sonnet-4-5") == 3

With pytest, the ``simulator`` fixture gives each test a fresh, running one, and
``isolated_home`` a home where no credential of the machine is found. From a shell,
``hotswap simulate`` serves one until stopped. A plugin's tests find their tools here too:
:func:`lone_host` and :class:`Harness` (the plugin alone in a host, over real HTTP),
:func:`request`,
:func:`translate` and :func:`assemble` (its translation on bytes alone), and
:func:`probe_installed` (the plugin installed alone in another environment). The server
needs the ``simulator`` extra (``pip install 'hotswap[simulator]'``, which brings aiohttp);
importing this package does not.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotswap.testing.faults import (
        ContentFilter,
        ContextTooLong,
        Cut,
        ErrorFault,
        Fault,
        Forbidden,
        Hang,
        Malformed,
        Overloaded,
        PromptBlocked,
        QuotaExhausted,
        RateLimit,
        RawResponse,
        Reset,
        ServerFault,
        Slow,
        Stall,
        StreamError,
        Unauthorized,
    )
    from hotswap.testing.plugins import Harness, lone_host, probe_installed
    from hotswap.testing.recording import RecordedRequest
    from hotswap.testing.replies import Reply, ToolCall
    from hotswap.testing.scripts import Script, Step
    from hotswap.testing.simulator import Simulator
    from hotswap.testing.translation import assemble, request, translate

_FAULTS = (
    "ContentFilter",
    "ContextTooLong",
    "Cut",
    "ErrorFault",
    "Fault",
    "Forbidden",
    "Hang",
    "Malformed",
    "Overloaded",
    "PromptBlocked",
    "QuotaExhausted",
    "RateLimit",
    "RawResponse",
    "Reset",
    "ServerFault",
    "Slow",
    "Stall",
    "StreamError",
    "Unauthorized",
)
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(_FAULTS, "hotswap.testing.faults"),
    **dict.fromkeys(("Harness", "lone_host", "probe_installed"), "hotswap.testing.plugins"),
    **dict.fromkeys(("assemble", "request", "translate"), "hotswap.testing.translation"),
    "RecordedRequest": "hotswap.testing.recording",
    "Reply": "hotswap.testing.replies",
    "ToolCall": "hotswap.testing.replies",
    "Script": "hotswap.testing.scripts",
    "Step": "hotswap.testing.scripts",
    "Simulator": "hotswap.testing.simulator",
}

__all__ = [
    "ContentFilter",
    "ContextTooLong",
    "Cut",
    "ErrorFault",
    "Fault",
    "Forbidden",
    "Hang",
    "Harness",
    "Malformed",
    "Overloaded",
    "PromptBlocked",
    "QuotaExhausted",
    "RateLimit",
    "RawResponse",
    "RecordedRequest",
    "Reply",
    "Reset",
    "Script",
    "ServerFault",
    "Simulator",
    "Slow",
    "Stall",
    "Step",
    "StreamError",
    "ToolCall",
    "Unauthorized",
    "assemble",
    "lone_host",
    "probe_installed",
    "request",
    "translate",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'hotswap.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
