"""hotswap's Ollama provider: a translator between hotswap's types and Ollama's native chat API.

Found through the ``hotswap`` entry-point group, which names :data:`plugin`; the core's
:class:`~hotswap.plugin.ProviderPlugin` makes its hooks answer for ``ollama`` models
only. The modules, one job each:

* :mod:`~hotswap_ollama.provider`: the provider, its known models, and where the server is
  (``base_url``, ``OLLAMA_HOST``);
* :mod:`~hotswap_ollama.request`: the ``/api/chat`` request body, ``think`` and ``options``;
* :mod:`~hotswap_ollama.response`: whole answers and NDJSON streams as hotswap's types;
* :mod:`~hotswap_ollama.errors`: failures as error kinds, with what to do about them.

The server's own model list (``GET /api/tags``) is what ``hotswap models`` shows for Ollama.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.plugin import HttpRequest, KnownModel, ProviderPlugin
from hotswap_ollama.errors import classify
from hotswap_ollama.provider import INFO, PROVIDER, server_url
from hotswap_ollama.request import build_body
from hotswap_ollama.response import ChatStream, parse_chat

if TYPE_CHECKING:
    from hotswap.plugin import (
        Completion,
        CompletionRequest,
        ErrorClassification,
        Failure,
        HttpResponse,
        ModelConfig,
    )

__all__ = ["PROVIDER", "Ollama", "plugin"]

_LATEST = ":latest"


class Ollama(ProviderPlugin):
    """Ollama's native ``/api/chat``, local or in Ollama's cloud."""

    info = INFO

    def build_request(
        self, model: ModelConfig, request: CompletionRequest, stream: bool
    ) -> HttpRequest:
        body = build_body(
            model.model, request, stream=stream, extra={**model.options, **request.options.extra}
        )
        # Absolute, since OLLAMA_HOST can move the server from the provider's default URL.
        return HttpRequest("POST", f"{server_url(model)}/api/chat", json=body, stream=stream)

    def parse_response(self, model: ModelConfig, response: HttpResponse) -> Completion | None:
        return parse_chat(response.json(), model.name)

    def stream_translator(self, model: ModelConfig, request: CompletionRequest) -> ChatStream:
        return ChatStream()

    def classify_error(self, model: ModelConfig, failure: Failure) -> ErrorClassification | None:
        return classify(model, failure)

    def list_models_request(self, model: ModelConfig) -> HttpRequest:
        return HttpRequest("GET", f"{server_url(model)}/api/tags")

    def parse_model_list(self, model: ModelConfig, response: HttpResponse) -> list[KnownModel]:
        """The pulled models; ``name:latest`` is also known by ``name``."""
        names = [entry["name"] for entry in response.json()["models"]]
        return [
            KnownModel(id=name, aliases=(name[: -len(_LATEST)],) if name.endswith(_LATEST) else ())
            for name in names
        ]


plugin = Ollama()
