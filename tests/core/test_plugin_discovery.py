"""Plugins are found from metadata, imported on first use, and isolated from each other."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hotswap import PluginError, PluginHost, UnknownProviderError
from hotswap.plugin import hookimpl
from hotswap.types.providers import ProviderInfo

ACME = """
from hotswap.plugin import ProviderInfo, hookimpl

@hookimpl
def hotswap_register_providers(register):
    register(ProviderInfo(
        name="acme",
        display_name="Acme",
        base_url="https://api.acme.test/v1",
        auth={"api_key": {"env_vars": ["ACME_API_KEY"], "credential": "acme_key"}},
        models=[{"id": "acme-large", "aliases": ["large"], "context_window": 128000}],
    ))
"""


def test_an_installed_plugin_is_discovered_without_being_imported(install_plugin):
    install_plugin("acme", ACME)

    host = PluginHost()

    [record] = [r for r in host.records() if r.name == "acme"]
    assert (record.target, record.distribution, record.version, record.status) == (
        "hotswap_acme",
        "hotswap-acme",
        "0.1.0",
        "not loaded",
    )
    assert "hotswap_acme" not in sys.modules


def test_first_use_loads_the_plugin_and_its_providers(install_plugin):
    install_plugin("acme", ACME)
    host = PluginHost()

    acme = host.provider("acme")

    assert acme.display_name == "Acme"
    assert acme.known_model("large").id == "acme-large"
    assert "hotswap_acme" in sys.modules
    [record] = [r for r in host.records() if r.name == "acme"]
    assert (record.status, record.providers) == ("loaded", ("acme",))


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param("import not_a_module_anywhere\n", "No module named", id="import-error"),
        pytest.param("raise RuntimeError('boom at import')\n", "boom at import", id="raises"),
        pytest.param("def broken(:\n", "SyntaxError", id="syntax-error"),
        pytest.param(
            "from hotswap.plugin import hookimpl\n"
            "@hookimpl\n"
            "def hotswap_build_requets(model):\n    pass\n",
            "'hotswap_build_requets', which is not a hotswap hook",
            id="misspelt-hook",
        ),
        pytest.param(
            "from hotswap.plugin import hookimpl\n"
            "@hookimpl\n"
            "def hotswap_build_request(model, colour):\n    pass\n",
            "colour",
            id="argument-not-in-spec",
        ),
        pytest.param(
            "from hotswap.plugin import hookimpl\n"
            "@hookimpl\n"
            "def hotswap_register_providers(register):\n"
            "    register({'name': 'Bad Name!', 'base_url': 'x', 'auth': {'none': {}}})\n",
            "declared an invalid provider",
            id="invalid-provider",
        ),
        pytest.param(
            "from hotswap.plugin import hookimpl\n"
            "@hookimpl\n"
            "def hotswap_register_providers(register):\n"
            "    raise KeyError('registration blew up')\n",
            "registration blew up",
            id="register-raises",
        ),
    ],
)
def test_a_broken_plugin_is_reported_and_the_others_still_work(install_plugin, source, reason):
    install_plugin("acme", ACME)
    install_plugin("broken", source)
    host = PluginHost()

    assert host.provider("acme").name == "acme"

    [broken] = [r for r in host.records() if r.name == "broken"]
    assert broken.status == "failed"
    assert reason in broken.error


def test_a_broken_plugin_is_logged(install_plugin, caplog):
    install_plugin("broken", "raise RuntimeError('boom at import')\n")

    PluginHost().load()

    assert "hotswap plugin 'broken' disabled" in caplog.text
    assert "boom at import" in caplog.text


def test_a_provider_registered_twice_keeps_the_first_plugin(install_plugin):
    install_plugin("acme", ACME)
    install_plugin("copycat", ACME, module="hotswap_copycat")
    host = PluginHost()

    host.load()

    # Only the two rivals: the workspace's real plugins are installed too.
    states = {r.name: r for r in host.records() if r.name in ("acme", "copycat")}
    assert sum(r.status == "loaded" for r in states.values()) == 1
    [failed] = [r for r in states.values() if r.status == "failed"]
    assert "registers provider 'acme', already registered by plugin" in failed.error
    assert host.provider("acme").name == "acme"


def test_a_disabled_plugin_is_never_imported(install_plugin, monkeypatch):
    install_plugin("acme", ACME)
    monkeypatch.setenv("HOTSWAP_DISABLE_PLUGINS", " other , acme")
    host = PluginHost()

    with pytest.raises(UnknownProviderError) as raised:
        host.provider("acme")

    assert "disabled by HOTSWAP_DISABLE_PLUGINS" in str(raised.value)
    assert "hotswap_acme" not in sys.modules
    assert [r.status for r in host.records() if r.name == "acme"] == ["disabled"]


def test_an_unknown_provider_lists_what_is_installed_and_how_to_add_it(install_plugin):
    install_plugin("acme", ACME)

    with pytest.raises(UnknownProviderError) as raised:
        PluginHost().provider("zeta")

    message = str(raised.value)
    assert "no installed plugin provides 'zeta'" in message
    assert "installed providers: acme" in message
    assert "pip install hotswap-zeta" in message


def test_a_failed_plugin_is_named_when_its_provider_is_asked_for(install_plugin):
    install_plugin("acme", "raise RuntimeError('boom at import')\n")

    with pytest.raises(UnknownProviderError, match=r"installed but failed to load: .*boom"):
        PluginHost().provider("acme")


def test_an_application_can_register_a_plugin_object_directly():

    class Local:
        @hookimpl
        def hotswap_register_providers(self, register):
            register(ProviderInfo(name="local", base_url="http://127.0.0.1:1", auth={"none": {}}))

    host = PluginHost(entry_points=[])

    host.register(Local(), name="local")

    assert host.providers()["local"].default_auth_type == "none"


def test_registering_an_invalid_plugin_object_raises():

    class Typo:
        @hookimpl
        def hotswap_clasify_error(self, model, failure):
            return None

    host = PluginHost(entry_points=[])

    with pytest.raises(PluginError, match="'hotswap_clasify_error', which is not a hotswap hook"):
        host.register(Typo(), name="typo")


@pytest.mark.slow
def test_a_plugin_installed_only_in_a_fresh_environment_is_found(tmp_path, fresh_venv):
    package = tmp_path / "hotswap-acme"
    (package / "src" / "hotswap_acme").mkdir(parents=True)
    (package / "src" / "hotswap_acme" / "__init__.py").write_text(ACME)
    (package / "pyproject.toml").write_text(
        '[project]\nname = "hotswap-acme"\nversion = "0.3.0"\ndependencies = ["hotswap"]\n'
        '[project.entry-points.hotswap]\nacme = "hotswap_acme"\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["src/hotswap_acme"]\n'
    )
    python = fresh_venv(package)

    probe = (
        "from hotswap.plugin.host import default_host\n"
        "host = default_host()\n"
        "print(sorted((r.name, r.version) for r in host.records()))\n"
        "print(sorted(host.providers()))\n"
    )
    output = subprocess.run(
        [str(python), "-c", probe], check=True, capture_output=True, text=True
    ).stdout

    assert output.splitlines() == ["[('acme', '0.3.0')]", "['acme']"]
    assert "hotswap_acme" not in sys.modules
