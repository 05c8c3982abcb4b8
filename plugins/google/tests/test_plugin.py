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
from hotswap import ModelConfig, default_host
from hotswap.testing import Harness

host = default_host()
model = ModelConfig(name="g", provider="google", model="gemini-2.5-flash",
                    base_url=os.environ["SIMULATOR_URL"] + "/v1beta")
request = CompletionRequest(messages=(Message.user("hi alone"),))
completion = Harness.on(host, model).complete(request)
print(json.dumps({
    "plugins": sorted([r.name, r.status] for r in host.records()),
    "text": completion.text,
    "plugin_packages": sorted({m.split(".")[0] for m in sys.modules if m.startswith("hotswap_")}),
    "from_this_environment": sys.modules["hotswap_google"].__file__.startswith(sys.prefix),
}))
"""


def test_the_installed_entry_point_provides_google(home):
    host = PluginHost()

    info = host.provider("google")

    [record] = [r for r in host.records() if r.name == "google"]
    assert (record.status, record.target, record.distribution) == (
        "loaded",
        "hotswap_google:plugin",
        "hotswap-google",
    )
    assert (info.display_name, info.base_url) == (
        "Google Gemini",
        "https://generativelanguage.googleapis.com/v1beta",
    )
    assert info.default_auth_type is AuthType.API_KEY
    assert info.env_vars == ("GEMINI_API_KEY", "GOOGLE_API_KEY")
    assert info.capabilities.thinking
    assert info.capabilities.vision


def test_importing_the_plugin_loads_no_http_client():
    code = (
        "import sys, hotswap_google; "
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
    env = {**os.environ, "SIMULATOR_URL": simulator.url, "GEMINI_API_KEY": "AIza-alone"}

    output = subprocess.run(
        [str(python), "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout

    assert json.loads(output) == {
        "plugins": [["google", "loaded"]],
        "text": "echo: hi alone",
        "plugin_packages": ["hotswap_google"],
        "from_this_environment": True,
    }
    assert simulator.requests[0].headers["x-goog-api-key"] == "AIza-alone"
