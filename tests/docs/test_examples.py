"""Every code example in docs/ runs, and prints what the page says it prints.

Each page runs in a world of its own: an empty home and working directory, a key for every
provider in the environment, and every request to a provider's real address answered by
hotswap's simulator instead (requests to loopback addresses, such as a page's own simulator,
go where they were sent). Nothing leaves the machine. How each kind of block is checked is
described in :mod:`markdown_examples`.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import shlex
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

from hotswap.config import load_config_file
from hotswap.config.schema import Config
from hotswap.engine import MemoryBreakerStore
from hotswap.testing import Simulator
from hotswap.testing.scriptfile import load_script_file

from .markdown_examples import RUN, SHELL_PROGRAMS, SHOWN, Block, matches, read_blocks

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))

KEYS = {
    "ANTHROPIC_API_KEY": "sk-ant-api03-docs-example-key-0001",
    "OPENAI_API_KEY": "sk-docs-example-key-0001",
    "GEMINI_API_KEY": "docs-example-gemini-key-0001",
    "GROQ_API_KEY": "gsk_docs_example_key_0001",
    "XAI_API_KEY": "xai-docs-example-key-0001",
    "MISTRAL_API_KEY": "docs-example-mistral-key-0001",
    "OPENROUTER_API_KEY": "sk-or-docs-example-key-0001",
    "CUSTOM_API_KEY": "docs-example-custom-key-0001",
}
# A page's own simulator listens on 127.0.0.1 or ::1; every other address, Ollama's default
# localhost:11434 included, is a provider that the page's world answers with its simulator.
_OWN = ("127.0.0.1", "::1")


def _redirecting(transport: type[Any], simulator: Simulator) -> type[Any]:
    """``transport`` sending every request for a provider's own address to the simulator."""
    target = httpx2.URL(simulator.url)

    class Redirecting(transport):  # type: ignore[misc, valid-type]
        def _redirect(self, request: httpx2.Request) -> None:
            if request.url.host not in _OWN or request.url.port == 11434:
                request.url = request.url.copy_with(
                    scheme=target.scheme, host=target.host, port=target.port
                )

        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            self._redirect(request)
            return super().handle_request(request)

        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            self._redirect(request)
            return await super().handle_async_request(request)

    return Redirecting


@pytest.fixture
def world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, simulator: Simulator
) -> Iterator[dict[str, Any]]:
    """A page's surroundings, and the namespace its Python examples share."""
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("HOTSWAP_CREDENTIALS_DIR", str(home / ".config" / "hotswap" / "credentials"))
    for name in ("HOTSWAP_CONFIG", "AL_CREDENTIALS_PATH", "PI_CODING_AGENT_DIR", "OLLAMA_HOST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    sync = _redirecting(httpx2.HTTPTransport, simulator)
    asynchronous = _redirecting(httpx2.AsyncHTTPTransport, simulator)

    opened: list[httpx2.Client] = []
    opened_async: list[httpx2.AsyncClient] = []

    class Client(httpx2.Client):
        def __init__(self, **options: Any) -> None:
            options.setdefault("transport", sync())
            super().__init__(**options)
            opened.append(self)

    class AsyncClient(httpx2.AsyncClient):
        def __init__(self, **options: Any) -> None:
            options.setdefault("transport", asynchronous())
            super().__init__(**options)
            opened_async.append(self)

    monkeypatch.setattr(httpx2, "Client", Client)
    monkeypatch.setattr(httpx2, "AsyncClient", AsyncClient)
    # Breakers and the default plugin host are shared by everything in a process: a page's
    # failovers and registered observers stay on its page.
    monkeypatch.setattr("hotswap.engine.failover_chain._shared_breakers", MemoryBreakerStore())
    monkeypatch.setattr("hotswap.plugin.host._default", None)
    environment = dict(os.environ)
    yield {"__name__": "__docs__", "simulator": simulator}
    # A page's hidden setup may set variables itself: they end with the page.
    os.environ.clear()
    os.environ.update(environment)
    # A chain made at a page's top level lives as long as the program, as in an application;
    # here the page is over, so its connections are closed.
    for client in opened:
        client.close()
    for async_client in opened_async:
        # An example using asyncio closes its clients before its event loop ends, as an
        # application must; one it left open cannot be closed from another loop.
        assert async_client.is_closed, "an example left an async client open"


@pytest.mark.parametrize("page", PAGES)
def test_every_example_on_the_page_runs(page: str, world: dict[str, Any]) -> None:
    blocks = read_blocks(DOCS / page)
    for index, block in enumerate(blocks):
        where = f"docs/{page}:{block.line}"
        assert block.language in RUN | SHOWN, (
            f"{where}: a ```{block.language or '(no language)'} block; use one of "
            f"{', '.join(sorted(RUN | SHOWN))} (see tests/docs/markdown_examples.py)"
        )
        if block.setup:
            _run_python(block.setup, world, f"{where} (test-setup)")
        if block.language == "python":
            printed = _run_python(block.code, world, where)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following and following.language == "text" and following.title == "Output":
                assert matches(following.code, printed), (
                    f"{where}: printed\n{printed}\nbut the page shows\n{following.code}"
                )
        elif block.language == "pycon":
            _run_doctest(block, world, where)
        elif block.language == "toml":
            _check_toml(block, where)
        elif block.language == "console":
            _run_console(block, where)
        elif block.language == "sh":
            _check_shell(block, where)
    if Path("hotswap.toml").is_file():
        load_config_file("hotswap.toml")


def _run_python(code: str, namespace: dict[str, Any], where: str) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, where, "exec"), namespace)  # noqa: S102 (the page's own example)
    return printed.getvalue()


def _run_doctest(block: Block, namespace: dict[str, Any], where: str) -> None:
    test = doctest.DocTestParser().get_doctest(block.code, namespace, where, where, block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = io.StringIO()
    runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()


def _check_toml(block: Block, where: str) -> None:
    try:
        data = tomllib.loads(block.code)
    except tomllib.TOMLDecodeError as error:
        pytest.fail(f"{where}: not valid TOML: {error}")
    if block.title is None:
        Config.from_dict(data)
        return
    path = Path(block.title)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(block.code)
    if path.name == "hotswap.toml":
        load_config_file(path)
    elif path.name.endswith("faults.toml"):
        load_script_file(path)


def _run_console(block: Block, where: str) -> None:
    from hotswap.cli import app

    commands = _console_commands(block.code)
    assert commands, f"{where}: a console block with no $ command"
    for command, expected in commands:
        program, *arguments = shlex.split(command)
        assert program == "hotswap", f"{where}: only hotswap commands run here, not {program!r}"
        result = CliRunner().invoke(app, arguments)
        assert result.exit_code == 0, (
            f"{where}: `{command}` exited {result.exit_code}:\n{result.output}"
        )
        if expected:
            assert matches(expected, result.output), (
                f"{where}: `{command}` printed\n{result.output}\nbut the page shows\n{expected}"
            )


def _console_commands(code: str) -> list[tuple[str, str]]:
    commands: list[tuple[str, list[str]]] = []
    for line in code.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return [(command, textwrap.dedent("\n".join(output))) for command, output in commands]


def _check_shell(block: Block, where: str) -> None:
    for line in block.code.splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            assert text.split()[0] in SHELL_PROGRAMS, (
                f"{where}: `{text}` in a ```sh block; only {', '.join(SHELL_PROGRAMS)} commands "
                "belong there (examples of hotswap go in ```python or ```console blocks, which run)"
            )
