"""One attempt at one model, with every decision made here and no I/O.

An :class:`Exchange` is what the sync and async transports share: it resolves the provider,
the auth type and the credential, asks the plugin for the request, and afterwards turns
whatever came back (a response, a stream's bytes, a transport exception described as a
:class:`~hotswap.types.http.TransportFailure`) into a :class:`Completion`, stream events, or the
:class:`~hotswap.types.errors.ProviderError` of the right kind. The transports only move bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hotswap.plugin.framing import Frame, SSEDecoder
from hotswap.plugin.streaming import StreamTranslator
from hotswap.types import codec as jsoncodec
from hotswap.types.auth import AuthType
from hotswap.types.errors import (
    ConfigError,
    CredentialError,
    ErrorClassification,
    ErrorKind,
    NoCredentialError,
    PluginError,
    ProviderError,
)
from hotswap.types.events import StreamEvent, StreamFailure
from hotswap.types.http import Failure, HttpResponse, TransportFailure
from hotswap.types.redaction import get_logger
from hotswap.types.request import CompletionRequest, ThinkingLevel
from hotswap.wire.refresh import TokenRefresh, plan_refresh

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.plugin.host import PluginHost
    from hotswap.types.auth import Credential
    from hotswap.types.completion import Completion
    from hotswap.types.providers import ProviderInfo
    from hotswap.wire.timeouts import Timeouts

__all__ = ["Exchange", "StreamState"]

log = get_logger("hotswap.wire.exchange")

# What a plugin's translation code raises when a provider sends something it cannot read
# (truncated or malformed JSON, a missing field): the provider's fault, so a server error.
_UNREADABLE = (ValueError, KeyError, TypeError, IndexError, AttributeError)


class Exchange:
    """Everything about one request to one model except sending it.

    :param host: the plugin host.
    :param model: the configured model.
    :param request: the conversation and options as the caller gave them.
    :param stream: whether the answer is to be streamed.
    :param timeouts: the attempt's limits (default: the transport's).
    :param time_left: seconds left of the call's deadline, if it has one: the attempt ends by
        then whatever its own limits say.
    :raises UnknownProviderError: no installed plugin provides the model's provider.
    :raises ConfigError: the model's auth type is one its provider does not accept.
    :raises NoCredentialError: the credential it needs cannot be found (an ``auth`` failure
        of the model, and a :class:`~hotswap.types.errors.CredentialError`), as for every credential
        problem an exchange meets, its login's renewal included.
    """

    def __init__(
        self,
        host: PluginHost,
        model: ModelConfig,
        request: CompletionRequest,
        *,
        stream: bool,
        timeouts: Timeouts | None = None,
        time_left: float | None = None,
    ) -> None:
        self.host = host
        self.timeouts = timeouts
        self.time_left = time_left
        self.model = model
        self.provider = host.provider(model.provider)
        self.request = _with_model_defaults(request, model, self.provider)
        auth_type = model.auth_type or self.provider.default_auth_type
        spec = self.provider.auth.get(auth_type)
        if spec is None:
            accepted = ", ".join(str(a) for a in self.provider.auth)
            raise ConfigError(
                f"provider {self.provider.name!r} does not accept auth_type {str(auth_type)!r}",
                key=f"models.{model.name}.auth_type",
                fix=f"use one of: {accepted}",
            )
        try:
            credential = (
                None
                if auth_type is AuthType.NONE
                else host.resolve_credential(model, auth_type, spec)
            )
            # An expired pi login is refreshed by the transport before the request is sent.
            self.refresh: TokenRefresh | None = plan_refresh(
                host, model, auth_type, spec, credential
            )
        except CredentialError as error:
            raise self._unusable(error) from None
        self._login = (auth_type, spec, credential)
        self._refused_once = False
        http = host.build_request(model, self.request, stream=stream)
        self.method = http.method
        self.url = _join(model.base_url or self.provider.base_url, http.path)
        self.stream = http.stream
        self.body = jsoncodec.dumps(http.json) if http.json is not None else None
        # Later sources win: the plugin's headers, the user's configured ones, then auth.
        self.headers: dict[str, str] = {**http.headers, **model.headers}
        if self.body is not None:
            self.headers.setdefault("content-type", "application/json")
        self.headers.update(host.auth_headers(model, credential))

    def __repr__(self) -> str:
        return f"Exchange({self.method} {self.url}, model={self.model.name!r})"

    def refreshed(self, response: HttpResponse) -> None:
        """Take the token endpoint's answer to :attr:`refresh`: the fresh token, written back to
        pi's ``auth.json``, replaces the expired one in :attr:`headers`.

        :raises NoCredentialError: the endpoint refused, or its answer holds no token.
        """
        if self.refresh is None:
            raise RuntimeError("this exchange has no refresh pending")
        try:
            credential = self.refresh.credential(response)
        except CredentialError as error:
            raise self._unusable(error) from None
        self.use(credential)

    def refresh_failed(self, detail: str) -> NoCredentialError:
        """The error for a renewal of :attr:`refresh` that got no answer (``detail``: what the
        transport said)."""
        if self.refresh is None:
            raise RuntimeError("this exchange has no refresh pending")
        return self._unusable(self.refresh.failed(detail))

    def use(self, credential: Credential) -> None:
        """Send ``credential`` instead of the one resolved (a login refreshed since)."""
        self.refresh = None
        self.headers.update(self.host.auth_headers(self.model, credential))

    def refresh_after_refusal(self, error: ProviderError) -> bool:
        """Whether to send again after refreshing the login, because the provider refused a
        pi OAuth token with an ``auth`` error before its expiry. Once per exchange; when it
        says yes, :attr:`refresh` holds the refresh to make first."""
        if self._refused_once or error.kind is not ErrorKind.AUTH:
            return False
        if isinstance(error, NoCredentialError):
            return False  # the renewal itself failed: the provider never saw a token
        self._refused_once = True
        auth_type, spec, credential = self._login
        try:
            self.refresh = plan_refresh(
                self.host, self.model, auth_type, spec, credential, refused=True
            )
        except CredentialError as unusable:
            raise self._unusable(unusable) from None
        return self.refresh is not None

    # -- outcomes -------------------------------------------------------------------------

    def completion(self, response: HttpResponse) -> Completion:
        """The completion a finished non-streaming response holds, or the error it reports."""
        if not 200 <= response.status < 300:
            raise self.error(response)
        try:
            parsed = self.host.parse_response(self.model, response)
        except _UNREADABLE as exc:
            raise self.unreadable(exc) from None
        if parsed is None:
            # The plugin found an error where a completion should be (a 200 carrying one).
            raise self.error(response)
        name, provider = self.model.name, self.provider.name
        if parsed.model == name and parsed.provider == provider:
            return parsed  # the plugin named them itself: no copy to make
        return parsed.model_copy(update={"model": name, "provider": provider})

    def open_stream(self) -> StreamState:
        """The state that turns this exchange's streamed body into events."""
        translator = self.host.stream_translator(self.model, self.request)
        stream = _STREAMS.get(translator.framing)
        if stream is None:
            raise PluginError(
                f"the stream translator for provider {self.provider.name!r} names the framing "
                f"{translator.framing!r}; hotswap reads {' and '.join(map(repr, _STREAMS))}"
            )
        return stream(self, translator)

    def error(self, failure: Failure) -> ProviderError:
        """The exception for a failure, classified by the plugins (the core's rules last)."""
        classification = self.host.classify_error(self.model, failure)
        status = failure.status if isinstance(failure, HttpResponse) else None
        return ProviderError.from_classification(
            classification, provider=self.provider.name, model=self.model.model, status=status
        )

    def _unusable(self, error: CredentialError) -> NoCredentialError:
        if isinstance(error, NoCredentialError):
            return error
        return NoCredentialError(error.message, provider=self.provider.name, model=self.model.model)

    def unreadable(self, exc: Exception) -> ProviderError:
        """The server error for a response or frame the plugin could not read."""
        log.debug("unreadable response from %s: %r", self.provider.name, exc)
        return ProviderError.from_classification(
            ErrorClassification(
                ErrorKind.SERVER_ERROR,
                f"the provider's response could not be read ({type(exc).__name__}: {exc})",
                code="malformed_response",
            ),
            provider=self.provider.name,
            model=self.model.model,
        )


