"""``hotswap demo``: a failover, watched as it happens, with no key and no network.

The provider simulator (:mod:`hotswap.testing`) plays every provider on a loopback port. The
example chain in ``demo.toml`` (an Anthropic model first, an OpenAI one next, a local Ollama
one last; ``--config FILE`` rehearses the default chain of another file) runs through the
installed plugins exactly as a real one would, with each model's ``base_url`` aimed at the
simulator and a dummy key in a temporary credentials directory, the only place anything is
written. The simulator answers the first model with a rate limit, so:

1. the first request fails over at once and the next model streams its answer;
2. a second request skips the first model, which is cooling down, without sending it anything;

and a table shows what each request tried. A provider whose plugin is not installed is left
out of the chain (with the ``pip install`` that adds it).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional
from urllib.parse import urlsplit

import typer

if TYPE_CHECKING:
    from hotswap.cli.failures import Failure
    from hotswap.config import FailoverSettings, ModelConfig
    from hotswap.engine import FailoverChain
    from hotswap.plugin.host import PluginHost
    from hotswap.testing import Simulator
    from hotswap.types.attempts import Attempt

__all__ = ["DEMO_CONFIG", "demo"]

DEMO_CONFIG = Path(__file__).with_name("demo.toml")
DUMMY_KEY = "demo-key-not-a-real-one"

QUESTIONS = ("What does hotswap do?", "And when I ask again?")

_PACE_S = 0.04
"""Seconds between streamed words on a terminal, so a person sees the answer stream in."""


def demo(
    config: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads this annotation at run time, on 3.10 too
        typer.Option(
            "--config",
            metavar="FILE",
            help="Rehearse the default chain of this config file instead of the example one "
            "(every model aimed at the simulator, its first model rate-limited).",
        ),
    ] = None,
) -> None:
    """Watch a failover; no key or network needed.

    A local simulator plays the providers: the first model is rate-limited, the next one
    answers, and a second request skips the model that is cooling down.
    """
    from hotswap.cli.failures import reporting
    from hotswap.plugin.host import default_host

    with reporting() as report:
        chain_config = _load(config or DEMO_CONFIG)
        host = default_host()
        models, missing = _installed(chain_config[0], host)
        if len(models) < 2:
            wanted = " and ".join(f"pip install hotswap-{p}" for p in missing)
            raise report.fail(_problem(f"the demo needs two models it can run: {wanted}"))
        simulator = _simulator()
        if simulator is None:
            raise report.fail(
                _problem(
                    "the demo runs the provider simulator, which needs aiohttp: "
                    "pip install 'hotswap[simulator]'"
                )
            )
        with simulator, tempfile.TemporaryDirectory(prefix="hotswap-demo-") as scratch:
            aimed = _aim(models, simulator, host, Path(scratch))
            with _credentials_dir(Path(scratch)):
                _run(aimed, chain_config[1], host, simulator, missing)


def _load(path: Path) -> tuple[list[ModelConfig], FailoverSettings]:
    """The models of the default chain in ``path``, and its failover settings."""
    from hotswap.config import load_config_file

    config = load_config_file(path)
    chain = config.chain("default")
    return [config.resolve(entry) for entry in chain.models], config.failover_for(chain)


def _problem(message: str) -> Failure:
    from hotswap.cli.failures import SETUP_PROBLEM, Failure

    return Failure(SETUP_PROBLEM, "usage", message)


def _installed(models: list[ModelConfig], host: PluginHost) -> tuple[list[ModelConfig], list[str]]:
    """The models whose provider is installed, and the providers that are not."""
    from hotswap.types.errors import PluginError

    present, missing = [], []
    for model in models:
        try:
            host.provider(model.provider)
        except PluginError:
            missing.append(model.provider)
        else:
            present.append(model)
    return present, missing


def _simulator() -> Simulator | None:
    try:
        import aiohttp  # noqa: F401 - only to learn whether the simulator can run
    except ImportError:
        return None
    from hotswap.testing import Simulator

    return Simulator()


def _aim(
    models: list[ModelConfig], simulator: Simulator, host: PluginHost, scratch: Path
) -> list[ModelConfig]:
    """Each model pointed at the simulator (its provider's usual URL path on the simulator's
    address), with a dummy key written for it where its provider looks first."""
    from hotswap.credentials import store_credential_file
    from hotswap.types.auth import AuthType
    from hotswap.types.redaction import Secret

    aimed = []
    for model in models:
        provider = host.provider(model.provider)
        update: dict[str, object] = {"base_url": simulator.url + urlsplit(provider.base_url).path}
        auth_type = model.auth_type or provider.default_auth_type
        spec = provider.auth[auth_type]
        if auth_type is not AuthType.NONE and spec.credential:
            env = {"HOTSWAP_CREDENTIALS_DIR": str(scratch)}
            store_credential_file(
                spec.credential, "default", spec.field, Secret(DUMMY_KEY), env=env
            )
            # Naming the credential makes it the only one looked for: a real key in the
            # environment is never read, let alone sent to the simulator.
            update["credential"] = spec.credential
        aimed.append(model.model_copy(update=update))
    return aimed


@contextmanager
def _credentials_dir(path: Path) -> Iterator[None]:
    """hotswap's credentials directory is ``path`` inside the block."""
    name = "HOTSWAP_CREDENTIALS_DIR"
    before = os.environ.get(name)
    os.environ[name] = str(path)
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


