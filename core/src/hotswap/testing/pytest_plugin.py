"""hotswap's pytest plugin: the ``simulator`` and ``isolated_home`` fixtures.

pytest loads this module in every run where hotswap is installed, so it imports nothing but
pytest itself until a test asks for a fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from hotswap.testing.simulator import Simulator

# Where the core looks for credentials besides hotswap's own tree (hotswap.credentials.locations).
_OTHER_STORES = ("AL_CREDENTIALS_PATH", "PI_CODING_AGENT_DIR")


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    """A provider simulator started fresh for this test (no scripts, no records), listening
    on an ephemeral port of 127.0.0.1; stopped after the test. Starting one costs a few
    milliseconds. See :mod:`hotswap.testing`."""
    from hotswap.testing.simulator import Simulator

    with Simulator() as running:
        yield running


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home directory for this test, where every store hotswap reads a credential or
    its configuration from now points (``$HOME``, ``$XDG_CONFIG_HOME``,
    ``$HOTSWAP_CREDENTIALS_DIR``, pi's and Action Llama's), so nothing of the machine's is found.
    A provider's own key variables are the test's to set or clear."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(home / "credentials"))
    for name in _OTHER_STORES:
        monkeypatch.delenv(name, raising=False)
    return home
