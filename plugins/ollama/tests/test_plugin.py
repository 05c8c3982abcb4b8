"""The plugin as installed: found through the entry point, nothing but a translator, and
working in a fresh environment that holds only it and the core."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotswap import PluginHost
from hotswap.plugin import AuthType

PLUGIN = Path(__file__).resolve().parents[1]

PROBE = """
import json, os, sys
from hotswap.plugin import CompletionRequest, Message
from hotswap import Config, default_host, list_models
from hotswap.testing import Harness

host = default_host()
model = Config.from_dict({}).resolve("ollama/llama3.2")
request = CompletionRequest(messages=(Message.user("hi alone"),))
completion = Harness.on(host, model).complete(request)
print(json.dumps({
    "plugins": sorted([r.name, r.status] for r in host.records()),
    "text": completion.text,
    "listed": [m.id for m in list_models("ollama", host=host)],
    "plugin_packages": sorted({m.split(".")[0] for m in sys.modules if m.startswith("hotswap_")}),
    "from_this_environment": sys.modules["hotswap_ollama"].__file__.startswith(sys.prefix),
}))
"""


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


@pytest.mark.slow
def test_it_answers_installed_alone_with_the_core(fresh_venv, simulator):
    python = fresh_venv(PLUGIN)
    simulator.serve_models("ollama", "llama3.2")
    env = {**os.environ, "OLLAMA_HOST": simulator.url}

    output = subprocess.run(
        [str(python), "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout

    assert json.loads(output) == {
        "plugins": [["ollama", "loaded"]],
        "text": "echo: hi alone",
        "listed": ["llama3.2:latest"],
        "plugin_packages": ["hotswap_ollama"],
        "from_this_environment": True,
    }
