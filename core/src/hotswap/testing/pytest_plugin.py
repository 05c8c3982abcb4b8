"""hotswap's pytest plugin: the ``simulator`` fixture.

pytest loads this module in every run where hotswap is installed, so it imports nothing but
pytest itself until a test asks for the fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from hotswap.testing.simulator import Simulator


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    """A provider simulator started fresh for this test (no scripts, no records), listening
    on an ephemeral port of 127.0.0.1; stopped after the test. Starting one costs a few
    milliseconds. See :mod:`hotswap.testing`."""
    from hotswap.testing.simulator import Simulator

    with Simulator() as running:
        yield running
