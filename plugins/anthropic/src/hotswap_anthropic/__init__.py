"""hotswap's Anthropic provider: a translator between hotswap's types and the Messages API.

Found through the ``hotswap`` entry-point group. Every hook answers for models whose provider
is ``anthropic`` and returns None for all others. The modules, one job each:

* :mod:`~hotswap_anthropic.provider`: the provider, its auth types and known models;
* :mod:`~hotswap_anthropic.auth`: credentials as headers, and refreshing a pi login;
* :mod:`~hotswap_anthropic.request`: the ``/messages`` request body;
* :mod:`~hotswap_anthropic.thinking`: ``thinking_level`` as a budget or an effort;
* :mod:`~hotswap_anthropic.response`: whole answers and streams as hotswap's types;
* :mod:`~hotswap_anthropic.errors`: failures as error kinds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.auth import AuthType
from hotswap.hookspecs import hookimpl
from hotswap.http import HttpRequest
from hotswap_anthropic import auth
from hotswap_anthropic.errors import classify
from hotswap_anthropic.provider import API_VERSION, INFO, PROVIDER
from hotswap_anthropic.request import build_body
from hotswap_anthropic.response import MessageStream, parse_message

if TYPE_CHECKING:
    from collections.abc import Callable

    from hotswap.auth import Credential
    from hotswap.completion import Completion
    from hotswap.config import ModelConfig
    from hotswap.errors import ErrorClassification
    from hotswap.http import Failure, HttpResponse
    from hotswap.options import CompletionRequest
    from hotswap.providers import ProviderInfo

__all__ = ["PROVIDER"]


@hookimpl
def hotswap_register_providers(register: Callable[[ProviderInfo], None]) -> None:
    register(INFO)


@hookimpl
def hotswap_auth_headers(
    model: ModelConfig, credential: Credential | None
) -> dict[str, str] | None:
    return auth.auth_headers(model, credential) if model.provider == PROVIDER else None


@hookimpl
def hotswap_refresh_request(model: ModelConfig, credential: Credential) -> HttpRequest | None:
    return auth.refresh_request(credential) if model.provider == PROVIDER else None


@hookimpl
def hotswap_build_request(
    model: ModelConfig, request: CompletionRequest, stream: bool
) -> HttpRequest | None:
    if model.provider != PROVIDER:
        return None
    known = INFO.known_model(model.model)
    # A short alias (``sonnet``) becomes its id; a dated id is sent as configured.
    model_id = known.id if known and not model.model.startswith("claude-") else model.model
    body = build_body(
        model_id,
        request,
        stream=stream,
        output_limit=known.max_output_tokens if known else None,
        extra={**model.options, **request.options.extra},
    )
    headers = {"anthropic-version": API_VERSION}
    return HttpRequest("POST", "/messages", headers=headers, json=body, stream=stream)


@hookimpl
def hotswap_parse_response(model: ModelConfig, response: HttpResponse) -> Completion | None:
    return parse_message(response.json()) if model.provider == PROVIDER else None


@hookimpl
def hotswap_stream_translator(
    model: ModelConfig, request: CompletionRequest
) -> MessageStream | None:
    return MessageStream() if model.provider == PROVIDER else None


@hookimpl
def hotswap_classify_error(model: ModelConfig, failure: Failure) -> ErrorClassification | None:
    if model.provider != PROVIDER:
        return None
    return classify(failure, oauth=model.auth_type in (AuthType.OAUTH_TOKEN, AuthType.PI_AUTH))
