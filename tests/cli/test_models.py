"""`hotswap models`: configured and known models, each with its credential and breaker state."""

from __future__ import annotations

import json

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
