"""The plugin as installed: found through the entry point, and nothing but a translator."""

from __future__ import annotations

import subprocess
import sys

from hotswap import AuthType, PluginHost


def test_the_installed_entry_point_provides_ollama(home):
    host = PluginHost()

    info = host.provider("ollama")

    [record] = [r for r in host.records() if r.name == "ollama"]
    assert (record.status, record.target, record.distribution) == (
        "loaded",
        "hotswap_ollama:plugin",
        "hotswap-ollama",
    )
    assert (info.display_name, info.base_url) == ("Ollama", "http://localhost:11434")
    assert info.default_auth_type is AuthType.NONE
    assert info.capabilities_of("qwen3").thinking
    assert not info.capabilities_of("llama3.2").thinking


def test_importing_the_plugin_loads_no_http_client():
    code = (
        "import sys, hotswap_ollama; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('httpx2', 'httpx', 'aiohttp', 'requests', 'urllib3', 'h11')))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
