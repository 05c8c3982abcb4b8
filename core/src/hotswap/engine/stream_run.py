"""The decisions of one streamed call: what to pass on, and what happens when a stream fails
after it has shown content (``stream_recovery``).

:class:`StreamRun` decides and :class:`StreamFacts` reports; the streams that drive them,
:class:`~hotswap.engine.ChainStream` and :class:`~hotswap.engine.AsyncChainStream`, are written
once in :mod:`hotswap.engine._async` and do only the waiting and the reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.engine.recovery import continuation
from hotswap.plugin.streaming import StreamAssembler
from hotswap.types.attempts import Attempt, StreamInterruptedError
from hotswap.types.errors import ErrorKind, ProviderError
from hotswap.types.events import StreamEvent, StreamReset, TextDelta, ThinkingDelta, ToolCallDelta

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.engine.call import Call
    from hotswap.types.completion import Completion
    from hotswap.types.request import CompletionRequest

__all__ = ["StreamFacts", "StreamRun"]

_CONTENT = (TextDelta, ThinkingDelta, ToolCallDelta)


class StreamRun:
    """The state of one streamed call, and every decision about it, for the sync and async
    streams alike."""

    def __init__(self, call: Call) -> None:
        self.call = call
        self.request = call.request
        self.plan = call.plan
        self.assembler = StreamAssembler()
        self.model: ModelConfig | None = None
        self.pending: list[StreamEvent] = []
        self.shown = False
        # Under ``continue`` recovery, once a stream was cut after showing text: that text, and
        # the reset to pass on instead if the next model cannot carry on from it exactly.
        self.partial: str | None = None
        self.cut: StreamReset | None = None
        self.prefilled = False  # whether the try under way carries on from ``partial``
        self.trim = ""  # whitespace the prefill left off, which the caller has already seen
        self.refuses_prefill: set[str] = set()

    @property
    def attempts(self) -> list[Attempt]:
        return self.plan.attempts

    def start(self, model: ModelConfig) -> float:
        """A try of ``model`` begins: it is the model answering now. Returns when it began."""
        self.model = model
        return self.call.start(model, stream=True)

    def begin(self, model: ModelConfig) -> tuple[CompletionRequest, list[StreamEvent]]:
        """What to send ``model``, and the events to pass on before its answer: the caller's
        request; or a continuation of a cut answer, for a model that takes it as its own turn
        to carry on from; or, for any other model, a reset and the caller's request whole, since
        a continuation it cannot make exactly would reach the caller as an altered answer."""
        self.prefilled = False
        partial = self.partial
        if partial is None:
            return self.request, []
        kept = partial.rstrip()
        if kept and self._continues(model):
            self.prefilled, self.trim = True, partial[len(kept) :]
            return continuation(self.request, kept), []
        reset = self.cut
        assert reset is not None
        self.partial = self.cut = None
        self._restart(reset)
        return self.request, [reset]

    def _continues(self, model: ModelConfig) -> bool:
        """Whether ``model`` carries on from a partial answer given as its own last turn."""
        if model.name in self.refuses_prefill:
            return False
        if model.prefill is not None:
            return model.prefill
        info = self.call.chain.provider_of(model)
        return info is not None and info.capabilities_of(model.model).prefill

    def accept(self, event: StreamEvent) -> list[StreamEvent]:
        """What to pass on for ``event``: nothing is shown until the first content event, so
        a failure before it can fail over without the caller having seen anything."""
        if self.trim and event.__class__ is TextDelta:
            trimmed = self._trimmed(event)
            if trimmed is None:
                return []
            event = trimmed
        if not self.shown and not isinstance(event, _CONTENT):
            self.pending.append(event)
            return []
        out = [*self.pending, event] if not self.shown else [event]
        self.shown = True
        self.pending = []
        for item in out:
            self.assembler.add(item)
        return out

    def _trimmed(self, delta: TextDelta) -> TextDelta | None:
        """``delta``, the start of a continuation, without the whitespace the caller already
        has: the prefill was sent without its trailing whitespace (prefill APIs refuse it), and
        a model carrying on from it begins by writing that whitespace again."""
        text, trim = delta.text, self.trim
        same = 0
        while same < len(text) and same < len(trim) and text[same] == trim[same]:
            same += 1
        if same == len(text) and same < len(trim):
            self.trim = trim[same:]  # all of it was whitespace already shown: see the next one
            return None
        self.trim = ""
        return TextDelta(text[same:]) if same else delta

    def flush(self) -> list[StreamEvent]:
        """At the end of an answer: the held-back events, when it had no content at all."""
        out, self.pending, self.shown = self.pending, [], True
        for item in out:
            self.assembler.add(item)
        return out

    def failed(self, model: ModelConfig, error: ProviderError, started: float) -> list[StreamEvent]:
        """Decide what a failed try means: fail over unseen, recover after content (the events
        to pass on first, such as a reset), or raise."""
        self.pending = []
        if self.prefilled and error.kind is ErrorKind.INVALID_REQUEST:
            # The model does not take a prefilled turn after all: it answers afresh instead,
            # rather than the refusal of a form ending the call.
            self.refuses_prefill.add(model.name)
            self.plan.resend(model, error, started)
            return []
        if not self.shown:
            self.plan.failed(model, error, started)
            return []
        settings = self.call.chain.settings
        recovery = settings.stream_recovery
        if recovery == "raise" or not settings.fails_over_on(error.kind):
            self.plan.interrupted(model, error, started)
            raise StreamInterruptedError(self.assembler.text, error, self.plan.attempts) from error
        try:
            self.plan.failed(model, error, started)
        except ProviderError:
            raise StreamInterruptedError(self.assembler.text, error, self.plan.attempts) from error
        reset = StreamReset(model.name, f"{error.kind}: {error.provider_message}")
        if recovery == "continue" and not self.assembler.calling_tools:
            # Whether the next model can carry on is known once it is chosen (begin).
            self.partial, self.cut = self.assembler.text, reset
            return []
        # Restart: half a tool call cannot be continued, so ``continue`` restarts too.
        self.partial = self.cut = None
        self._restart(reset)
        return [reset]

    def _restart(self, reset: StreamReset) -> None:
        """The caller is told to discard what it was shown: the next answer starts afresh."""
        self.assembler.add(reset)
        self.shown = False

    def succeeded(self, model: ModelConfig, started: float) -> None:
        self.plan.succeeded(model, started)
        if self.call.chain.host.observes("hotswap_completed"):
            self.call.answered(self.completion())

    def completion(self) -> Completion:
        """The answer the stream added up to (once it has finished)."""
        model = self.model
        return self.assembler.completion(
            model=model.name if model else "",
            provider=model.provider if model else "",
            model_id=model.model if model else "",
            attempts=tuple(self.plan.attempts),
        )


class StreamFacts:
    """What a streamed call knows of itself, for the chain's streams and a session's alike:
    ``model`` names the model answering (the one that answered, once it has ended),
    ``attempts`` lists every try so far, ``text`` is the text passed on, and
    :meth:`completion` assembles the answer (once the stream has ended)."""

    _run: StreamRun

    @property
    def model(self) -> ModelConfig | None:
        return self._run.model

    @property
    def attempts(self) -> list[Attempt]:
        return self._run.attempts

    @property
    def text(self) -> str:
        """The text passed on so far."""
        return self._run.assembler.text

    def completion(self) -> Completion:
        return self._run.completion()