class StreamState:
    """Decodes one streamed body: feed it bytes, get events; :meth:`end` checks the provider
    signalled completion, since a stream that just stops is a ``connection`` error. Made by
    :meth:`Exchange.open_stream`, of the subclass for the framing the translator names.

    :ivar failure: the classified error the provider reported inside the stream, once one
        arrived: raise it after handing out the events before it, so a caller sees all the
        content that preceded it. An attribute rather than a method, as it is looked at after
        every chunk.
    """

    __slots__ = ("_exchange", "_translate", "_translator", "failure")

    def __init__(self, exchange: Exchange, translator: StreamTranslator) -> None:
        self._exchange = exchange
        self._translator = translator
        self.failure: ProviderError | None = None
        self._translate = translator.translate  # bound once: it runs for every frame

    def feed(self, chunk: bytes) -> list[StreamEvent]:
        """The events the frames completed by ``chunk`` carry, up to an error the provider
        reported inside the stream; pass them on, then raise :attr:`failure` if it is set."""
        raise NotImplementedError

    def end(self) -> list[StreamEvent]:
        """The last events at end of body; raises a ``connection`` error if the provider never
        signalled completion."""
        events = self._rest() if self.failure is None else []
        if self.failure is not None:
            return events
        if not self._translator.finished:
            raise self._exchange.error(
                TransportFailure(
                    ErrorKind.CONNECTION,
                    "stream",
                    "the stream ended before the provider signalled completion",
                )
            )
        close = getattr(self._translator, "close", None)
        if close is not None:
            # A translator may hold an event back for a trailer that may never come (a finish
            # kept for the usage chunk or ``[DONE]`` after it): the body is over, so hand it on.
            events.extend(event for event in close() if event.__class__ is not StreamFailure)
        return events

    def _rest(self) -> list[StreamEvent]:
        """The events of what the framing still holds when the body ends."""
        raise NotImplementedError

    def _passed(self, events: list[Any], unreadable: Exception | None) -> list[StreamEvent]:
        """``events`` up to the first failure among them, which stops the stream (what it sends
        after an error is not read), as does a frame the plugin could not read (``unreadable``)
        after them."""
        for event in events:
            # The type itself, not isinstance (StreamFailure is final): a failing isinstance on
            # a msgspec struct goes through the metaclass, and this one fails for every event.
            if event.__class__ is StreamFailure:
                # What came after it, from later frames of the chunk, goes with it.
                del events[events.index(event) :]
                self.failure = self._exchange.error(event)
                return events
        if unreadable is not None:
            self.failure = self._exchange.unreadable(unreadable)
        return events


