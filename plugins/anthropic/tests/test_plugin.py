"""The plugin as installed: found through the entry point, and nothing but a translator."""

from __future__ import annotations

import subprocess
import sys

from hotswap import PluginHost


def test_the_installed_entry_point_provides_anthropic(home):
    host = PluginHost()

    info = host.provider("anthropic")

    [record] = [r for r in host.records() if r.name == "anthropic"]
    assert (record.status, record.target, record.distribution) == (
        "loaded",
        "hotswap_anthropic:plugin",
        "hotswap-anthropic",
    )
    assert (info.display_name, info.base_url) == ("Anthropic", "https://api.anthropic.com/v1")
    assert info.capabilities.thinking
    assert info.capabilities.vision


def test_importing_the_plugin_loads_no_http_client():
    code = (
        "import sys, hotswap_anthropic; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('httpx2', 'httpx', 'aiohttp', 'requests', 'urllib3', 'h11')))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
