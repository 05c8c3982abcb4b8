"""The models a provider's server says it has, for ``hotswap models``.

Most providers' models are fixed, and their plugins declare them (``ProviderInfo.models``). A
provider whose models depend on the server (a local Ollama lists what has been pulled)
describes its listing request (``hotswap_list_models_request``) and reads the answer
(``hotswap_parse_model_list``); :func:`list_models` sends the request as an exchange is sent,
to the model's base URL with its configured headers and credential, through the
:class:`~hotswap.wire.transport.Transport`, under a short timeout.

Listing is best effort: a provider that has no list, a missing credential, a server that
cannot be reached or answers with an error, and an answer the plugin cannot read all give
None, so the caller shows the declared models instead. Why is logged at debug level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.config import ModelConfig
from hotswap.types import codec as jsoncodec
from hotswap.types.auth import AuthType
from hotswap.types.errors import ConfigError, CredentialError
from hotswap.types.http import TransportFailure
from hotswap.types.redaction import get_logger
from hotswap.wire.exchange import _UNREADABLE, _join

if TYPE_CHECKING:
    from hotswap.plugin.host import PluginHost
    from hotswap.types.providers import KnownModel
    from hotswap.wire.transport import Transport

__all__ = ["DEFAULT_TIMEOUT_S", "list_models"]

DEFAULT_TIMEOUT_S = 3.0
"""How long a listing may take, per phase (connect, send, read): a server that answers at all
answers a listing at once, and ``hotswap models`` must not hang on one that does not."""

log = get_logger("hotswap.engine.catalog")


def list_models(
    model: ModelConfig | str,
    *,
    host: PluginHost | None = None,
    transport: Transport | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> list[KnownModel] | None:
    """The models the server behind ``model`` reports having, or None when it cannot say.

    :param model: a configured model, whose base URL, headers, auth type and credential are
        used (its model id plays no part); or a provider name, for its default endpoint.
    :param host: the plugin host; by default the process-wide one.
    :param transport: the transport to send with; by default a new one, closed afterwards.
    :param timeout_s: the limit for connecting, sending and reading, each.
    :raises UnknownProviderError: no installed plugin provides the model's provider.
    :raises ConfigError: the model's auth type is one its provider does not accept.
    """
    if host is None:
        from hotswap.plugin.host import default_host

        host = default_host()
    config = model if isinstance(model, ModelConfig) else _provider_default(model)
    provider = host.provider(config.provider)
    request = host.list_models_request(config)
    if request is None:
        return None
    auth_type = config.auth_type or provider.default_auth_type
    spec = provider.auth.get(auth_type)
    if spec is None:
        raise ConfigError(
            f"provider {provider.name!r} does not accept auth_type {str(auth_type)!r}",
            key=f"models.{config.name}.auth_type",
            fix=f"use one of: {', '.join(str(a) for a in provider.auth)}",
        )
    try:
        credential = (
            None if auth_type is AuthType.NONE else host.resolve_credential(config, auth_type, spec)
        )
    except CredentialError as error:
        log.debug("no model list for %s: %s", config.name, error)
        return None
    url = _join(config.base_url or provider.base_url, request.path)
    body = None if request.json is None else jsoncodec.dumps(request.json)
    headers = {**request.headers, **config.headers, **host.auth_headers(config, credential)}
    if body is not None:
        headers.setdefault("content-type", "application/json")
    if transport is None:
        from hotswap.wire.transport import Transport

        with Transport() as own:
            answer = own.fetch(request.method, url, headers=headers, body=body, timeout_s=timeout_s)
    else:
        answer = transport.fetch(
            request.method, url, headers=headers, body=body, timeout_s=timeout_s
        )
    if isinstance(answer, TransportFailure):
        log.debug("no model list for %s: %s unreachable (%s)", config.name, url, answer.detail)
        return None
    if not 200 <= answer.status < 300:
        log.debug("no model list for %s: %s answered HTTP %s", config.name, url, answer.status)
        return None
    try:
        return host.parse_model_list(config, answer)
    except _UNREADABLE as error:
        log.debug("no model list for %s: unreadable answer (%r)", config.name, error)
        return None


def _provider_default(provider: str) -> ModelConfig:
    # Listing is per server, not per model, so any model id stands for the provider's default.
    return ModelConfig(name=provider, provider=provider, model=provider)
