"""`hotswap --help` starts fast: the command modules import only typer, and everything a
command needs (pydantic, the HTTP client, plugins, the simulator) loads when it runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

HELP = "import sys; sys.argv = ['hotswap', '--help']; from hotswap.cli import main; main()"
LOADED_BY_COMMANDS = ("pydantic", "httpx2", "pluggy", "rich", "aiohttp", "keyring")
HOTSWAP_AT_WORK = ("hotswap.config", "hotswap.engine", "hotswap.plugins", "hotswap.testing")


def test_help_imports_nothing_a_command_loads_when_it_runs():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", HELP], capture_output=True, text=True, check=True
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}

    assert "Usage: hotswap" in result.stdout
    assert not {m for m in modules if m.split(".")[0] in LOADED_BY_COMMANDS}
    assert not {m for m in modules if m.startswith(("hotswap_", *HOTSWAP_AT_WORK))}


@pytest.mark.slow
def test_help_starts_in_under_150_ms():
    script = Path(sys.executable).parent / "hotswap"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run([script, "--help"], check=True, stdout=subprocess.DEVNULL, env=env)
        timings.append(time.perf_counter() - start)

    assert min(timings) < 0.150, f"hotswap --help took {min(timings) * 1000:.0f} ms at best"
