"""A base class for a plugin that offers one provider, so the plugin is only its translation.

Subclass :class:`ProviderPlugin`, give it the provider's
:class:`~hotswap.types.providers.ProviderInfo` and implement the translation methods; create one
instance and name that instance in the ``hotswap`` entry point (``acme = "hotswap_acme:plugin"``).
The base class implements the hooks: each one answers only for models of this provider and returns
None for every other, so no translation method ever checks ``model.provider``.

::

    class Acme(ProviderPlugin):
        info = ProviderInfo(name="acme", base_url="https://api.acme.test/v1",
                            auth={"api_key": {"env_vars": ["ACME_API_KEY"]}})

        def build_request(self, model, request, stream):
            return HttpRequest("POST", "/chat", json={...}, stream=stream)

        def parse_response(self, model, response): ...
        def stream_translator(self, model, request): ...

    plugin = Acme()

A plugin that offers several providers, or changes behaviour without offering any, implements
the hooks of :mod:`hotswap.plugin.specs` as module functions instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from hotswap.plugin.specs import hookimpl

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.plugin.streaming import StreamTranslator
    from hotswap.types.auth import Credential, TokenGrant
    from hotswap.types.completion import Completion
    from hotswap.types.errors import ErrorClassification
    from hotswap.types.http import Failure, HttpRequest, HttpResponse
    from hotswap.types.providers import KnownModel, ProviderInfo
    from hotswap.types.request import CompletionRequest

__all__ = ["TRANSLATIONS", "ProviderPlugin"]

TRANSLATIONS = {
    "hotswap_auth_headers": "auth_headers",
    "hotswap_refresh_request": "refresh_request",
    "hotswap_parse_refresh": "parse_refresh",
    "hotswap_list_models_request": "list_models_request",
    "hotswap_parse_model_list": "parse_model_list",
    "hotswap_build_request": "build_request",
    "hotswap_parse_response": "parse_response",
    "hotswap_stream_translator": "stream_translator",
    "hotswap_classify_error": "classify_error",
}
"""Each hook :class:`ProviderPlugin` implements for its provider's models, and the method it
answers with, taking the same arguments: the host calls that method directly."""


class ProviderPlugin:
    """One provider's translation between hotswap's types and its wire format.

    :cvar info: the provider this plugin registers; hooks answer for its models only.
    """

    info: ClassVar[ProviderInfo]

    # -- what a provider implements -----------------------------------------------------------

    def build_request(
        self, model: ModelConfig, request: CompletionRequest, stream: bool
    ) -> HttpRequest:
        """The HTTP request for ``request`` (see ``hotswap_build_request``)."""
        raise NotImplementedError(f"{type(self).__name__} does not build requests")

    def parse_response(self, model: ModelConfig, response: HttpResponse) -> Completion | None:
        """The completion in a 2xx body, or None for an error sent as a 2xx (see
        ``hotswap_parse_response``)."""
        raise NotImplementedError(f"{type(self).__name__} does not parse responses")

    def stream_translator(self, model: ModelConfig, request: CompletionRequest) -> StreamTranslator:
        """A fresh translator for one streamed answer (see ``hotswap_stream_translator``)."""
        raise NotImplementedError(f"{type(self).__name__} does not stream")

    def auth_headers(self, model: ModelConfig, credential: Credential | None) -> dict[str, str]:
        """The headers that carry ``credential``: by default a bearer token, and nothing for
        auth type ``none``."""
        if credential is None:
            return {}
        return {"authorization": f"Bearer {credential.secret.reveal()}"}

    def classify_error(self, model: ModelConfig, failure: Failure) -> ErrorClassification | None:
        """What the provider's failures mean where the core's neutral rules are not enough; by
        default nothing, so the core's rules decide."""
        return None

    def refresh_request(self, model: ModelConfig, credential: Credential) -> HttpRequest | None:
        """The request that renews an expired OAuth login; by default the provider has none."""
        return None

    def parse_refresh(self, model: ModelConfig, response: HttpResponse) -> TokenGrant | None:
        """The tokens in a token endpoint's answer; by default the core reads standard OAuth 2."""
        return None

    def list_models_request(self, model: ModelConfig) -> HttpRequest | None:
        """The request that asks the server which models it has; by default there is none,
        and ``hotswap models`` shows :attr:`info`'s known models only."""
        return None

    def parse_model_list(self, model: ModelConfig, response: HttpResponse) -> list[KnownModel]:
        """The models in the answer to :meth:`list_models_request`."""
        raise NotImplementedError(f"{type(self).__name__} does not list models")

    # -- the hooks, each answering for this provider's models only ------------------------------

    def _serves(self, model: ModelConfig) -> bool:
        return model.provider == self.info.name

    @hookimpl
    def hotswap_register_providers(self, register: Callable[[ProviderInfo], None]) -> None:
        register(self.info)

    @hookimpl
    def hotswap_auth_headers(
        self, model: ModelConfig, credential: Credential | None
    ) -> dict[str, str] | None:
        return self.auth_headers(model, credential) if self._serves(model) else None

    @hookimpl
    def hotswap_refresh_request(
        self, model: ModelConfig, credential: Credential
    ) -> HttpRequest | None:
        return self.refresh_request(model, credential) if self._serves(model) else None

    @hookimpl
    def hotswap_parse_refresh(
        self, model: ModelConfig, response: HttpResponse
    ) -> TokenGrant | None:
        return self.parse_refresh(model, response) if self._serves(model) else None

    @hookimpl
    def hotswap_list_models_request(self, model: ModelConfig) -> HttpRequest | None:
        return self.list_models_request(model) if self._serves(model) else None

    @hookimpl
    def hotswap_parse_model_list(
        self, model: ModelConfig, response: HttpResponse
    ) -> list[KnownModel] | None:
        return self.parse_model_list(model, response) if self._serves(model) else None

    @hookimpl
    def hotswap_build_request(
        self, model: ModelConfig, request: CompletionRequest, stream: bool
    ) -> HttpRequest | None:
        return self.build_request(model, request, stream) if self._serves(model) else None

    @hookimpl
    def hotswap_parse_response(
        self, model: ModelConfig, response: HttpResponse
    ) -> Completion | None:
        return self.parse_response(model, response) if self._serves(model) else None

    @hookimpl
    def hotswap_stream_translator(
        self, model: ModelConfig, request: CompletionRequest
    ) -> StreamTranslator | None:
        return self.stream_translator(model, request) if self._serves(model) else None

    @hookimpl
    def hotswap_classify_error(
        self, model: ModelConfig, failure: Failure
    ) -> ErrorClassification | None:
        return self.classify_error(model, failure) if self._serves(model) else None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} provider {self.info.name!r}>"
