"""The flags ``ask`` and ``chat`` share: which config and chain, and the request options."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

__all__ = [
    "ChainOption",
    "ConfigOption",
    "MaxTokensOption",
    "ModelOption",
    "SystemOption",
    "TemperatureOption",
    "Thinking",
    "ThinkingOption",
    "request_options",
]


class Thinking(str, enum.Enum):
    """The ``--thinking`` choices: :class:`hotswap.types.request.ThinkingLevel`'s values, repeated
    here so that ``hotswap --help`` need not import pydantic (a test keeps them equal)."""

    OFF = "off"
    MINIMAL = "minimal"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    XHIGH = "xhigh"


# typer reads these annotations at run time, on Python 3.10 too: hence Optional, not `X | None`.
ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option(
        "--config",
        metavar="FILE",
        help="Config file (default: $HOTSWAP_CONFIG, ./hotswap.toml, "
        "~/.config/hotswap/hotswap.toml).",
    ),
]
ChainOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--chain",
        "-c",
        metavar="NAME",
        help="The chain (or agent) to ask; default: the chain named default.",
    ),
]
ModelOption = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option(
        "--model",
        "-m",
        metavar="MODEL",
        help="A model to ask: a [models] name or PROVIDER/MODEL-ID (ollama/llama3.2). Repeat it "
        "for a chain, first tried first.",
    ),
]
SystemOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--system", "-s", metavar="TEXT", help="A system prompt."),
]
MaxTokensOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--max-tokens", min=1, metavar="N", help="Most tokens the answer may have."),
]
TemperatureOption = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option("--temperature", "-t", min=0.0, metavar="T", help="Sampling temperature."),
]
ThinkingOption = Annotated[
    Optional[Thinking],  # noqa: UP045
    typer.Option("--thinking", help="How hard a reasoning model should think."),
]


def request_options(
    max_tokens: int | None, temperature: float | None, thinking: Thinking | None
) -> dict[str, Any]:
    """The request options the command-line flags set (and only those)."""
    options: dict[str, Any] = {}
    if max_tokens is not None:
        options["max_tokens"] = max_tokens
    if temperature is not None:
        options["temperature"] = temperature
    if thinking is not None:
        options["thinking_level"] = thinking.value
    return options
