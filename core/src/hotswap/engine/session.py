"""A conversation: the message history, and the chain that answers it, switchable mid-way.

A :class:`Session` lets an application escalate from a cheap model to a strong one for a hard
turn and back again without losing the conversation: every answer, whichever model gave it,
is kept in the history that the next model sees. Thinking blocks travel with their turn; each
plugin passes back what its provider can read and drops the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from hotswap.engine._async.session_stream import AsyncSessionStream
from hotswap.engine._sync.session_stream import SessionStream
from hotswap.engine.failover_chain import FailoverChain
from hotswap.types.messages import ImagePart, Message, TextPart

if TYPE_CHECKING:
    from hotswap.config import Config, ModelConfig
    from hotswap.types.completion import Completion

__all__ = ["AsyncSessionStream", "Session", "SessionStream"]

ChainSpec = FailoverChain | str | Sequence["str | ModelConfig"]
Turn = str | Message | Sequence[str | TextPart | ImagePart]


class Session:
    """A conversation with a chain.

    :param chain: what answers: a :class:`FailoverChain`, or anything :func:`hotswap.chain`
        accepts (a chain, agent or model name, or a list of models).
    :param config: the configuration names are looked up in (default: the one found on disk).
    :param system: a system prompt, kept as the first message.
    :param messages: earlier history to continue from.
    :param options: defaults for every turn (``max_tokens``, ``temperature``, ``tools``...);
        a turn's own options override them.
    """

    def __init__(
        self,
        chain: ChainSpec,
        *,
        config: Config | None = None,
        system: str | None = None,
        messages: Iterable[Message] = (),
        **options: Any,
    ) -> None:
        self._config = config
        self.chain = chain if isinstance(chain, FailoverChain) else self._build(chain, None)
        self._history: list[Message] = [Message.system(system)] if system else []
        self._history.extend(messages)
        self.options = options

    @property
    def messages(self) -> tuple[Message, ...]:
        """The conversation so far."""
        return tuple(self._history)

    def switch(self, chain: ChainSpec) -> FailoverChain:
        """Answer later turns with ``chain`` instead; the history stays. A name or list is
        resolved in this session's config, and shares the current chain's connections."""
        if isinstance(chain, FailoverChain):
            self.chain = chain
        else:
            self.chain = self._build(chain, self.chain)
        return self.chain

    def add(self, *messages: Message) -> None:
        """Append messages yourself: tool results, or turns from elsewhere."""
        self._history.extend(messages)

    # -- turns: what is sent and kept is decided once, below; these are its doors ----------

    def ask(self, turn: Turn | None = None, **options: Any) -> Completion:
        """Send ``turn`` (a user message; None to answer the history as it stands, after tool
        results) and keep the answer. On a failure the history is left as it was."""
        asked = self._asked(turn)
        completion = self.chain.complete(self._sent(asked), **self._options(options))
        self._keeper(asked)(completion.to_message())
        return completion

    async def aask(self, turn: Turn | None = None, **options: Any) -> Completion:
        """:meth:`ask`, for asyncio."""
        asked = self._asked(turn)
        completion = await self.chain.acomplete(self._sent(asked), **self._options(options))
        self._keeper(asked)(completion.to_message())
        return completion

    def stream(self, turn: Turn | None = None, **options: Any) -> SessionStream:
        """Send ``turn`` and stream the answer, kept in the history once it has finished. If
        the stream is closed early (the user stopped it), the part shown is kept; if it
        fails, the history is left as it was."""
        asked = self._asked(turn)
        stream = self.chain.stream(self._sent(asked), **self._options(options))
        return SessionStream(stream, self._keeper(asked))

    def astream(self, turn: Turn | None = None, **options: Any) -> AsyncSessionStream:
        """:meth:`stream`, for asyncio."""
        asked = self._asked(turn)
        stream = self.chain.astream(self._sent(asked), **self._options(options))
        return AsyncSessionStream(stream, self._keeper(asked))

    # -- internals ---------------------------------------------------------------------------

    def _asked(self, turn: Turn | None) -> list[Message]:
        if turn is None:
            return []
        if isinstance(turn, Message):
            return [turn]
        if isinstance(turn, str):
            return [Message.user(turn)]
        return [Message.user(*turn)]

    def _sent(self, asked: list[Message]) -> list[Message]:
        return [*self._history, *asked]

    def _keeper(self, asked: list[Message]) -> Callable[[Message], None]:
        """What keeps a turn's answer: the turn joins the history with it, never without it,
        so a failed turn leaves the history as it was."""
        return lambda answer: self._history.extend([*asked, answer])

    def _options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {**self.options, **options}

    def _build(
        self, spec: str | Sequence[str | ModelConfig], like: FailoverChain | None
    ) -> FailoverChain:
        from hotswap.engine import chain

        shared: dict[str, Any] = {}
        if like is not None:
            shared = {"host": like.host, "transport": like.transport, "breakers": like.breakers}
        return chain(spec, config=self._config, **shared)
