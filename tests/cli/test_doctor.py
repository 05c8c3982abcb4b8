"""`hotswap doctor`: config, plugins and credentials checked model by model; `--fix` stores the
missing keys without echoing them."""

from __future__ import annotations

import stat

from hotswap import ErrorKind
from hotswap.credentials import KEYCHAIN_SERVICE

from .conftest import KEY

NEW_KEY = "sk-ant-api03-typed-at-the-prompt-0002"


def test_a_ready_setup_exits_0(invoke, sim_config):
    result = invoke("doctor", "--config", str(sim_config))

    assert result.exit_code == 0
    assert f"✓ config: {sim_config}: 2 model(s), 2 chain(s)" in result.stdout
    assert "✓ plugin anthropic 0.1.0: provides anthropic" in result.stdout
    assert (
        "✓ model sonnet: anthropic/claude-sonnet-4-5: credential from environment variable "
        "ANTHROPIC_API_KEY"
    ) in result.stdout
    assert "✓ chain default: sonnet → haiku (2 of 2 ready)" in result.stdout
    assert result.stdout.endswith("Everything is ready.\n")
    assert KEY not in result.output


def test_a_missing_key_is_named_with_every_place_looked_and_the_fix(
    invoke, sim_config, monkeypatch
):
    monkeypatch.delenv("ANTHROPIC_API_KEY")

    result = invoke("doctor", "--config", str(sim_config))

    assert result.exit_code == 2
    assert "✗ model sonnet: anthropic/claude-sonnet-4-5: no api_key credential found" in (
        result.stdout
    )
    assert "    - environment variable ANTHROPIC_API_KEY: not set" in result.stdout
    assert "    To fix: set ANTHROPIC_API_KEY" in result.stdout
    assert "✗ chain default: sonnet → haiku (none ready)" in result.stdout
    assert "2 thing(s) to fix." in result.stdout
    assert "Run `hotswap doctor --fix` to enter the missing keys." in result.stdout


def test_a_chain_that_can_use_some_models_names_those_it_fails_over_past(
    invoke, sim_config, monkeypatch
):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    config = sim_config.read_text().replace(
        'model = "claude-haiku-4-5"',
        'model = "claude-haiku-4-5"\ncredential = "anthropic_key:other"',
    )
    sim_config.write_text(config)

    result = invoke("doctor", "--config", str(sim_config))

    assert result.exit_code == 2
    assert "✓ chain default: sonnet → haiku (1 of 2 ready; it fails over past haiku)" in (
        result.stdout
    )


def test_a_model_whose_key_was_refused_is_named_while_chains_skip_it(
    invoke, sim_config, monkeypatch
):
    import time

    from hotswap.engine import shared_breakers

    breakers = shared_breakers()
    breakers.open("sonnet", time.monotonic() + 3000, ErrorKind.AUTH, strikes=1, probe=False)
    try:
        result = invoke("doctor", "--config", str(sim_config))
    finally:
        breakers.close("sonnet")

    assert result.exit_code == 2
    assert (
        "✗ model sonnet: anthropic/claude-sonnet-4-5: credential from environment variable "
        "ANTHROPIC_API_KEY, but the provider refused it (auth): chains skip it for 50 min more"
    ) in result.stdout
    assert "✓ chain default: sonnet → haiku (1 of 2 ready; it fails over past sonnet)" in (
        result.stdout
    )


def test_fix_asks_once_per_credential_and_stores_it_privately(
    invoke, sim_config, monkeypatch, tmp_path
):
    monkeypatch.delenv("ANTHROPIC_API_KEY")

    result = invoke("doctor", "--config", str(sim_config), "--fix", input=f"{NEW_KEY}\n")

    assert result.exit_code == 0, result.output
    assert result.stdout.count("anthropic key anthropic_key/default (for sonnet, haiku)") == 1
    stored = tmp_path / "credentials" / "anthropic_key" / "default" / "token"
    assert stored.read_text() == NEW_KEY + "\n"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert f"stored in {stored} (mode 600)" in result.stdout
    assert f"✓ model haiku: anthropic/claude-haiku-4-5: credential from file {stored}" in (
        result.stdout
    )
    assert NEW_KEY not in result.output


