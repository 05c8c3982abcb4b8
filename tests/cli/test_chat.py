"""`hotswap chat`: a conversation that keeps its history, with /model and /chain, against the
simulator."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from hotswap.testing import Hang, RateLimit, Reply, ServerFault, Slow

from .conftest import KEY


def chat(invoke, config, lines, *args):
    return invoke("chat", "--config", str(config), *args, input="".join(f"{x}\n" for x in lines))


def sent_messages(request):
    """The conversation a request carried, as (role, text) pairs."""
    pairs = []
    for message in request.json()["messages"]:
        content = message["content"]
        text = content if isinstance(content, str) else "".join(p["text"] for p in content)
        pairs.append((message["role"], text))
    return pairs


def test_each_turn_is_answered_and_the_history_is_kept(invoke, sim_config, simulator):
    result = chat(invoke, sim_config, ["hello", "and again"])

    assert result.exit_code == 0
    assert "echo: hello\n" in result.stdout
    assert "echo: and again\n" in result.stdout
    assert sent_messages(simulator.requests[1]) == [
        ("user", "hello"),
        ("assistant", "echo: hello"),
        ("user", "and again"),
    ]


def test_the_system_prompt_is_sent_with_every_turn(invoke, sim_config, simulator):
    chat(invoke, sim_config, ["one", "two"], "--system", "be brief")

    systems = [r.json()["system"] for r in simulator.requests]
    assert len(systems) == 2
    assert all("be brief" in str(system) for system in systems)


def test_request_options_apply_to_every_turn(invoke, sim_config, simulator):
    chat(invoke, sim_config, ["one", "two"], "--max-tokens", "40", "--temperature", "0.2")

    sent = [(r.json()["max_tokens"], r.json()["temperature"]) for r in simulator.requests]
    assert sent == [(40, 0.2), (40, 0.2)]


def test_thinking_is_asked_for_on_every_turn(invoke, sim_config, simulator):
    chat(invoke, sim_config, ["one", "two"], "--thinking", "low")

    assert all("thinking" in r.json() for r in simulator.requests)
    assert len(simulator.requests) == 2


def test_model_switches_to_one_model_and_keeps_the_history(invoke, sim_config, simulator):
    result = chat(invoke, sim_config, ["hello", "/model haiku", "go on"])

    assert "Now asking haiku." in result.stdout
    assert [r.model for r in simulator.requests] == ["claude-sonnet-4-5", "claude-haiku-4-5"]
    assert sent_messages(simulator.requests[1])[:2] == [
        ("user", "hello"),
        ("assistant", "echo: hello"),
    ]


def test_chain_switches_to_a_named_chain(invoke, sim_config, simulator):
    result = chat(invoke, sim_config, ["/chain fast", "hello"], "-m", "sonnet")

    assert "Chatting with sonnet." in result.stdout
    assert "Now asking haiku." in result.stdout
    assert [r.model for r in simulator.requests] == ["claude-haiku-4-5"]


def test_an_unknown_model_or_chain_is_reported_and_the_chat_goes_on(invoke, sim_config, simulator):
    result = chat(invoke, sim_config, ["/model haikoo", "/chain nope", "hello"])

    assert result.exit_code == 0
    assert "no model named 'haikoo'" in result.stderr
    assert "no chain named 'nope'" in result.stderr
    assert "echo: hello" in result.stdout
    assert simulator.requests[0].model == "claude-sonnet-4-5"


def test_a_failover_mid_chat_is_told_and_the_answer_kept(invoke, sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [RateLimit()])

    result = chat(invoke, sim_config, ["hello", "again"])

    assert "sonnet failed (rate_limited 429), haiku took over" in result.stderr
    assert sent_messages(simulator.requests[-1])[:2] == [
        ("user", "hello"),
        ("assistant", "echo: hello"),
    ]


def test_a_failed_turn_is_reported_and_leaves_the_history_as_it_was(invoke, sim_config, simulator):
    # Server errors fail over without cooling the models, so the next turn is sent.
    simulator.script("claude-*", [ServerFault(), ServerFault()])

    result = chat(invoke, sim_config, ["lost", "kept"])

    assert result.exit_code == 0
    assert "every model failed (2 attempts)" in result.stderr
    assert sent_messages(simulator.requests[-1]) == [("user", "kept")]


def test_help_lists_the_commands(invoke, sim_config):
    result = chat(invoke, sim_config, ["/help"])

    for command in ("/model NAME", "/chain NAME", "/exit"):
        assert command in result.stdout


def test_an_unknown_command_is_reported(invoke, sim_config):
    result = chat(invoke, sim_config, ["/mdoel haiku"])

    assert "unknown command /mdoel" in result.stderr


def test_exit_leaves_before_reading_further(invoke, sim_config, simulator):
    result = chat(invoke, sim_config, ["/exit", "never sent"])

    assert result.exit_code == 0
    assert simulator.requests == []


def test_a_config_problem_exits_2_before_the_chat_starts(invoke, sim_config):
    result = chat(invoke, sim_config, ["hello"], "--chain", "nope")

    assert result.exit_code == 2
    assert "no chain named 'nope'" in result.stderr
    assert "Chatting" not in result.stdout


def _start_chat(config):
    env = {**os.environ, "ANTHROPIC_API_KEY": KEY, "PYTHONUNBUFFERED": "1"}
    command = ["chat", "--config", str(config)]
    process = subprocess.Popen(
        [sys.executable, "-c", "from hotswap.cli import main; main()", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    return process


def _say(process, *lines):
    process.stdin.write("".join(f"{line}\n" for line in lines))
    process.stdin.flush()


@pytest.mark.slow
def test_ctrl_c_stops_the_answer_keeps_what_was_shown_and_the_chat_goes_on(sim_config, simulator):
    words = " ".join(f"w{i}" for i in range(200))
    simulator.script("claude-sonnet-4-5", [Slow(delay=0.05, reply=Reply(text=words))])
    process = _start_chat(sim_config)
    _say(process, "tell me a long story")
    _read_until(process.stdout, "w3")

    process.send_signal(signal.SIGINT)
    time.sleep(0.3)
    _say(process, "and now?", "/exit")
    out, err = process.communicate(timeout=20)

    assert process.returncode == 0
    assert "(stopped)" in err
    assert "w199" not in out
    [story, stopped, follow_up] = sent_messages(simulator.requests[-1])
    assert story == ("user", "tell me a long story")
    assert stopped[0] == "assistant"
    assert stopped[1].startswith("w0 w1 w2 w3")
    assert words.startswith(stopped[1])
    assert follow_up == ("user", "and now?")


@pytest.mark.slow
def test_ctrl_c_before_any_answer_stops_at_once_and_forgets_the_turn(sim_config, simulator):
    simulator.script("claude-sonnet-4-5", [Hang()])
    process = _start_chat(sim_config)
    _say(process, "never answered")
    deadline = time.monotonic() + 15
    while simulator.count() == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)

    process.send_signal(signal.SIGINT)
    time.sleep(0.3)
    _say(process, "answered", "/exit")
    out, err = process.communicate(timeout=20)

    assert process.returncode == 0
    assert "(stopped)" in err
    assert "echo: answered" in out
    assert sent_messages(simulator.requests[-1]) == [("user", "answered")]


def _read_until(stream, marker: str) -> str:
    seen = ""
    deadline = time.monotonic() + 15
    while marker not in seen:
        assert time.monotonic() < deadline, seen
        seen += stream.read(1)
    return seen