class _EventStream(StreamState):
    """A server-sent event stream, framed by :class:`~hotswap.plugin.framing.SSEDecoder`."""

    __slots__ = ("_decoder", "_frames")

    def __init__(self, exchange: Exchange, translator: StreamTranslator) -> None:
        super().__init__(exchange, translator)
        self._decoder = SSEDecoder()
        self._frames = self._decoder.feed

    def feed(self, chunk: bytes) -> list[StreamEvent]:
        # Every chunk of every stream comes through here: the frames' events are gathered
        # list by list and searched for a failure once, since a chunk holds one frame, one
        # event, nearly always.
        if self.failure is not None:
            return []
        events: list[Any] = []
        translate = self._translate
        try:
            for frame in self._frames(chunk):
                events += translate(frame)
        except _UNREADABLE as exc:
            return self._passed(events, exc)
        return self._passed(events, None)

    def _rest(self) -> list[StreamEvent]:
        # The decoder's last frames are translated as any chunk's are.
        self._frames = self._flush
        return self.feed(b"")

    def _flush(self, chunk: bytes) -> list[Frame]:
        return self._decoder.flush()


class _LineStream(StreamState):
    """A newline-delimited JSON stream: one frame per non-blank line, as
    :class:`~hotswap.plugin.framing.NDJSONDecoder` cuts them, but cut here: an NDJSON line is a
    whole frame and usually a whole read, so a decoder call per line would be pure overhead."""

    __slots__ = ("_held",)

    def __init__(self, exchange: Exchange, translator: StreamTranslator) -> None:
        super().__init__(exchange, translator)
        self._held = b""

    def feed(self, chunk: bytes) -> list[StreamEvent]:
        if self.failure is not None:
            return []
        held = self._held
        lines = (held + chunk if held else chunk).split(b"\n")
        self._held = lines.pop()
        events: list[Any] = []
        translate = self._translate
        try:
            for line in lines:
                line = line.strip()
                if line:
                    events += translate(Frame(None, line))
        except _UNREADABLE as exc:
            return self._passed(events, exc)
        return self._passed(events, None)

    def _rest(self) -> list[StreamEvent]:
        # A last line without its newline is still delivered: a plugin that cannot read it
        # reports the stream as cut short.
        return self.feed(b"\n")


_STREAMS: dict[str, type[StreamState]] = {"sse": _EventStream, "ndjson": _LineStream}


def _with_model_defaults(
    request: CompletionRequest, model: ModelConfig, provider: ProviderInfo
) -> CompletionRequest:
    """The request with the model's configured thinking level where the caller set none, and
    with no thinking level at all for a model that has no reasoning control."""
    level = request.options.thinking_level or model.thinking_level
    if (
        level not in (None, ThinkingLevel.OFF)
        and not provider.capabilities_of(model.model).thinking
    ):
        log.debug("thinking_level %s dropped: %s has no reasoning control", level, model.name)
        level = None
    if level == request.options.thinking_level:
        return request
    options = request.options.model_copy(update={"thinking_level": level})
    return request.model_copy(update={"options": options})


def _join(base_url: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return base_url.rstrip("/") + "/" + path.lstrip("/")