def test_fix_can_store_in_the_keychain(invoke, sim_config, monkeypatch, keychain):
    monkeypatch.delenv("ANTHROPIC_API_KEY")

    result = invoke(
        "doctor", "--config", str(sim_config), "--fix", "--keychain", input=f"{NEW_KEY}\n"
    )

    assert result.exit_code == 0, result.output
    assert keychain.passwords == {(KEYCHAIN_SERVICE, "anthropic_key/default"): NEW_KEY}
    assert "credential from keychain hotswap anthropic_key/default" in result.stdout
    assert NEW_KEY not in result.output


def test_fix_skips_a_key_left_empty(invoke, sim_config, monkeypatch, tmp_path):
    monkeypatch.delenv("ANTHROPIC_API_KEY")

    result = invoke("doctor", "--config", str(sim_config), "--fix", input="\n")

    assert result.exit_code == 2
    assert "  skipped" in result.stdout
    assert not (tmp_path / "credentials").exists()


def test_a_plugin_that_fails_to_load_is_reported(invoke, sim_config, install_plugin):
    install_plugin("broken", "raise RuntimeError('boom at import')\n")

    result = invoke("doctor", "--config", str(sim_config))

    assert result.exit_code == 2
    assert (
        "✗ plugin broken 0.1.0: failed to load: could not be loaded: RuntimeError: boom at import"
    ) in result.stdout


def test_a_disabled_plugin_is_noted(invoke, sim_config, monkeypatch):
    monkeypatch.setenv("HOTSWAP_DISABLE_PLUGINS", "anthropic")

    result = invoke("doctor", "--config", str(sim_config))

    assert "✓ plugin anthropic 0.1.0: disabled by HOTSWAP_DISABLE_PLUGINS" in result.stdout
    assert "plugin 'anthropic' is installed but disabled by HOTSWAP_DISABLE_PLUGINS" in (
        result.stdout
    )
    assert result.exit_code == 2


def test_a_model_of_a_provider_not_installed_says_what_to_install(invoke, write_config):
    path = write_config(
        """
        [chains.default]
        models = ["nosuchprovider/m-1"]
        """
    )

    result = invoke("doctor", "--config", str(path))

    assert "✗ model nosuchprovider/m-1: nosuchprovider/m-1: no installed plugin provides" in (
        result.stdout
    )
    assert "    To add it: pip install hotswap-nosuchprovider" in result.stdout


def test_an_auth_type_the_provider_refuses_is_named(invoke, write_config):
    path = write_config(
        """
        [models.sonnet]
        provider = "anthropic"
        model = "claude-sonnet-4-5"
        auth_type = "none"
        """
    )

    result = invoke("doctor", "--config", str(path))

    assert "auth_type none is not accepted by anthropic; set models.sonnet.auth_type to one " in (
        result.stdout
    )


def test_a_broken_config_is_reported_and_exits_2(invoke, write_config):
    path = write_config("[models.sonnet]\nprovider = 'anthropic'\n")

    result = invoke("doctor", "--config", str(path))

    assert result.exit_code == 2
    assert f"✗ config: {path}: models.sonnet" in result.stdout


def test_no_config_file_is_fine(invoke):
    result = invoke("doctor")

    assert result.exit_code == 0
    assert "✓ config: no config file" in result.stdout


def test_plugins_are_listed_by_name_and_the_cli_s_own_observer_is_not_one(
    invoke, sim_config, install_plugin
):
    install_plugin("aardvark", "")
    invoke("ask", "--config", str(sim_config), "hello")  # registers the CLI's observer

    result = invoke("doctor", "--config", str(sim_config))

    plugins = [line.split()[2] for line in result.stdout.splitlines() if " plugin " in line]
    assert plugins == sorted(plugins)
    assert plugins[0] == "aardvark"
    assert "hotswap.cli" not in result.stdout
