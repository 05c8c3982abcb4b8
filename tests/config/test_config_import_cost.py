"""Reading a config loads no CLI, HTTP client, plugin manager or plugin."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .conftest import WriteFile

NEVER_FOR_CONFIG = ("typer", "click", "httpx2", "pluggy", "hotswap.cli", "hotswap.plugin.host")


def test_loading_a_config_imports_no_cli_http_or_plugin_code(write_file: WriteFile) -> None:
    path = write_file(
        "hotswap.toml", 'primary = "local"\n[models.local]\nprovider = "ollama"\nmodel = "llama3"\n'
    )
    statement = (
        "import sys; from hotswap.config import load_config_file; "
        f"load_config_file(__import__('pathlib').Path({str(path)!r})); "
        "print('\\n'.join(sys.modules))"
    )

    result = subprocess.run(
        [sys.executable, "-c", statement], capture_output=True, text=True, check=True
    )

    modules = set(result.stdout.split())
    assert not {m for m in modules if m in NEVER_FOR_CONFIG or m.split(".")[0] in NEVER_FOR_CONFIG}
    assert not {m for m in modules if m.startswith("hotswap_")}