def _run(
    models: list[ModelConfig],
    settings: FailoverSettings,
    host: PluginHost,
    simulator: Simulator,
    missing: list[str],
) -> None:
    from hotswap.engine import FailoverChain, MemoryBreakerStore
    from hotswap.types.errors import ErrorKind
    from hotswap.wire.transport import Transport

    primary, fallback = models[0], models[1]
    _script(simulator, primary, fallback)
    _introduce(models, primary, simulator, missing)
    # A store of its own, so the demo's cooldown cools nothing else in this process.
    with Transport() as transport:
        # Made now (loading TLS certificates takes tens of ms), as a running application's
        # pooled client would be, so the first attempt's time is the request's own.
        transport.client  # noqa: B018
        chain = FailoverChain(
            models,
            settings=settings,
            host=host,
            transport=transport,
            breakers=MemoryBreakerStore(),
        )
        attempts = [
            _request(chain, number, question) for number, question in enumerate(QUESTIONS, 1)
        ]
    cooldown = settings.cooldown_after(ErrorKind.RATE_LIMITED) or 0.0
    _summarise(attempts, primary, cooldown, simulator)


def _script(simulator: Simulator, primary: ModelConfig, fallback: ModelConfig) -> None:
    from hotswap.testing import RateLimit, Reply, Slow

    pace = _PACE_S if typer.get_text_stream("stdout").isatty() else 0.0
    first = (
        f"Hello from {fallback.name}, played by the simulator. {primary.name} answered "
        f"429 rate limited, so hotswap asked me at once: your code saw one clean stream."
    )
    second = (
        f"{fallback.name} again. {primary.name} is cooling down after its 429, so hotswap "
        f"skipped it without sending it anything."
    )
    simulator.script(primary.model, [RateLimit()])
    simulator.script(
        fallback.model,
        [Slow(delay=pace, reply=Reply(text=first)), Slow(delay=pace, reply=Reply(text=second))],
    )


def _introduce(
    models: list[ModelConfig], primary: ModelConfig, simulator: Simulator, missing: list[str]
) -> None:
    from hotswap.cli.terminal import dim

    typer.secho("hotswap demo: a chain of models, and a failover", bold=True)
    typer.echo(dim(f"The providers are played by a simulator on {simulator.url}, and the"))
    typer.echo(dim("keys are dummies in a temporary directory: nothing leaves this machine."))
    typer.echo()
    order = " → ".join(f"{m.name} ({m.provider})" for m in models)
    typer.echo(f"  chain:  {order}")
    typer.echo(f"  script: the simulator answers {primary.name} with 429 rate limited")
    for provider in missing:
        typer.echo(dim(f"  (no {provider} model: pip install hotswap-{provider} to add one)"))


def _request(chain: FailoverChain, number: int, question: str) -> list[Attempt]:
    from hotswap.cli.answers import show_stream
    from hotswap.cli.terminal import Spinner
    from hotswap.cli.watcher import ChainWatcher, watching

    typer.echo()
    typer.secho(f"▶ request {number}: {question}", bold=True)
    # The whole story on stdout, notices included, so it reads in order even when piped.
    spinner = Spinner("asking", stream=typer.get_text_stream("stdout"))
    with watching(chain.host, ChainWatcher(spinner)):
        spinner.start()
        completion = show_stream(chain.stream(question), spinner)
    return list(completion.attempts)


def _summarise(
    requests: list[list[Attempt]], primary: ModelConfig, cooldown_s: float, simulator: Simulator
) -> None:
    from hotswap.cli.terminal import dim, table

    rows = []
    for number, attempts in enumerate(requests, 1):
        for attempt in attempts:
            rows.append([str(number), attempt.model, attempt.provider, *_outcome(attempt)])
    typer.echo()
    typer.secho("What each request tried", bold=True)
    typer.echo(table(["request", "model", "provider", "outcome", "time"], rows, indent="  "))
    typer.echo()
    typer.echo(
        f"{primary.name} is skipped for {cooldown_s:g} s after a rate limit (longer if the "
        "provider asks),\nthen one request probes it and, if it answers, it is used again."
    )
    typer.echo(dim(f"{simulator.count()} requests reached the simulator; none left this machine."))
    typer.echo(dim("Now your own: hotswap doctor, then hotswap ask 'hello'."))


def _outcome(attempt: Attempt) -> list[str]:
    """The outcome and time cells of one attempt."""
    outcome = str(attempt.outcome)
    if outcome == "skipped":
        return ["skipped: cooling down", "no request"]
    if attempt.kind is not None:
        status = f" {attempt.status}" if attempt.status is not None else ""
        outcome = f"{attempt.kind}{status}"
    return [outcome, f"{attempt.elapsed_ms:.0f} ms"]
