"""Fixtures the plugins' tests share with the core's suite.

``fresh_venv`` (a new virtual environment holding the core and given packages, nothing else
from this workspace) is defined once, in ``tests/conftest.py``; it is loaded from there so each
plugin can show that it works installed alone.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SUITE = Path(__file__).resolve().parents[1] / "tests" / "conftest.py"
_spec = importlib.util.spec_from_file_location("hotswap_suite_conftest", _SUITE)
assert _spec is not None
assert _spec.loader is not None
_suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_suite)

fresh_venv = _suite.fresh_venv

__all__ = ["fresh_venv"]
