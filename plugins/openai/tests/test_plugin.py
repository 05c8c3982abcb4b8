"""The plugin as installed: found through the entry point, nothing but a translator, and
working in an environment that holds only it and the core."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hotswap import PluginHost
from hotswap.testing import probe_installed

PLUGIN = Path(__file__).resolve().parents[1]


def test_the_installed_entry_point_provides_openai(home):
    host = PluginHost()

    info = host.provider("openai")

    [record] = [r for r in host.records() if r.name == "openai"]
    assert (record.status, record.target, record.distribution) == (
        "loaded",
        "hotswap_openai:plugin",
        "hotswap-openai",
    )
    assert (info.display_name, info.base_url) == ("OpenAI", "https://api.openai.com/v1")
    assert info.env_vars == ("OPENAI_API_KEY",)
    assert info.known_model("gpt4o").id == "gpt-4o"
    assert info.capabilities_of("o3").thinking
    assert not info.capabilities_of("gpt-4.1").thinking
    assert info.known_model("gpt-4.1").context_window == 1_047_576


def test_importing_the_plugin_loads_no_http_client():
    code = (
        "import sys, hotswap_openai; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('httpx2', 'httpx', 'aiohttp', 'requests', 'urllib3', 'h11')))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_it_works_installed_alone_with_the_core(fresh_venv):
    python = fresh_venv(PLUGIN)

    found = probe_installed(python, "openai", "gpt-4o")

    assert found == {
        "plugins": [["openai", "loaded"]],
        "path": "/chat/completions",
        "model": "gpt-4o",
        "text": "hello",
    }
