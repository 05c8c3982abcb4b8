"""``hotswap ask``: one prompt through a chain, the answer streamed to the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from hotswap.cli.options import (
    ChainOption,
    ConfigOption,
    MaxTokensOption,
    ModelOption,
    SystemOption,
    TemperatureOption,
    ThinkingOption,
    request_options,
)

if TYPE_CHECKING:
    from hotswap.cli.failures import FailureReport
    from hotswap.engine import FailoverChain
    from hotswap.types.attempts import Attempt
    from hotswap.types.completion import Completion
    from hotswap.types.messages import Message

__all__ = ["ask", "compose_prompt"]


def ask(
    prompt: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="PROMPT",
            help="The prompt. Text piped to stdin is appended to it, or is the prompt.",
        ),
    ] = None,
    chain: ChainOption = None,
    model: ModelOption = None,
    system: SystemOption = None,
    max_tokens: MaxTokensOption = None,
    temperature: TemperatureOption = None,
    thinking: ThinkingOption = None,
    config: ConfigOption = None,
    stream: Annotated[
        bool, typer.Option("--stream/--no-stream", help="Stream the answer as it arrives.")
    ] = True,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print one JSON object: the answer and every attempt."),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every attempt with its timing.")
    ] = False,
) -> None:
    """Ask one prompt through a chain.

    The answer streams to stdout; a failover is told on stderr.

    Exit status: 0 answered; 1 every model failed or the answer was cut off; 2 a usage,
    config or credential problem (the message says what to fix).
    """
    from hotswap.cli import selection
    from hotswap.cli.failures import reporting, usage_problem

    with reporting(as_json) as report:
        text = compose_prompt(prompt, _piped_stdin())
        if not text.strip():
            raise report.fail(
                usage_problem("no prompt: give one as an argument, or pipe it to stdin")
            )
        settings = selection.load(config)
        chosen = selection.select_chain(settings, chain, model or [])
        options = request_options(max_tokens, temperature, thinking)
        messages = _conversation(system, text)
        with chosen.transport:
            completion = _answer(chosen, messages, options, stream, as_json, report)
        _finish(completion, as_json, verbose)


def compose_prompt(argument: str | None, piped: str | None) -> str:
    """The prompt from the argument and what was piped in: the piped text is appended to the
    argument after a blank line, or is the whole prompt when there is no argument."""
    parts = [part for part in (argument, piped) if part and part.strip()]
    return "\n\n".join(part.strip("\n") for part in parts)


def _piped_stdin() -> str | None:
    stdin = typer.get_text_stream("stdin")
    if stdin.isatty():
        return None
    return stdin.read()


def _conversation(system: str | None, text: str) -> list[Message]:
    from hotswap.types.messages import Message

    messages = [Message.system(system)] if system else []
    messages.append(Message.user(text))
    return messages


def _answer(
    chain: FailoverChain,
    messages: list[Message],
    options: dict[str, Any],
    stream: bool,
    as_json: bool,
    report: FailureReport,
) -> Completion:
    from hotswap.cli.answers import show_stream
    from hotswap.cli.selection import describe
    from hotswap.cli.terminal import Spinner
    from hotswap.cli.watcher import ChainWatcher, watching

    spinner = None if as_json else Spinner(f"asking {describe(chain)}")
    watcher = ChainWatcher(spinner)
    with watching(chain.host, watcher):
        report.attempts = watcher.failed
        try:
            if stream:
                if spinner is not None:
                    spinner.start()
                return show_stream(chain.stream(messages, **options), spinner)
            if spinner is None:
                return chain.complete(messages, **options)
            with spinner:
                completion = chain.complete(messages, **options)
            typer.echo(completion.text)
            return completion
        except KeyboardInterrupt:
            # The stream was closed on the way out, which closed its connection.
            typer.echo("", err=True)
            raise typer.Exit(130) from None


def _finish(completion: Completion, as_json: bool, verbose: bool) -> None:
    from hotswap.cli.failures import ANSWER_FAILED
    from hotswap.cli.records import answer_record, dumps
    from hotswap.cli.terminal import note

    cut_off = str(completion.finish_reason) == "length"
    if as_json:
        typer.echo(dumps(answer_record(completion)))
    else:
        if verbose:
            _show_attempts(completion.attempts)
        if cut_off:
            note("the answer was cut off at the output limit (raise --max-tokens)")
    if cut_off:
        raise typer.Exit(ANSWER_FAILED)


def _show_attempts(attempts: tuple[Attempt, ...]) -> None:
    from hotswap.cli.terminal import note

    note("attempts:")
    for attempt in attempts:
        note(f"  {attempt.describe()}")
