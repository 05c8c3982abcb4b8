"""Where hotswap looks on disk: the user config directory and the credentials directory.

Every path honours an environment variable first, so tests and containers can move them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["credentials_dir", "user_config_dir"]


def user_config_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The per-user config directory: ``$XDG_CONFIG_HOME/hotswap`` (``~/.config/hotswap``),
    or ``%APPDATA%\\hotswap`` on Windows."""
    if sys.platform == "win32" and env.get("APPDATA"):
        return Path(env["APPDATA"]) / "hotswap"
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base).expanduser() / "hotswap"


def credentials_dir(env: Mapping[str, str] = os.environ) -> Path:
    """hotswap's own credentials tree (``CREDENTIAL/INSTANCE/FIELD``): ``$HOTSWAP_CREDENTIALS_DIR``,
    else ``credentials`` inside :func:`user_config_dir`."""
    explicit = env.get("HOTSWAP_CREDENTIALS_DIR")
    return Path(explicit).expanduser() if explicit else user_config_dir(env) / "credentials"
