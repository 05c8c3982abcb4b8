"""The plugin as installed: found through its entry point, and nothing but a translator."""

from __future__ import annotations

import subprocess
import sys

from hotswap import PluginHost

from {{ cookiecutter.__package }}.provider import INFO


def test_the_installed_entry_point_provides_the_provider(home):
    host = PluginHost()

    info = host.provider("{{ cookiecutter.name }}")

    [record] = [r for r in host.records() if r.name == "{{ cookiecutter.name }}"]
    assert (record.status, record.target, record.distribution) == (
        "loaded",
        "{{ cookiecutter.__package }}:plugin",
        "{{ cookiecutter.__distribution }}",
    )
    assert info == INFO
    assert (info.display_name, info.base_url) == (
        "{{ cookiecutter.display_name }}",
        "{{ cookiecutter.base_url }}",
    )
    assert info.env_vars == ("{{ cookiecutter.env_var }}",)


def test_importing_the_plugin_loads_no_http_client():
    code = (
        "import sys, {{ cookiecutter.__package }}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('httpx2', 'httpx', 'aiohttp', 'requests', 'urllib3', 'h11')))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
