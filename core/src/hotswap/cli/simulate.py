"""``hotswap simulate``: serve the provider simulator until stopped, so a person or another
program can point any client at it.

It listens on 127.0.0.1:8765 by default (``--port 0`` picks a free port; the URL is printed
either way) and speaks each provider's own paths: ``POST /v1/messages`` (Anthropic),
``POST <prefix>/chat/completions`` (OpenAI-compatible: ``/v1``, ``/openai/v1``, ``/api/v1``),
``POST /v1beta/models/<model>:generateContent`` and ``:streamGenerateContent?alt=sse``
(Gemini), ``POST /api/chat`` (Ollama). Every answer is ``"echo: <last user text>"`` unless a
script says otherwise.

The faults file (``--faults FILE.toml``)
-----------------------------------------
Scripts per model, and optionally the only keys each provider family accepts::

    seed = 7                                # default seed for chaos scripts (default 0)

    [keys]                                  # any non-empty key is accepted unless listed here
    anthropic = ["sk-ant-api03-test"]       # families: anthropic, openai, gemini, ollama

    [models."claude-sonnet-4-5"]            # a model id as requests name it
    steps = [                               # one step per request, in order...
      { kind = "rate_limit", retry_after = 2 },
      { kind = "overloaded" },
    ]
    then = { kind = "reply" }               # ...then this for every later request (the default)

    [models."gpt-*"]                        # a shell-style pattern
    steps = [{ kind = "stream_error", after = 3, error = { kind = "server_error" } }]

    [models."*"]                            # any model no other entry names
    chaos = [                               # each request draws one step by probability
      { kind = "reset", probability = 0.05 },
      { kind = "slow", delay = 0.05, probability = 0.2 },
    ]
    otherwise = { kind = "reply" }          # what the rest get (the default)
    seed = 3                                # this script's own seed

A step is a table with a ``kind`` and that kind's fields (all optional unless noted):

* ``reply``: ``text``, ``thinking``, ``tool_calls = [{ name = "…", arguments = {…}, id = "…" }]``
* errors: ``rate_limit`` (``retry_after`` seconds), ``quota_exhausted``, ``overloaded``,
  ``server_error`` (``status`` 500-599, ``html = true`` for a load balancer's page),
  ``unauthorized``, ``forbidden``, ``context_too_long``, and ``raw`` (``status``, required;
  ``body``, ``content_type``, ``headers = {…}``) for anything else
* refusals with HTTP 200: ``content_filter``, ``prompt_blocked`` (Gemini)
* transport: ``hang``; ``stall``, ``cut``, ``malformed`` (``after`` frames); ``reset``
  (``after`` frames, or before the headers if absent); ``stream_error`` (``after``, and
  ``error``, a table with an error kind); ``slow`` (``delay`` seconds per frame). These take a
  ``reply`` table too (``reply = { text = "…" }``): the answer they begin to send.

What each step sends for each provider is described in :mod:`hotswap.testing.faults`.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

DEFAULT_PORT = 8765


def simulate(
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on; 0 picks a free one.")
    ] = DEFAULT_PORT,
    host: Annotated[
        str,
        typer.Option("--host", help="Loopback address to listen on (127.0.0.1, ::1, localhost)."),
    ] = "127.0.0.1",
    faults: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads this annotation at run time, on Python 3.10 too
        typer.Option("--faults", help="TOML file of scripts; see `pydoc hotswap.cli.simulate`."),
    ] = None,
) -> None:
    """Serve the provider simulator until stopped (Ctrl-C)."""
    # Imported here so that `hotswap --help` does not pay for the simulator.
    from hotswap.testing.simulator import Simulator, check_loopback
    from hotswap.types.errors import ConfigError

    try:
        check_loopback(host)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--host") from None
    simulator = Simulator(host=host, port=port)
    if faults is not None:
        try:
            simulator.load_scripts(faults)
        except ConfigError as error:
            typer.echo(f"hotswap simulate: {error}", err=True)
            raise typer.Exit(2) from None
    try:
        simulator.start()
    except OSError as error:
        typer.echo(f"hotswap simulate: cannot listen on {host}:{port}: {error}", err=True)
        raise typer.Exit(1) from None
    url = simulator.url
    typer.echo(f"hotswap simulator listening on {url}")
    typer.echo(f"  Anthropic: {url}   OpenAI-compatible: {url}/v1   Gemini: {url}   Ollama: {url}")
    typer.echo("Press Ctrl-C to stop.")
    stopped = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    try:
        # Wake up now and then: a signal may land on the server's thread, and Python runs its
        # handler only when the main thread runs again.
        while not stopped.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
