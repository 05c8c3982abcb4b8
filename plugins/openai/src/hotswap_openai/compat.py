"""Any OpenAI-compatible chat-completions API as a hotswap provider, from a few declared quirks.

This is the stable API the OpenAI-compatible plugins (Groq, xAI, Mistral, OpenRouter, custom
servers) and third-party ones are written against. A provider is a subclass that states its
:class:`~hotswap.plugin.ProviderInfo` and what it does differently, and nothing else::

    from hotswap.plugin import ErrorKind
    from hotswap.plugin import ProviderInfo
    from hotswap_openai.compat import (
        ErrorRule, OpenAICompatible, Quirks, Reasoning, api_key_auth, efforts_within,
    )

    class Acme(OpenAICompatible):
        info = ProviderInfo(
            name="acme",
            base_url="https://api.acme.test/v1",
            auth=api_key_auth("ACME_API_KEY", credential="acme_key"),
        )
        quirks = Quirks(
            max_tokens_field="max_tokens",
            reasoning=(Reasoning(r"acme-think-.*", efforts_within("low", "high")),),
            rejected=frozenset({"logprobs"}),
            error_rules=(ErrorRule(ErrorKind.OVERLOADED, status=529),),
        )

    plugin = Acme()  # named by the entry point: acme = "hotswap_acme:plugin"

The translation itself (messages, images, tools and tool results, streamed tool-call
fragments, reasoning text, usage, finish reasons, errors in a 200 body or stream, and the
family's error codes and retry headers) lives once, in :mod:`hotswap_openai.request`,
:mod:`hotswap_openai.response` and :mod:`hotswap_openai.errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from hotswap.plugin import (
    AuthType,
    Capabilities,
    ConfigError,
    CredentialSpec,
    HttpRequest,
    KnownModel,
    ProviderPlugin,
)
from hotswap_openai.errors import classify
from hotswap_openai.quirks import EFFORT_LADDER, ErrorRule, Quirks, Reasoning, efforts_within
from hotswap_openai.request import build_body
from hotswap_openai.response import ChatStream, parse_completion

if TYPE_CHECKING:
    from hotswap.plugin import (
        Completion,
        CompletionRequest,
        ErrorClassification,
        Failure,
        HttpResponse,
        ModelConfig,
    )

__all__ = [
    "EFFORT_LADDER",
    "ErrorRule",
    "OpenAICompatible",
    "Quirks",
    "Reasoning",
    "api_key_auth",
    "efforts_within",
    "known",
]


def api_key_auth(
    env_var: str, *, credential: str, pi_provider: str | None = None, optional: bool = False
) -> dict[AuthType, CredentialSpec]:
    """The auth types of a provider keyed by a bearer API key: ``api_key`` (from ``env_var``
    or the stored credential ``credential``) and, if pi knows the provider, ``pi_auth``.

    :param optional: put auth type ``none`` first, so a model sends no key unless its config
        says ``auth_type = "api_key"``.
    """
    auth: dict[AuthType, CredentialSpec] = {AuthType.NONE: CredentialSpec()} if optional else {}
    auth[AuthType.API_KEY] = CredentialSpec(
        env_vars=(env_var,), credential=credential, pi_provider=pi_provider
    )
    if pi_provider is not None:
        auth[AuthType.PI_AUTH] = CredentialSpec(pi_provider=pi_provider)
    return auth


def known(
    id: str,
    context: int | None,
    output: int | None = None,
    *aliases: str,
    tools: bool = True,
    vision: bool = False,
    thinking: bool = False,
) -> KnownModel:
    """A known model with its context window, output limit and capabilities."""
    capabilities = Capabilities(tools=tools, vision=vision, thinking=thinking)
    return KnownModel(
        id=id,
        aliases=aliases,
        context_window=context,
        max_output_tokens=output,
        capabilities=capabilities,
    )


class OpenAICompatible(ProviderPlugin):
    """A provider speaking OpenAI chat completions (``POST {base_url}/chat/completions``).

    Subclasses set :attr:`info` and :attr:`quirks`; the translation is shared.

    :cvar quirks: what the provider does differently.
    :cvar path: the endpoint, relative to the base URL.
    :cvar needs_base_url: refuse a model whose config sets no ``base_url`` (a provider with no
        endpoint of its own, such as ``custom``).
    """

    quirks: ClassVar[Quirks] = Quirks()
    path: ClassVar[str] = "/chat/completions"
    needs_base_url: ClassVar[bool] = False

    def model_id(self, model: ModelConfig) -> str:
        """The id sent for ``model``: a known model's id for its alias, else as configured."""
        found = self.info.known_model(model.model)
        return found.id if found is not None else model.model

    def build_request(
        self, model: ModelConfig, request: CompletionRequest, stream: bool
    ) -> HttpRequest:
        if self.needs_base_url and model.base_url is None:
            raise ConfigError(
                f"provider {self.info.name!r} has no endpoint of its own",
                key=f"models.{model.name}.base_url",
                fix='set base_url to the server\'s OpenAI-compatible root, like "http://localhost:8000/v1".',
            )
        extra = {**model.options, **request.options.extra}
        headers: dict[str, str] = {}
        if extra:  # most requests set no options, and so none to send as a header
            for option, header in self.quirks.option_headers.items():
                if option in extra:
                    headers[header] = str(extra.pop(option))
        body = build_body(self.model_id(model), request, self.quirks, stream=stream, extra=extra)
        return HttpRequest("POST", self.path, headers=headers, json=body, stream=stream)

    def parse_response(self, model: ModelConfig, response: HttpResponse) -> Completion | None:
        return parse_completion(
            response.json(), self.quirks, provider=self.info.name, model=model.name
        )

    def stream_translator(self, model: ModelConfig, request: CompletionRequest) -> ChatStream:
        return ChatStream(self.quirks)

    def classify_error(self, model: ModelConfig, failure: Failure) -> ErrorClassification | None:
        return classify(failure, self.quirks.error_rules)
