"""`hotswap ask`: one prompt through a chain, against the simulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from hotswap import ThinkingLevel
from hotswap.cli.ask import compose_prompt
from hotswap.cli.options import Thinking
from hotswap.testing import Cut, RateLimit, RawResponse, Reply, Slow, Unauthorized

from .conftest import KEY


def ask(invoke, config, *args, input=None):
    return invoke("ask", "--config", str(config), *args, input=input)


def test_the_answer_is_printed_and_the_exit_status_is_0(invoke, sim_config):
    result = ask(invoke, sim_config, "hello there")

    assert result.exit_code == 0
    assert result.stdout == "echo: hello there\n"
    assert result.stderr == ""


def test_the_answer_is_streamed(invoke, sim_config, simulator):
    ask(invoke, sim_config, "hello")

    assert simulator.requests[0].json()["stream"] is True


def test_no_stream_asks_for_one_complete_answer(invoke, sim_config, simulator):
    result = ask(invoke, sim_config, "hello", "--no-stream")

    assert result.stdout == "echo: hello\n"
    assert simulator.requests[0].json().get("stream", False) is False


def test_a_failover_is_told_in_one_line_on_stderr(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [RateLimit()])

    result = ask(invoke, sim_config, "hello")

    assert result.exit_code == 0
    assert result.stdout == "echo: hello\n"
    assert result.stderr == "sonnet failed (rate_limited 429), haiku took over\n"


def test_a_model_cooling_down_is_told_as_skipped(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [RateLimit(retry_after=30)])
    ask(invoke, sim_config, "first")

    result = ask(invoke, sim_config, "second")

    assert result.stderr.startswith("sonnet skipped (cooling down for ")
    assert result.stderr.endswith(" s more after rate_limited), haiku took over\n")
    assert simulator.count("claude-sonnet-4-5") == 1


def test_verbose_shows_every_attempt_with_its_timing(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [RateLimit()])

    result = ask(invoke, sim_config, "hello", "-v")

    lines = result.stderr.splitlines()
    assert lines[1] == "attempts:"
    assert lines[2].startswith("  sonnet (anthropic): rate_limited 429 after ")
    assert lines[3].startswith("  haiku (anthropic): ok after ")
    assert lines[3].endswith(" ms")


def test_json_gives_the_answer_and_every_attempt(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [RateLimit()])

    result = ask(invoke, sim_config, "hello", "--json")

    assert result.exit_code == 0
    assert result.stderr == ""
    record = json.loads(result.stdout)
    attempts = record.pop("attempts")
    assert record == {
        "text": "echo: hello",
        "model": "haiku",
        "provider": "anthropic",
        "model_id": "claude-haiku-4-5",
        "finish_reason": "stop",
        "usage": {
            "input_tokens": 1,
            "output_tokens": 2,
            "thinking_tokens": 0,
            "cache_read_tokens": 0,
            "cache_write_tokens": 0,
        },
    }
    assert [(a["model"], a["outcome"], a["kind"], a["status"]) for a in attempts] == [
        ("sonnet", "failed", "rate_limited", 429),
        ("haiku", "ok", None, None),
    ]
    assert all(a["elapsed_ms"] >= 0 for a in attempts)


def test_json_works_without_streaming_too(invoke, sim_config):
    result = ask(invoke, sim_config, "hello", "--json", "--no-stream")

    record = json.loads(result.stdout)
    assert (record["text"], record["model"]) == ("echo: hello", "sonnet")


def test_when_every_model_fails_the_status_is_1_and_every_attempt_is_listed(
    invoke, sim_config, simulator
):
    simulator.script("claude-*", [RateLimit(), RateLimit()])

    result = ask(invoke, sim_config, "hello")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "every model failed (2 attempts)" in result.stderr
    assert "sonnet (anthropic): rate_limited 429" in result.stderr
    assert "haiku (anthropic): rate_limited 429" in result.stderr


def test_json_on_total_failure_carries_the_error_and_every_attempt(invoke, sim_config, simulator):
    simulator.script("claude-*", [RateLimit(), RateLimit()])

    result = ask(invoke, sim_config, "hello", "--json")

    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["error"]["kind"] == "all_models_failed"
    assert record["error"]["message"].startswith("every model failed (2 attempts)")
    assert [(a["model"], a["outcome"], a["kind"]) for a in record["attempts"]] == [
        ("sonnet", "failed", "rate_limited"),
        ("haiku", "failed", "rate_limited"),
    ]


def test_an_answer_cut_off_mid_stream_exits_1_with_the_partial_text(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [Cut(after=4, reply=Reply(text="one two three four"))])

    result = ask(invoke, sim_config, "hello", "--json")

    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["error"]["kind"] == "interrupted"
    assert record["partial_text"]
    assert "one two three four".startswith(record["partial_text"])
    assert [a["outcome"] for a in record["attempts"]] == ["failed"]


def test_an_answer_cut_off_by_the_output_limit_exits_1(invoke, sim_config):
    result = ask(invoke, sim_config, "one two three four", "--max-tokens", "2")

    assert result.exit_code == 1
    assert result.stdout == "echo: one\n"
    assert "cut off at the output limit" in result.stderr


def test_an_error_that_does_not_fail_over_exits_1_with_the_attempts_so_far(
    invoke, sim_config, simulator
):
    body = '{"type":"error","error":{"type":"invalid_request_error","message":"bad"}}'
    simulator.script("claude-sonnet-4-5", [RawResponse(400, body)])

    result = ask(invoke, sim_config, "hello", "--json")

    assert result.exit_code == 1
    record = json.loads(result.stdout)
    assert record["error"]["kind"] == "invalid_request"
    assert [(a["model"], a["kind"], a["status"]) for a in record["attempts"]] == [
        ("sonnet", "invalid_request", 400)
    ]


def test_a_refused_key_fails_over_and_says_so_clearly(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [Unauthorized()])

    result = ask(invoke, sim_config, "hello")

    assert result.exit_code == 0
    assert result.stdout == "echo: hello\n"
    assert result.stderr == (
        "sonnet's key was refused (auth 401), haiku took over; check it with: hotswap doctor\n"
    )
    assert KEY not in result.output


def test_a_key_refused_by_every_model_exits_2_and_points_at_doctor(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [Unauthorized()])
    simulator.script("claude-haiku-4-5", [Unauthorized()])

    result = ask(invoke, sim_config, "hello")

    assert result.exit_code == 2
    assert "auth 401" in result.stderr
    assert "hotswap doctor" in result.stderr
    assert KEY not in result.output


def test_a_missing_key_exits_2_saying_where_to_put_one(invoke, sim_config, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY")

    result = ask(invoke, sim_config, "hello", "--json")

    assert result.exit_code == 2
    record = json.loads(result.stdout)
    assert record["error"]["kind"] == "auth"
    assert "set ANTHROPIC_API_KEY" in record["error"]["message"]


def test_models_given_with_m_are_a_chain_in_that_order(invoke, sim_config, simulator):
    result = ask(invoke, sim_config, "hello", "-m", "haiku", "-m", "sonnet", "--json")

    assert json.loads(result.stdout)["model"] == "haiku"
    assert [r.model for r in simulator.requests] == ["claude-haiku-4-5"]


def test_an_inline_model_of_a_provider_not_installed_says_what_to_install(invoke, sim_config):
    result = ask(invoke, sim_config, "hello", "-m", "nosuchprovider/model-1")

    assert result.exit_code == 2
    assert "pip install hotswap-nosuchprovider" in result.stderr


def test_chain_picks_a_named_chain(invoke, sim_config, simulator):
    result = ask(invoke, sim_config, "hello", "--chain", "fast", "--json")

    assert json.loads(result.stdout)["model"] == "haiku"


def test_an_unknown_chain_exits_2_listing_the_chains(invoke, sim_config):
    result = ask(invoke, sim_config, "hello", "--chain", "fats")

    assert result.exit_code == 2
    assert "no chain named 'fats'" in result.stderr
    assert "defined chains: default, fast" in result.stderr


def test_chain_and_m_together_are_a_usage_problem(invoke, sim_config):
    result = ask(invoke, sim_config, "hello", "--chain", "fast", "-m", "sonnet")

    assert result.exit_code == 2
    assert "--chain and -m" in result.stderr


def test_without_config_or_m_it_says_how_to_name_a_model(invoke):
    result = invoke("ask", "hello")

    assert result.exit_code == 2
    assert "no chain to ask (no config file was found)" in result.stderr
    assert "-m MODEL" in result.stderr


def test_a_broken_config_file_exits_2_naming_the_file(invoke, write_config):
    path = write_config("[models.sonnet\n")

    result = invoke("ask", "--config", str(path), "hello")

    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert "not valid TOML" in result.stderr


def test_hotswap_toml_in_the_working_directory_is_used(invoke, sim_config, monkeypatch):
    monkeypatch.chdir(sim_config.parent)

    result = invoke("ask", "hello")

    assert result.stdout == "echo: hello\n"


def test_stdin_is_the_prompt_when_there_is_no_argument(invoke, sim_config):
    result = ask(invoke, sim_config, input="from a pipe\n")

    assert result.stdout == "echo: from a pipe\n"


def test_stdin_is_appended_to_the_prompt(invoke, sim_config, simulator):
    ask(invoke, sim_config, "summarise:", input="some text\n")

    [message] = simulator.requests[0].json()["messages"]
    assert message["content"] in (
        "summarise:\n\nsome text",
        [{"type": "text", "text": "summarise:\n\nsome text"}],
    )


def test_no_prompt_at_all_is_a_usage_problem(invoke, sim_config):
    result = ask(invoke, sim_config)

    assert result.exit_code == 2
    assert "no prompt" in result.stderr


def test_compose_prompt_puts_piped_text_after_the_argument():
    assert compose_prompt("explain", "x = 1\n") == "explain\n\nx = 1"
    assert compose_prompt(None, "just this\n") == "just this"
    assert compose_prompt("just this", None) == "just this"
    assert compose_prompt("  ", "\n") == ""


def test_request_options_reach_the_provider(invoke, sim_config, simulator):
    ask(
        invoke,
        sim_config,
        "hello",
        "--system",
        "be brief",
        "--max-tokens",
        "50",
        "--temperature",
        "0.5",
        "--thinking",
        "low",
    )

    body = simulator.requests[0].json()
    assert body["system"] in ("be brief", [{"type": "text", "text": "be brief"}])
    assert body["max_tokens"] > 50  # the thinking budget comes on top of the answer's limit
    assert body["thinking"]["type"] in ("enabled", "adaptive")


def test_temperature_is_sent_as_given(invoke, sim_config, simulator):
    ask(invoke, sim_config, "hello", "--temperature", "0.5", "--max-tokens", "50")

    body = simulator.requests[0].json()
    assert (body["temperature"], body["max_tokens"]) == (0.5, 50)


def test_thinking_choices_are_the_core_thinking_levels():
    assert [level.value for level in Thinking] == [level.value for level in ThinkingLevel]


def test_an_unknown_thinking_level_is_refused_by_name(invoke, sim_config):
    result = ask(invoke, sim_config, "hello", "--thinking", "extreme")

    assert result.exit_code == 2
    assert "'extreme' is not one of" in result.stderr


def test_a_restarted_stream_is_marked_and_the_new_answer_follows(
    invoke, sim_config, simulator, write_config
):
    restarting = sim_config.read_text().replace(
        "max_retries = 0", 'max_retries = 0\nstream_recovery = "restart"'
    )
    config = write_config(restarting)
    simulator.script("claude-sonnet-4-5", [Cut(after=4, reply=Reply(text="one two three four"))])

    result = ask(invoke, config, "hello")

    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("\necho: hello\n")
    assert "sonnet failed part-way (" in result.stderr
    assert "); answering again:" in result.stderr


@pytest.mark.slow
def test_ctrl_c_stops_the_answer_with_status_130(sim_config, simulator):
    words = " ".join(f"w{i}" for i in range(200))
    simulator.script("claude-sonnet-4-5", [Slow(delay=0.05, reply=Reply(text=words))])
    env = {**os.environ, "ANTHROPIC_API_KEY": KEY, "PYTHONUNBUFFERED": "1"}
    command = ["ask", "--config", str(sim_config), "a long story"]
    process = subprocess.Popen(
        [sys.executable, "-c", "from hotswap.cli import main; main()", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert process.stdout is not None
    seen = ""
    while "w3" not in seen:
        seen += process.stdout.read(1)

    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)

    assert process.returncode == 130
    assert "w199" not in seen + out
    assert (seen + out).endswith("\n")
