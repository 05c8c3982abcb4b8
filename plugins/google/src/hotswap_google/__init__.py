"""hotswap's Google provider: a translator between hotswap's types and Gemini's
``generateContent`` API (Google AI Studio, ``generativelanguage.googleapis.com``).

Found through the ``hotswap`` entry-point group, which names :data:`plugin`; the core's
:class:`~hotswap.plugin.ProviderPlugin` makes its hooks answer for ``google`` models
only. The modules, one job each:

* :mod:`~hotswap_google.provider`: the provider, where its key is found, its known models;
* :mod:`~hotswap_google.request`: the request body: contents and parts, tools, thought
  signatures sent back;
* :mod:`~hotswap_google.thinking`: ``thinking_level`` as a ``thinkingLevel`` or a budget;
* :mod:`~hotswap_google.response`: whole answers and SSE streams as hotswap's types;
* :mod:`~hotswap_google.errors`: ``google.rpc`` statuses and refusals as error kinds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.plugin import HttpRequest, KnownModel, ProviderPlugin
from hotswap_google.errors import classify
from hotswap_google.provider import INFO, PROVIDER, model_path
from hotswap_google.request import build_body
from hotswap_google.response import GenerateStream, parse_generate

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

__all__ = ["PROVIDER", "Google", "plugin"]

KEY_HEADER = "x-goog-api-key"
GENERATES = "generateContent"


class Google(ProviderPlugin):
    """Gemini through the AI Studio API."""

    info = INFO

    def auth_headers(self, model: ModelConfig, credential: Credential) -> dict[str, str]:
        return {KEY_HEADER: credential.secret.reveal()}

    def build_request(
        self, model: ModelConfig, request: CompletionRequest, stream: bool
    ) -> HttpRequest:
        model_id = model_path(model.model)
        known = INFO.known_model(model_id)
        body = build_body(
            model_id,
            request,
            output_limit=known.max_output_tokens if known else None,
            extra={**model.options, **request.options.extra},
        )
        method = "streamGenerateContent?alt=sse" if stream else GENERATES
        return HttpRequest("POST", f"/models/{model_id}:{method}", json=body, stream=stream)

    def parse_response(self, model: ModelConfig, response: HttpResponse) -> Completion | None:
        return parse_generate(response.json(), model_path(model.model), model.name)

    def stream_translator(self, model: ModelConfig, request: CompletionRequest) -> GenerateStream:
        return GenerateStream(model_path(model.model))

    def classify_error(self, model: ModelConfig, failure: Failure) -> ErrorClassification | None:
        return classify(failure)

    def list_models_request(self, model: ModelConfig) -> HttpRequest:
        return HttpRequest("GET", "/models?pageSize=1000")

    def parse_model_list(self, model: ModelConfig, response: HttpResponse) -> list[KnownModel]:
        """The models the key may use that generate content, with their token limits."""
        return [
            KnownModel(
                id=model_path(entry["name"]),
                context_window=entry.get("inputTokenLimit") or None,
                max_output_tokens=entry.get("outputTokenLimit") or None,
            )
            for entry in response.json().get("models") or ()
            if GENERATES in (entry.get("supportedGenerationMethods") or ())
        ]


plugin = Google()
