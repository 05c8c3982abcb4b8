"""hotswap's Anthropic provider: a translator between hotswap's types and the Messages API.

Found through the ``hotswap`` entry-point group, which names :data:`plugin`; the core's
:class:`~hotswap.plugin.ProviderPlugin` makes its hooks answer for ``anthropic``
models only. The modules, one job each:

* :mod:`~hotswap_anthropic.provider`: the provider, its auth types and known models;
* :mod:`~hotswap_anthropic.auth`: credentials as headers, and refreshing a pi login;
* :mod:`~hotswap_anthropic.request`: the ``/messages`` request body;
* :mod:`~hotswap_anthropic.thinking`: ``thinking_level`` as a budget or an effort;
* :mod:`~hotswap_anthropic.response`: whole answers and streams as hotswap's types;
* :mod:`~hotswap_anthropic.errors`: failures as error kinds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.plugin import AuthType, HttpRequest, ProviderPlugin
from hotswap_anthropic import auth
from hotswap_anthropic.errors import classify
from hotswap_anthropic.provider import API_VERSION, INFO, PROVIDER
from hotswap_anthropic.request import build_body
from hotswap_anthropic.response import MessageStream, parse_message

if TYPE_CHECKING:
    from hotswap.plugin import (
        Completion,
        CompletionRequest,
        Credential,
        ErrorClassification,
        Failure,
        HttpResponse,
        ModelConfig,
    )

__all__ = ["PROVIDER", "Anthropic", "plugin"]


class Anthropic(ProviderPlugin):
    """The Anthropic Messages API."""

    info = INFO

    def auth_headers(self, model: ModelConfig, credential: Credential) -> dict[str, str]:
        return auth.auth_headers(model, credential)

    def refresh_request(self, model: ModelConfig, credential: Credential) -> HttpRequest | None:
        return auth.refresh_request(credential)

    def build_request(
        self, model: ModelConfig, request: CompletionRequest, stream: bool
    ) -> HttpRequest:
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

    def parse_response(self, model: ModelConfig, response: HttpResponse) -> Completion | None:
        return parse_message(response.json(), model.name)

    def stream_translator(self, model: ModelConfig, request: CompletionRequest) -> MessageStream:
        return MessageStream()

    def classify_error(self, model: ModelConfig, failure: Failure) -> ErrorClassification | None:
        oauth = model.auth_type in (AuthType.OAUTH_TOKEN, AuthType.PI_AUTH)
        return classify(failure, oauth=oauth)


plugin = Anthropic()
