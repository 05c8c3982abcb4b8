{%- if cookiecutter.wire_format == "custom" -%}
"""hotswap's provider for {{ cookiecutter.display_name }}.

A translator between hotswap's types and the {{ cookiecutter.display_name }} API.
hotswap finds it through its entry point in the ``hotswap`` group,
``{{ cookiecutter.name }} = "{{ cookiecutter.__package }}:plugin"``.
The core's :class:`~hotswap.plugin.ProviderPlugin` makes each hook answer for this
provider's models only, so the methods below never check which provider a model belongs to.
The modules, one job each:

* :mod:`~{{ cookiecutter.__package }}.provider`: the provider, its key, its models;
* :mod:`~{{ cookiecutter.__package }}.translation`: requests, answers, streams, errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotswap.plugin import HttpRequest, ProviderPlugin

from {{ cookiecutter.__package }}.provider import INFO, PROVIDER
from {{ cookiecutter.__package }}.translation import (
    CHAT_PATH,
    AnswerStream,
    build_body,
    classify,
    parse_answer,
)

if TYPE_CHECKING:
    from hotswap.plugin import (
        Completion,
        CompletionRequest,
{%- if cookiecutter.__bearer != "True" %}
        Credential,
{%- endif %}
        ErrorClassification,
        Failure,
        HttpResponse,
        ModelConfig,
    )

__all__ = ["PROVIDER", "{{ cookiecutter.__class_name }}", "plugin"]


class {{ cookiecutter.__class_name }}(ProviderPlugin):
    """The {{ cookiecutter.display_name }} API."""

    info = INFO
{%- if cookiecutter.__bearer != "True" %}

    def auth_headers(self, model: ModelConfig, credential: Credential) -> dict[str, str]:
        # hotswap adds these when the request is written; they never appear in a log or repr.
        return {"{{ cookiecutter.auth_header }}": credential.secret.reveal()}
{%- endif %}

    def build_request(
        self, model: ModelConfig, request: CompletionRequest, stream: bool
    ) -> HttpRequest:
        # An alias from the known models (``large``) becomes its id; any other id is sent as is.
        known = INFO.known_model(model.model)
        model_id = known.id if known else model.model
        body = build_body(
            model_id, request, stream=stream, extra={**model.options, **request.options.extra}
        )
        return HttpRequest("POST", CHAT_PATH, json=body, stream=stream)

    def parse_response(self, model: ModelConfig, response: HttpResponse) -> Completion | None:
        return parse_answer(response.json())

    def stream_translator(self, model: ModelConfig, request: CompletionRequest) -> AnswerStream:
        return AnswerStream()

    def classify_error(self, model: ModelConfig, failure: Failure) -> ErrorClassification | None:
        return classify(failure)


plugin = {{ cookiecutter.__class_name }}()
"""The instance the entry point names."""
{%- else -%}
"""hotswap's provider for {{ cookiecutter.display_name }}.

The provider speaks OpenAI's chat completions, so the translation shared by every
OpenAI-compatible provider, :class:`hotswap_openai.compat.OpenAICompatible`, does the work:
messages, images, tools and streamed tool-call fragments, reasoning, usage, finish reasons,
errors in a 200 body or a stream, and the family's error codes and retry headers. This module
states only what the provider does differently.
hotswap finds it through its entry point in the ``hotswap`` group,
``{{ cookiecutter.name }} = "{{ cookiecutter.__package }}:plugin"``.
"""

from __future__ import annotations

from hotswap.plugin import ErrorKind
from hotswap_openai.compat import ErrorRule, OpenAICompatible, Quirks

from {{ cookiecutter.__package }}.provider import INFO, PROVIDER

__all__ = ["PROVIDER", "{{ cookiecutter.__class_name }}", "plugin"]


class {{ cookiecutter.__class_name }}(OpenAICompatible):
    """The provider's OpenAI-compatible chat completions (``POST {base_url}/chat/completions``)."""

    info = INFO
    # What the provider does differently from OpenAI's own API. Every field of Quirks has the
    # default that suits a generic compatible server; the others are max_tokens_field,
    # stream_usage, reasoning (thinking_level as reasoning_effort, per model family),
    # reasoning_field, reasoning_rejects, rejected and renamed (body fields it refuses or
    # names otherwise), option_headers, tool_call_id and usage_fields.
    quirks = Quirks(
        max_tokens_field="max_tokens",
        stream_usage=True,
        # The provider's own error signals, tried before the family's: here, a 413 that
        # mentions tokens means the prompt is too long for the model.
        error_rules=(ErrorRule(ErrorKind.CONTEXT_LENGTH, status=413, message=r"tokens"),),
    )


plugin = {{ cookiecutter.__class_name }}()
"""The instance the entry point names."""
{%- endif %}
