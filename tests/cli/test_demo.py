"""`hotswap demo`: a real chain through the real plugins against the simulator, a failover and
a skip, with nothing written outside a temporary directory and no real key sent anywhere."""

from __future__ import annotations

import os
import sys

import pytest

from hotswap.cli import demo as demo_command
from hotswap.testing import Simulator

from .conftest import KEY

TWO_ANTHROPIC_MODELS = """
[models.sonnet]
provider = "anthropic"
model = "claude-sonnet-4-5"

[models.haiku]
provider = "anthropic"
model = "claude-haiku-4-5"

[models.elsewhere]
provider = "nosuchprovider"
model = "m-1"

[chains.default]
models = ["sonnet", "elsewhere", "haiku"]
"""


@pytest.fixture
def demo_simulator(monkeypatch) -> Simulator:
    """The simulator the demo will start, kept so the test can read what it was sent."""
    simulator = Simulator()
    monkeypatch.setattr(demo_command, "_simulator", lambda: simulator)
    return simulator


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Where temporary directories go during the test."""
    path = tmp_path / "scratch"
    path.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(path))
    return path


def run_demo(invoke, write_config, text=TWO_ANTHROPIC_MODELS):
    return invoke("demo", "--config", str(write_config(text)))


def test_the_first_request_fails_over_and_the_second_skips_the_cooling_model(
    invoke, write_config, demo_simulator
):
    result = run_demo(invoke, write_config)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    first = lines.index("▶ request 1: What does hotswap do?")
    assert lines[first + 1] == "sonnet failed (rate_limited 429), haiku took over"
    assert lines[first + 2].startswith("Hello from haiku, played by the simulator.")
    second = lines.index("▶ request 2: And when I ask again?")
    assert lines[second + 1].startswith("sonnet skipped (cooling down for ")
    assert lines[second + 1].endswith(" s more after rate_limited), haiku took over")
    assert [r.model for r in demo_simulator.requests] == [
        "claude-sonnet-4-5",
        "claude-haiku-4-5",
        "claude-haiku-4-5",
    ]


def test_the_table_shows_what_each_request_tried(invoke, write_config, demo_simulator):
    result = run_demo(invoke, write_config)

    table = result.stdout[result.stdout.index("What each request tried") :].splitlines()
    assert table[1].split() == ["request", "model", "provider", "outcome", "time"]
    assert table[2].split()[:4] == ["1", "sonnet", "anthropic", "rate_limited"]
    assert table[3].split()[:4] == ["1", "haiku", "anthropic", "ok"]
    assert table[4].split() == [
        "2",
        "sonnet",
        "anthropic",
        "skipped:",
        "cooling",
        "down",
        "no",
        "request",
    ]
    assert table[5].split()[:4] == ["2", "haiku", "anthropic", "ok"]


def test_a_model_whose_plugin_is_missing_is_left_out_with_the_install_command(
    invoke, write_config, demo_simulator
):
    result = run_demo(invoke, write_config)

    assert "  chain:  sonnet (anthropic) → haiku (anthropic)" in result.stdout
    assert "pip install hotswap-nosuchprovider to add one" in result.stdout


def test_a_real_key_in_the_environment_is_never_sent(
    invoke, write_config, demo_simulator, monkeypatch
):
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)

    run_demo(invoke, write_config)

    keys = {r.headers["x-api-key"] for r in demo_simulator.requests}
    assert keys == {demo_command.DUMMY_KEY}


def test_nothing_is_written_outside_a_temporary_directory_that_is_removed(
    invoke, write_config, demo_simulator, scratch, private_world, tmp_path
):
    before = os.environ.get("HOTSWAP_CREDENTIALS_DIR")

    result = run_demo(invoke, write_config)

    assert result.exit_code == 0
    assert list(scratch.iterdir()) == []
    assert list(private_world.iterdir()) == []
    assert not (tmp_path / "credentials").exists()
    assert os.environ.get("HOTSWAP_CREDENTIALS_DIR") == before


def test_with_fewer_than_two_runnable_models_it_says_what_to_install(invoke, write_config):
    config = """
    [models.sonnet]
    provider = "anthropic"
    model = "claude-sonnet-4-5"

    [chains.default]
    models = ["sonnet", "nosuchprovider/m-1"]
    """

    result = run_demo(invoke, write_config, config)

    assert result.exit_code == 2
    assert "the demo needs two models it can run: pip install hotswap-nosuchprovider" in (
        result.stderr
    )


def test_without_aiohttp_it_says_how_to_get_the_simulator(invoke, write_config, monkeypatch):
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # makes `import aiohttp` fail

    result = run_demo(invoke, write_config)

    assert result.exit_code == 2
    assert "pip install 'hotswap[simulator]'" in result.stderr


def test_the_example_chain_fails_over_from_anthropic_to_openai(invoke, demo_simulator):
    pytest.importorskip("hotswap_openai", reason="the example chain's fallback is an OpenAI model")

    result = invoke("demo")

    assert result.exit_code == 0, result.output
    assert "  chain:  sonnet (anthropic) → gpt4o (openai)" in result.stdout
    assert "sonnet failed (rate_limited 429), gpt4o took over" in result.stdout
    assert [r.provider for r in demo_simulator.requests] == ["anthropic", "openai", "openai"]
