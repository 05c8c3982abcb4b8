"""The four wire formats the fault server speaks, as bytes, written from provider-facts and not
from hotswap's code: Anthropic Messages (§1), OpenAI chat completions (§2), Gemini
``generateContent`` (§4) and Ollama's native ``/api/chat`` (§8), with every provider's error
shapes (§12).

Each format reads what a request asks (:class:`Asked`) and writes an answer as frames: the
frames before the text (``head``), one frame per piece of text (``texts``), and the frames
that finish it (``tail``), so that a fault can strike after any number of text frames. Error
responses are :class:`Shape` values, named by the error kind they mean and a variant.
"""

from __future__ import annotations

from .anthropic import ANTHROPIC
from .base import (
    Asked,
    Frames,
    PieceStyle,
    Shape,
    Usage,
    WireFormat,
    WireFrame,
    canonical_reply,
    split_text,
)
from .gemini import GEMINI, gemini_route
from .ollama import OLLAMA
from .openai import OPENAI

__all__ = [
    "FORMATS",
    "Asked",
    "Frames",
    "PieceStyle",
    "Shape",
    "Usage",
    "WireFormat",
    "WireFrame",
    "canonical_reply",
    "gemini_route",
    "split_text",
]

FORMATS: dict[str, WireFormat] = {f.name: f for f in (ANTHROPIC, OPENAI, GEMINI, OLLAMA)}
"""Every format, by name."""
