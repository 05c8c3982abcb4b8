"""`hotswap models`: configured and known models, each with its credential and breaker state."""

from __future__ import annotations

import json

import pytest

from hotswap.cli.readiness import breaker_state
from hotswap.cli.servers import is_local
from hotswap.engine import MemoryBreakerStore
from hotswap.testing import RateLimit

MORE = """
[models.mystery]
provider = "nosuchprovider"
model = "m-1"
"""


def rows(output: str, heading: str) -> dict[str, list[str]]:
    """The table under ``heading``, as its cells by first column."""
    lines = output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith(heading))) + 2
    table = {}
    for line in lines[start:]:
        if not line.strip() or line.startswith("Run "):
            break
        cells = [cell for cell in line.split("  ") if cell.strip()]
        table[cells[0].strip()] = [cell.strip() for cell in cells[1:]]
    return table


def test_configured_models_show_provider_credential_and_breaker(invoke, sim_config):
    result = invoke("models", "--config", str(sim_config))

    assert result.exit_code == 0
    assert result.stdout.startswith(f"Configured models ({sim_config})\n")
    assert rows(result.stdout, "Configured models")["sonnet"] == [
        "anthropic",
        "claude-sonnet-4-5",
        "environment variable ANTHROPIC_API_KEY",
        "closed",
    ]


def test_a_model_without_a_credential_says_missing(invoke, sim_config, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")

    result = invoke("models", "--config", str(sim_config))

    assert rows(result.stdout, "Configured models")["haiku"][2] == "missing"
    assert "Run `hotswap doctor` to see what to fix." in result.stdout


def test_a_model_whose_provider_is_not_installed_says_what_to_install(
    invoke, sim_config, write_config
):
    path = write_config(sim_config.read_text() + MORE)

    result = invoke("models", "--config", str(path))

    assert rows(result.stdout, "Configured models")["mystery"][2] == (
        "provider not installed (pip install hotswap-nosuchprovider)"
    )


def test_a_model_cooling_down_shows_its_open_breaker(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [RateLimit()])
    invoke("ask", "--config", str(sim_config), "hello")

    result = invoke("models", "--config", str(sim_config))

    table = rows(result.stdout, "Configured models")
    assert table["sonnet"][3] in ("open 60 s (rate_limited)", "open 59 s (rate_limited)")
    assert table["haiku"][3] == "closed"


def test_known_models_of_installed_providers_are_listed_with_aliases(invoke):
    result = invoke("models")

    assert "Configured models (no config file found)" in result.stdout
    known = rows(result.stdout, "Known models")
    assert known["anthropic/claude-haiku-4-5"] == [
        "haiku, claude-haiku-4-5-20251001",
        "200,000",
        "missing",
        "closed",
    ]


def test_json_lists_both_tables(invoke, sim_config):
    result = invoke("models", "--config", str(sim_config), "--json")

    record = json.loads(result.stdout)
    assert [m["name"] for m in record["configured"]] == ["sonnet", "haiku"]
    assert record["configured"][0] == {
        "name": "sonnet",
        "provider": "anthropic",
        "model_id": "claude-sonnet-4-5",
        "installed": True,
        "credential": "environment variable ANTHROPIC_API_KEY",
        "missing_credential": False,
        "problem": None,
        "breaker": "closed",
    }
    haiku = next(m for m in record["known"] if m["model_id"] == "claude-haiku-4-5")
    assert haiku["aliases"] == ["haiku", "claude-haiku-4-5-20251001"]
    assert haiku["context_window"] == 200_000


def test_a_broken_config_exits_2(invoke, write_config):
    path = write_config("[chains.default]\nmodels = []\n")

    result = invoke("models", "--config", str(path))

    assert result.exit_code == 2
    assert "a chain needs at least one model" in result.stderr


def test_a_local_server_s_models_are_listed(invoke, write_config, simulator, monkeypatch):
    simulator.serve_models("ollama", "llama3.2:latest", "qwen3:8b")
    monkeypatch.setenv("OLLAMA_HOST", simulator.url)  # the default server is the simulator too
    path = write_config(
        f"""
        [models.local]
        provider = "ollama"
        model = "llama3.2"
        base_url = "{simulator.url}"
        """
    )

    result = invoke("models", "--config", str(path))

    assert result.exit_code == 0
    servers = rows(result.stdout, "Models on local servers")
    assert servers == {"ollama": [simulator.url, "llama3.2:latest, qwen3:8b"]}
    assert [(r.method, r.path) for r in simulator.requests] == [("GET", "/api/tags")]


def test_a_server_that_does_not_answer_is_said_so(invoke, closed_port):
    result = invoke("models")

    assert rows(result.stdout, "Models on local servers") == {
        "ollama": [closed_port, "no answer (is it running?)"]
    }


def test_json_lists_what_each_server_said(invoke, write_config, simulator, closed_port):
    simulator.serve_models("ollama", "qwen3:8b")
    path = write_config(
        f"""
        [models.local]
        provider = "ollama"
        model = "qwen3:8b"
        base_url = "{simulator.url}"
        """
    )

    result = invoke("models", "--config", str(path), "--json")

    assert json.loads(result.stdout)["servers"] == [
        {"provider": "ollama", "server": simulator.url, "models": ["qwen3:8b"]},
        {"provider": "ollama", "server": closed_port, "models": None},
    ]


def test_a_remote_server_is_never_asked(invoke, write_config):
    path = write_config(
        """
        [models.cloud]
        provider = "ollama"
        model = "gpt-oss:120b"
        base_url = "https://ollama.com"
        """
    )

    result = invoke("models", "--config", str(path), "--json")

    assert "https://ollama.com" not in [s["server"] for s in json.loads(result.stdout)["servers"]]


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("::1", True),
        ("192.168.1.20", True),
        ("gpu-box", True),
        ("gpu-box.local", True),
        ("ollama.com", False),
        ("8.8.8.8", False),
        ("2606:4700::1111", False),
    ],
)
def test_only_this_machine_and_the_local_network_count_as_local(host, local):
    assert is_local(host) is local


@pytest.mark.parametrize(
    ("opened", "probe", "shown"),
    [
        (100.0, None, "open 42 s (rate_limited)"),
        (50.0, None, "half-open (rate_limited)"),
        (50.0, 80.0, "probing (rate_limited)"),
        (50.0, 55.0, "half-open (rate_limited)"),  # the probe's claim has lapsed
    ],
)
def test_a_breaker_is_shown_as_the_next_request_will_find_it(opened, probe, shown):
    store = MemoryBreakerStore()
    store.open("m", opened, "rate_limited")
    if probe is not None:
        store.check("m", opened, hold_until=probe)

    assert breaker_state(store, "m", now=58.0) == shown
