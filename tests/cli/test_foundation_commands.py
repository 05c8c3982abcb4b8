"""`hotswap plugins` and the foundation `hotswap demo`, driven through typer's test runner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from hotswap.cli import app

FAKE_ACME = """
import hotswap

@hotswap.hookimpl
def hotswap_register_providers(register):
    register(hotswap.ProviderInfo(
        name="acme",
        base_url="https://api.acme.test",
        auth={"api_key": {"env_vars": ["ACME_API_KEY"], "credential": "acme_key"}},
    ))
"""

runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_host(monkeypatch, tmp_path):
    """Each test discovers plugins anew, and no real credential store is consulted."""
    monkeypatch.setattr("hotswap.plugins._default", None)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "credentials"))
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "HOTSWAP_DISABLE_PLUGINS"):
        monkeypatch.delenv(name, raising=False)


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


def test_demo_resolves_the_example_chain_against_what_is_installed(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-demo-key-never-printed")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    result = runner.invoke(app, ["demo"])

    assert result.exit_code == 0
    assert "Provider plugins installed: anthropic" in result.output
    assert "1. sonnet: anthropic / claude-sonnet-4-20250514, thinking medium" in result.output
    assert "ready: auth api_key, credential from environment variable ANTHROPIC_API_KEY" in (
        result.output
    )
    assert "2. gpt4o: openai / gpt-4o\n     ready except the credential" in result.output
    assert "demo-key-never-printed" not in result.output


def test_demo_says_which_credential_is_missing():
    result = runner.invoke(app, ["demo"])

    assert "ready except the credential" in result.output
    assert "ANTHROPIC_API_KEY" in result.output


def test_version_is_printed():
    result = runner.invoke(app, ["--version"])

    assert result.output.startswith("hotswap 0.1.0")
