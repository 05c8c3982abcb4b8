"""Fixtures for credential resolution: a private home directory, an explicit environment, and an
in-memory keychain (tests/conftest.py), so that no test reads the real home directory or the
real keychain."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from hotswap.types.auth import CredentialSpec

WritePiAuth = Callable[[dict[str, object]], Path]


@pytest.fixture(autouse=True)
def keychain(keychain):
    """Every credential test runs with the suite's empty in-memory keychain."""
    return keychain


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    """The environment handed to the resolver: only a home and a config directory."""
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


@pytest.fixture
def spec() -> CredentialSpec:
    return CredentialSpec(
        env_vars=("ANTHROPIC_API_KEY",), credential="anthropic_key", pi_provider="anthropic"
    )


@dataclass(frozen=True)
class Trees:
    """The two credentials trees under the test home directory."""

    hotswap: Path
    action_llama: Path

    def write(
        self,
        root: Path,
        value: str,
        *,
        entry: str = "anthropic_key/default/token",
        mode: int = 0o600,
    ) -> Path:
        """Write ``value`` at ``root/entry`` as a careful user would (0700 directories, 0600
        file, unless ``mode`` says otherwise) and return the file's path."""
        path = root / entry
        for directory in reversed((path.parent, *path.parent.parents)):
            if not directory.exists():
                directory.mkdir(mode=0o700)
        path.write_text(value)
        os.chmod(path, mode)
        return path


@pytest.fixture
def trees(home: Path) -> Trees:
    return Trees(
        hotswap=home / ".config" / "hotswap" / "credentials",
        action_llama=home / ".action-llama" / "credentials",
    )


@pytest.fixture
def pi_auth_path(home: Path) -> Path:
    return home / ".pi" / "agent" / "auth.json"


@pytest.fixture
def write_pi_auth(pi_auth_path: Path) -> WritePiAuth:
    """Write pi's auth.json with the given entries, as pi does (0700 directory, 0600 file)."""

    def write(entries: dict[str, object]) -> Path:
        pi_auth_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        pi_auth_path.write_text(json.dumps(entries, indent=2))
        os.chmod(pi_auth_path, 0o600)
        return pi_auth_path

    return write
