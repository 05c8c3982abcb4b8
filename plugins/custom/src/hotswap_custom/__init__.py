"""hotswap's ``custom`` provider: any server that speaks OpenAI chat completions (vLLM, llama.cpp,
LM Studio, LocalAI, a company gateway), translated by hotswap-openai.

* the endpoint is the model's ``base_url``, which must be set (there is no default server);
* no key by default (auth type ``none``); with ``auth_type = "api_key"`` the key comes from
  ``CUSTOM_API_KEY`` or the credential ``custom_key`` (``credential = "custom_key:NAME"`` picks
  one of several), sent as a bearer token;
* the model's ``headers`` are sent with every request, and its ``options`` merged into the body,
  for whatever the server wants beyond the standard fields;
* ``max_tokens`` (the field every compatible server knows), usage asked for in streams, and no
  reasoning control: ``thinking_level`` is dropped (send the server's own field in ``options``).
"""

from __future__ import annotations

from hotswap_openai.compat import OpenAICompatible, api_key_auth

from hotswap.plugin import ProviderInfo

__all__ = ["Custom", "plugin"]


class Custom(OpenAICompatible):
    """An OpenAI-compatible server at the model's ``base_url``."""

    info = ProviderInfo(
        name="custom",
        display_name="OpenAI-compatible server",
        base_url="(set base_url in the model's config)",
        auth=api_key_auth("CUSTOM_API_KEY", credential="custom_key", optional=True),
    )
    needs_base_url = True


plugin = Custom()
