"""Which wire format a request's path belongs to, and the model a Gemini path names.

The paths are the providers' own, so a client needs only its base URL pointed at the simulator:

=====================================================  ===========================================
``POST /v1/messages``                                  Anthropic
``POST <any prefix>/chat/completions``                 OpenAI-compatible (``/v1``, Groq's
                                                       ``/openai/v1``, OpenRouter's ``/api/v1``,
                                                       Ollama's ``/v1``, …)
``POST /v1beta/models/{model}:generateContent``        Gemini (also ``/v1/…`` and
``POST /v1beta/models/{model}:streamGenerateContent``  ``:streamGenerateContent?alt=sse``)
``POST /api/chat``                                     Ollama native
``GET /api/tags``                                      Ollama's local models
``GET /v1beta/models``                                 Gemini's models
=====================================================  ===========================================
"""

from __future__ import annotations

import re

from hotswap.testing.anthropic import Anthropic
from hotswap.testing.gemini import Gemini
from hotswap.testing.ollama import Ollama
from hotswap.testing.openai import OpenAI
from hotswap.testing.wire import Dialect, Outgoing

__all__ = ["DIALECTS", "not_found", "route"]

DIALECTS: dict[str, Dialect] = {d.name: d for d in (Anthropic(), OpenAI(), Gemini(), Ollama())}
"""Every wire format, by provider family name."""

_LISTINGS = {"/api/tags": "ollama", "/v1beta/models": "gemini"}
"""The ``GET`` paths that list a provider's models, and whose they are."""

_GEMINI = re.compile(r"/(?:v1beta|v1alpha|v1)/models/([^/:]+):(?:streamG|g)enerateContent")


def route(method: str, path: str) -> tuple[Dialect, str | None] | None:
    """The dialect serving ``path`` and the model the path names (Gemini's), or None when the
    simulator serves nothing there. A ``GET`` is a model listing."""
    if method == "GET":
        listing = _LISTINGS.get(path)
        return None if listing is None else (DIALECTS[listing], None)
    if method != "POST":
        return None
    if path == "/v1/messages":
        return DIALECTS["anthropic"], None
    if path.endswith("/chat/completions"):
        return DIALECTS["openai"], None
    if path == "/api/chat":
        return DIALECTS["ollama"], None
    found = _GEMINI.fullmatch(path)
    if found:
        return DIALECTS["gemini"], found.group(1)
    return None


def not_found(method: str, path: str) -> Outgoing:
    """The answer for a path no provider serves, saying which paths the simulator does serve."""
    text = (
        f"hotswap simulator: nothing is served at {method} {path}. It serves POST /v1/messages "
        "(Anthropic), POST <prefix>/chat/completions (OpenAI-compatible), POST "
        "/v1beta/models/<model>:generateContent and :streamGenerateContent?alt=sse (Gemini), "
        "POST /api/chat (Ollama), and the model lists GET /api/tags and GET /v1beta/models.\n"
    )
    return Outgoing(404, text.encode(), "text/plain; charset=utf-8")
