"""``hotswap simulate`` and its TOML faults file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx2
import pytest
from typer.testing import CliRunner

from hotswap import ConfigError
from hotswap.cli import app
from hotswap.testing import (
    Overloaded,
    RateLimit,
    Reply,
    Reset,
    Slow,
    StreamError,
    ToolCall,
)
from hotswap.testing.scriptfile import load_script_file

runner = CliRunner()
HELLO = [{"role": "user", "content": "hi"}]

FAULTS = """
seed = 7

[keys]
anthropic = ["sk-ant-api03-test"]

[models."claude-sonnet-4-5"]
steps = [
  { kind = "rate_limit", retry_after = 2 },
  { kind = "stream_error", after = 3, error = { kind = "overloaded" } },
]
then = { kind = "reply", text = "done", tool_calls = [{ name = "f", arguments = { x = 1 } }] }

[models."*"]
chaos = [
  { kind = "reset", probability = 0.05 },
  { kind = "slow", delay = 0.01, probability = 0.2, reply = { text = "slowly" } },
]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "faults.toml"
    path.write_text(textwrap.dedent(text))
    return path


def test_a_faults_file_becomes_scripts_and_keys(tmp_path):
    loaded = load_script_file(write(tmp_path, FAULTS))

    assert loaded.keys == {"anthropic": ("sk-ant-api03-test",)}
    sonnet = loaded.scripts["claude-sonnet-4-5"]
    assert sonnet.next_step() == RateLimit(retry_after=2)
    assert sonnet.next_step() == StreamError(after=3, error=Overloaded())
    assert sonnet.next_step() == Reply(text="done", tool_calls=(ToolCall("f", {"x": 1}),))
    chaos = [loaded.scripts["*"].next_step() for _ in range(200)]
    assert Reset() in chaos
    assert Slow(delay=0.01, reply=Reply(text="slowly")) in chaos


MISTAKES = {
    "unknown kind": ('steps = [{ kind = "nap" }]', "steps[0].kind", "unknown step kind"),
    "unknown field": ('steps = [{ kind = "hang", after = 1 }]', "steps[0].after", "unknown key"),
    "wrong type": ('steps = [{ kind = "slow", delay = "1s" }]', "steps[0].delay", "int or float"),
    "no probability": ('chaos = [{ kind = "hang" }]', "chaos[0]", "needs a probability"),
    "not an error": (
        'steps = [{ kind = "stream_error", error = { kind = "hang" } }]',
        "steps[0].error",
        "not an error",
    ),
    "unknown script key": ("step = []", "step", "unknown key"),
}


@pytest.mark.parametrize(("text", "key", "problem"), MISTAKES.values(), ids=MISTAKES.keys())
def test_a_mistake_in_the_faults_file_names_the_key(tmp_path, text, key, problem):
    with pytest.raises(ConfigError, match=problem) as raised:
        load_script_file(write(tmp_path, f"[models.m]\n{text}"))

    assert raised.value.key == f"models.m.{key}"
    assert raised.value.path == str(tmp_path / "faults.toml")


def test_keys_are_only_for_the_provider_families_the_simulator_speaks(tmp_path):
    with pytest.raises(ConfigError, match="no provider family 'mistral'"):
        load_script_file(write(tmp_path, '[keys]\nmistral = ["k"]'))


def test_simulate_refuses_a_host_that_is_not_loopback():
    result = runner.invoke(app, ["simulate", "--host", "0.0.0.0"])  # noqa: S104

    assert result.exit_code == 2
    assert "loopback" in result.output


def test_simulate_reports_a_bad_faults_file_and_exits_2(tmp_path):
    path = write(tmp_path, "[models.m]\nsteps = [{ kind = 'nap' }]")

    result = runner.invoke(app, ["simulate", "--port", "0", "--faults", str(path)])

    assert result.exit_code == 2
    assert "unknown step kind 'nap'" in result.output


@pytest.mark.slow
def test_simulate_serves_the_faults_file_until_terminated(tmp_path):
    path = write(tmp_path, FAULTS)
    hotswap = Path(sys.executable).with_name("hotswap")
    command = [str(hotswap), "simulate", "--port", "0", "--faults", str(path)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as server:
        try:
            assert server.stdout is not None
            first = server.stdout.readline()
            url = first.rsplit(" ", 1)[-1].strip()
            headers = {"x-api-key": "sk-ant-api03-test", "anthropic-version": "2023-06-01"}
            body = {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": HELLO}
            response = httpx2.post(f"{url}/v1/messages", json=body, headers=headers)
            other_key = {**headers, "x-api-key": "other"}
            refused = httpx2.post(f"{url}/v1/messages", json=body, headers=other_key)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(5)

    assert first.startswith("hotswap simulator listening on http://127.0.0.1:")
    assert response.status_code == 429
    assert refused.status_code == 401
    assert server.returncode == 0
