"""`hotswap plugins` and `hotswap --version`, driven through typer's test runner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from hotswap.cli import app

FAKE_ACME = """
from hotswap.plugin import ProviderInfo, hookimpl

@hookimpl
def hotswap_register_providers(register):
    register(ProviderInfo(
        name="acme",
        base_url="https://api.acme.test",
        auth={"api_key": {"env_vars": ["ACME_API_KEY"], "credential": "acme_key"}},
    ))
"""

runner = CliRunner()


def test_plugins_lists_versions_entry_points_providers_and_failures(install_plugin):
    install_plugin("acme", FAKE_ACME)
    install_plugin("broken", "raise RuntimeError('boom at import')\n")

    result = runner.invoke(app, ["plugins"])

    assert result.exit_code == 0
    assert "acme           loaded   hotswap-acme 0.1.0" in result.output
    assert "entry point: hotswap_acme  provides: acme" in result.output
    assert "error: could not be loaded: RuntimeError: boom at import" in result.output


def test_plugins_json_is_machine_readable(install_plugin):
    install_plugin("acme", FAKE_ACME)

    result = runner.invoke(app, ["plugins", "--json"])

    [record] = [r for r in json.loads(result.output) if r["name"] == "acme"]
    assert record == {
        "name": "acme",
        "target": "hotswap_acme",
        "distribution": "hotswap-acme",
        "version": "0.1.0",
        "status": "loaded",
        "error": None,
        "providers": ["acme"],
    }


def test_version_is_printed():
    result = runner.invoke(app, ["--version"])

    assert result.output.startswith("hotswap 0.1.0")


def test_a_plugin_named_in_hotswap_disable_plugins_is_not_loaded(install_plugin, monkeypatch):
    install_plugin("broken", "raise RuntimeError('boom at import')\n")
    monkeypatch.setenv("HOTSWAP_DISABLE_PLUGINS", "broken, other")

    result = runner.invoke(app, ["plugins", "--json"])

    [record] = [r for r in json.loads(result.output) if r["name"] == "broken"]
    assert (record["status"], record["error"]) == ("disabled", None)


def test_the_cli_s_own_observer_is_not_listed_as_a_plugin(invoke, sim_config):
    invoke("ask", "--config", str(sim_config), "hello")  # registers the CLI's observer

    result = invoke("plugins", "--json")

    assert "hotswap.cli" not in [record["name"] for record in json.loads(result.stdout)]
