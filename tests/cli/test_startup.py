"""`hotswap --help` starts fast: the command modules import only typer, and everything a
command needs (pydantic, the HTTP client, plugins, the simulator) loads when it runs.

The wall-clock figure (budget 150 ms) is measured by benchmarks/cli_startup.py rather than
asserted here: on two shared cores under a full test run, timings vary several-fold."""

from __future__ import annotations

import subprocess
import sys

HELP = "import sys; sys.argv = ['hotswap', '--help']; from hotswap.cli import main; main()"
LOADED_BY_COMMANDS = ("pydantic", "httpx2", "pluggy", "rich", "aiohttp", "keyring")
HOTSWAP_AT_WORK = ("hotswap.config", "hotswap.engine", "hotswap.plugin.host", "hotswap.testing")


def test_help_imports_nothing_a_command_loads_when_it_runs():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", HELP], capture_output=True, text=True, check=True
    )
    modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}

    assert "Usage: hotswap" in result.stdout
    assert not {m for m in modules if m.split(".")[0] in LOADED_BY_COMMANDS}
    assert not {m for m in modules if m.startswith(("hotswap_", *HOTSWAP_AT_WORK))}
