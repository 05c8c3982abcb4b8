"""The hotswap plugin contract: every hook a plugin may implement, grouped by concern.

A provider plugin is a translator: it declares its providers, turns hotswap's request into an
:class:`~hotswap.types.http.HttpRequest`, turns responses and stream frames back into hotswap's
types, and classifies failures. It never opens a socket, sleeps, retries or logs a secret: the
core does all I/O. It is usually a :class:`~hotswap.plugin.ProviderPlugin` subclass, whose
methods are named after the hooks below without their ``hotswap_`` prefix (``build_request``
implements ``hotswap_build_request``); a plugin may also mark functions ``@hookimpl`` itself.

The hooks that stop at the first answer (*first result*) are a provider's operations. Each is
asked about one configured ``model`` and reaches only the plugin that registered
``model.provider``, the plugins that register no provider, and the core's fallbacks, which run
last (``trylast``): never another provider's plugin, so no implementation checks
``model.provider``. A plugin that is not a provider changes behaviour through the same hooks:
with ``tryfirst=True`` it answers before the provider (a secrets vault resolving credentials,
returning None for models it does not serve), and with ``wrapper=True`` it adjusts the
provider's answer (treating a given 400 as failover-worthy).

A minimal provider plugin, named by an entry point in the ``hotswap`` group
(``acme = "hotswap_acme:plugin"``)::

    from hotswap.plugin import HttpRequest, ProviderInfo, ProviderPlugin

    class Acme(ProviderPlugin):
        info = ProviderInfo(name="acme", base_url="https://api.acme.test/v1",
                            auth={"api_key": {"env_vars": ["ACME_API_KEY"]}})

        def build_request(self, model, request, stream):
            return HttpRequest("POST", "/chat", json={...}, stream=stream)

    plugin = Acme()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.plugin.streaming import StreamTranslator
    from hotswap.types.attempts import Attempt
    from hotswap.types.auth import AuthType, Credential, CredentialSpec, TokenGrant
    from hotswap.types.completion import Completion
    from hotswap.types.errors import ErrorClassification, ErrorKind
    from hotswap.types.http import Failure, HttpRequest, HttpResponse
    from hotswap.types.providers import KnownModel, ProviderInfo
    from hotswap.types.request import CompletionRequest

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "hotswap"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# -------------------------------------------------------------------------------------------
# Registration
# -------------------------------------------------------------------------------------------


@hookspec
def hotswap_register_providers(register: Callable[[ProviderInfo], None]) -> None:
    """Declare the providers this plugin offers.

    Called once per plugin, when the plugin is loaded. Call ``register`` once per provider. The
    core validates each :class:`~hotswap.types.providers.ProviderInfo` and refuses a name another
    plugin already registered; either failure disables this plugin alone, with the reason
    shown by ``hotswap plugins``. From then on this plugin's first-result hooks are asked about
    the models of the providers it registered, and no others.

    :param register: the callback that records one provider.
    """


# -------------------------------------------------------------------------------------------
# Auth
# -------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def hotswap_resolve_credential(
    model: ModelConfig, auth_type: AuthType, spec: CredentialSpec
) -> Credential | None:
    """Find the credential ``model`` needs. *First result.*

    Called before each request whose model's auth type is not ``none`` (the core caches
    nothing: a rotated key is picked up at once). The core's own implementation runs last and
    walks environment variables, credential files, the OS keychain and pi logins in the
    documented order; implement this hook with ``tryfirst=True`` to supply credentials from
    elsewhere (a secrets vault), returning None for models you do not serve.

    :param model: the configured model.
    :param auth_type: the auth type in force (the model's, else the provider's default).
    :param spec: where the provider says this auth type's credential may be found.
    :return: the credential, or None to let the next implementation look.
    """


@hookspec(firstresult=True)
def hotswap_auth_headers(model: ModelConfig, credential: Credential) -> dict[str, str] | None:
    """Turn a resolved credential into the request headers that carry it. *First result.*

    Called for every request that carries a credential (not for auth type ``none``), just
    before it is sent; the headers are added by the transport and never appear in an
    :class:`~hotswap.types.http.HttpRequest`, a log line or a repr. The core's own
    implementation runs last and sends ``Authorization: Bearer``, so implement this hook only
    for a provider that expects otherwise.

    :param model: the configured model.
    :param credential: the resolved credential.
    :return: headers such as ``{"x-api-key": ...}``.
    """


@hookspec(firstresult=True)
def hotswap_refresh_request(model: ModelConfig, credential: Credential) -> HttpRequest | None:
    """Describe the request that refreshes an expired OAuth login. *First result.*

    Called before a request whose ``pi_auth`` credential has a refresh token and has passed its
    ``expires_at``. The core sends the request, reads the answer with ``hotswap_parse_refresh``,
    writes the new tokens back into pi's ``auth.json`` and sends the original request with the
    new access token.

    :param model: the configured model.
    :param credential: the expired credential; its ``refresh_token`` is set.
    :return: the request, its ``path`` an absolute URL (token endpoints are not under the API's
        base URL); None if the provider cannot refresh a login.
    """


@hookspec(firstresult=True)
def hotswap_parse_refresh(model: ModelConfig, response: HttpResponse) -> TokenGrant | None:
    """Read the new tokens from a token endpoint's answer. *First result.*

    Called only for a 2xx answer to the request ``hotswap_refresh_request`` described. The
    core's own implementation runs last and reads a standard OAuth 2 answer (RFC 6749 §5.1:
    ``access_token``, ``refresh_token``, ``expires_in``), so implement this hook only for an
    endpoint that answers otherwise.

    :param model: the configured model.
    :param response: the token endpoint's answer, body complete.
    :return: the new tokens; None if the answer holds no access token.
    """


# -------------------------------------------------------------------------------------------
# Completion
# -------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def hotswap_build_request(
    model: ModelConfig, request: CompletionRequest, stream: bool
) -> HttpRequest | None:
    """Translate a completion request into the provider's HTTP request. *First result.*

    Map ``request.options.thinking_level`` to the provider's reasoning control (drop it, with
    a debug log, where the model has none), send only the sampling options the caller set, and
    merge ``request.options.extra`` and ``model.options`` into the body.

    :param model: the configured model: ``model.model`` is the id to send.
    :param request: the conversation and the options.
    :param stream: whether to ask for a streamed answer (and for usage in it, where the
        provider can report it).
    :return: the request, with a path relative to the base URL. The core raises
        :class:`~hotswap.types.errors.PluginError` if no implementation builds one.
    """


@hookspec(firstresult=True)
def hotswap_parse_response(model: ModelConfig, response: HttpResponse) -> Completion | None:
    """Translate a successful non-streaming response into a :class:`Completion`. *First result.*

    Called only for 2xx responses. The core fills in ``Completion.model`` (the configured
    name, ``model.name``) and ``provider`` in a copy, unless the completion already holds them
    (as ``StreamAssembler.completion(model=model.name, provider=...)`` makes it).
    A provider that reports errors inside a 200 body should leave the completion unbuilt and
    raise nothing: return None and let ``hotswap_classify_error`` see the body instead (the
    core asks it when no plugin parses a 2xx response).

    :param model: the configured model.
    :param response: the response, body complete.
    """


# -------------------------------------------------------------------------------------------
# Streaming
# -------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def hotswap_stream_translator(
    model: ModelConfig, request: CompletionRequest
) -> StreamTranslator | None:
    """A fresh :class:`~hotswap.plugin.streaming.StreamTranslator` for one streamed answer.
    *First result.*

    The translator names its framing (``sse`` or ``ndjson``); the core decodes the bytes and
    hands it whole frames, and asks ``translator.finished`` when the body ends.

    :param model: the configured model.
    :param request: the request being answered (some translations depend on it).
    """


# -------------------------------------------------------------------------------------------
# Errors
# -------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def hotswap_classify_error(model: ModelConfig, failure: Failure) -> ErrorClassification | None:
    """Put a canonical kind, the provider's message and any retry-after on a failure. *First
    result.*

    Called for an error status (with the complete body), for a transport failure (no
    connection, a timeout, a stream cut short) and for an error the provider sent inside a
    stream. The core's provider-neutral rules run last, so a plugin need only answer what its
    provider does differently. To override a provider's verdict, implement this hook with
    ``wrapper=True``, take the verdict from ``yield`` and return your own.

    :param model: the configured model.
    :param failure: an :class:`~hotswap.types.http.HttpResponse`, a
        :class:`~hotswap.types.http.TransportFailure` or a
        :class:`~hotswap.types.events.StreamFailure`.
    """


# -------------------------------------------------------------------------------------------
# Catalog
# -------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def hotswap_list_models_request(model: ModelConfig) -> HttpRequest | None:
    """Describe the request that asks a provider's server which models it has. *First result.*

    Called by :func:`hotswap.engine.catalog.list_models` (``hotswap models``) for providers whose
    set of models depends on the server (a local Ollama lists what has been pulled). The core sends
    it to the model's base URL with the model's configured headers and credential (none for auth
    type ``none``), under a short timeout; a server that cannot be reached, or that answers with an
    error, lists nothing. Implement ``hotswap_parse_model_list`` to read the answer.

    :param model: the configured model whose endpoint, headers and credential to use; its
        ``model`` id plays no part.
    :return: the request, its path relative to the base URL (or absolute); None if the
        provider has no such list.
    """


@hookspec(firstresult=True)
def hotswap_parse_model_list(model: ModelConfig, response: HttpResponse) -> list[KnownModel] | None:
    """Read the models from the answer to ``hotswap_list_models_request``. *First result.*

    Called only for a 2xx answer. An answer the plugin cannot read (it raises ``ValueError``,
    ``KeyError``...) lists nothing, as an unreachable server does.

    :param model: the configured model the list was asked for.
    :param response: the server's answer, body complete.
    :return: the models, as the ids to configure them by.
    """


# -------------------------------------------------------------------------------------------
# Observation
# -------------------------------------------------------------------------------------------
# Every implementation is called (none stops the others), synchronously, on the thread or event
# loop making the request: keep them quick, and hand slow work (a network exporter) to a queue.
# An observer that raises is logged and ignored: watching a call must never break it. Nothing
# passed to these hooks holds a secret.


@hookspec
def hotswap_attempt_started(model: ModelConfig, stream: bool) -> None:
    """A request to ``model`` is about to be sent.

    :param model: the model being tried.
    :param stream: whether the answer is streamed.
    """


@hookspec
def hotswap_attempt_failed(model: ModelConfig, attempt: Attempt) -> None:
    """A try of ``model`` failed, or ``model`` was skipped without a request (cooling down,
    unable to do what the request needs, too small for it).

    :param model: the model.
    :param attempt: the record of the try: outcome, error kind, status, message, elapsed time.
    """


@hookspec
def hotswap_failover(attempt: Attempt, next_model: ModelConfig) -> None:
    """The chain moves on: ``attempt`` failed or was skipped, and ``next_model`` is tried next.

    :param attempt: the last failed or skipped try before ``next_model``.
    :param next_model: the model about to be tried.
    """


@hookspec
def hotswap_breaker_opened(model: ModelConfig, kind: ErrorKind, cooldown_s: float) -> None:
    """``model``'s circuit breaker opened: requests skip it for ``cooldown_s`` seconds.

    :param model: the model now cooling down.
    :param kind: the failure that opened it.
    :param cooldown_s: how long it is skipped (the provider's retry-after, when longer than
        the configured cooldown).
    """


@hookspec
def hotswap_breaker_closed(model: ModelConfig) -> None:
    """A model whose breaker was open answered its probe request: it is used normally again.

    :param model: the recovered model.
    """


@hookspec
def hotswap_completed(completion: Completion) -> None:
    """A call to a chain produced its answer (for a stream: once the stream has finished).

    :param completion: the answer, with ``model``, ``provider`` and every ``attempts`` record.
    """
