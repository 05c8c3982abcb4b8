"""Fixtures for the command-line tests: every command runs in-process through typer's test
runner, against the provider simulator, in a private home with no real key, config file,
keychain or breaker state."""

from __future__ import annotations

import socket
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hotswap.cli import app
from hotswap.engine import MemoryBreakerStore
from hotswap.testing import Simulator

# Every variable a credential or a config file could come from in these tests.
_ENVIRONMENT = (
    "ANTHROPIC_API_KEY",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "ANTHROPIC_OAUTH_TOKEN",
    "OPENAI_API_KEY",
    "HOTSWAP_CONFIG",
    "HOTSWAP_DISABLE_PLUGINS",
    "AL_CREDENTIALS_PATH",
    "PI_CODING_AGENT_DIR",
    "OLLAMA_API_KEY",
)

KEY = "sk-ant-api03-cli-test-key-0001"

Invoke = Callable[..., Result]
WriteConfig = Callable[[str], Path]


@pytest.fixture
def closed_port() -> Iterator[str]:
    """The URL of a loopback port nothing listens on: bound, so nothing else can take it, but
    never listening, so a connection is refused at once."""
    with socket.socket() as reserved:
        reserved.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{reserved.getsockname()[1]}"


@pytest.fixture(autouse=True)
def private_world(monkeypatch, tmp_path, keychain, closed_port):
    """A home of its own, an empty keychain, a fresh plugin host and breaker store, the
    working directory a place without a hotswap.toml, and the default Ollama server a port
    that refuses connections (so no test asks a real one)."""
    monkeypatch.setenv("OLLAMA_HOST", closed_port)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(tmp_path / "credentials"))
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("hotswap.plugin.host._default", None)
    # Chains share one breaker store per process; a test's rate limit must not cool the next
    # test's models.
    monkeypatch.setattr("hotswap.engine.failover_chain._shared_breakers", MemoryBreakerStore())
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


@pytest.fixture
def invoke() -> Invoke:
    """Run ``hotswap ARGS...`` in-process: ``invoke("ask", "hi", input="piped text")``."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    return run


@pytest.fixture
def write_config(tmp_path) -> WriteConfig:
    """Write a hotswap.toml and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "hotswap.toml"
        path.write_text(textwrap.dedent(text))
        return path

    return write


@pytest.fixture
def sim_config(simulator: Simulator, write_config, monkeypatch) -> Path:
    """A config of two Anthropic models served by the simulator, ``sonnet`` then ``haiku`` in
    chain ``default`` (and ``haiku`` alone in chain ``fast``), no backoff rounds, and a key in
    the environment."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    return write_config(
        f"""
        [models.sonnet]
        provider = "anthropic"
        model = "claude-sonnet-4-5"
        base_url = "{simulator.url}/v1"

        [models.haiku]
        provider = "anthropic"
        model = "claude-haiku-4-5"
        base_url = "{simulator.url}/v1"

        [chains.default]
        models = ["sonnet", "haiku"]

        [chains.fast]
        models = ["haiku"]

        [failover]
        max_retries = 0
        """
    )
