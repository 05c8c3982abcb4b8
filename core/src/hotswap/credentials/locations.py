"""Where the credential stores of other tools live: Action Llama's tree and pi's ``auth.json``.

hotswap's own tree is :func:`hotswap.config.paths.credentials_dir`. Every function takes the
environment and home directory explicitly, so that tests and containers can point them anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["action_llama_dir", "home_dir", "pi_auth_file"]


def home_dir(home: Path | None, env: Mapping[str, str]) -> Path:
    """``home`` if given, else ``$HOME`` from ``env``, else the current user's home directory."""
    if home is not None:
        return home
    explicit = env.get("HOME")
    return Path(explicit) if explicit else Path.home()


def _expand(text: str, home: Path) -> Path:
    # Path.expanduser would consult the real $HOME, not the one we were given.
    if text == "~" or text.startswith(("~/", "~\\")):
        return home / text[2:]
    return Path(text)


def action_llama_dir(env: Mapping[str, str], home: Path) -> Path:
    """Action Llama's credentials tree: ``$AL_CREDENTIALS_PATH``, else
    ``~/.action-llama/credentials``."""
    explicit = env.get("AL_CREDENTIALS_PATH")
    return _expand(explicit, home) if explicit else home / ".action-llama" / "credentials"


def pi_auth_file(env: Mapping[str, str], home: Path) -> Path:
    """pi's login file: ``$PI_CODING_AGENT_DIR/auth.json``, else ``~/.pi/agent/auth.json``."""
    explicit = env.get("PI_CODING_AGENT_DIR")
    agent_dir = _expand(explicit, home) if explicit else home / ".pi" / "agent"
    return agent_dir / "auth.json"
