"""What the plugin declares: the ``openai`` provider, its known models and their reasoning.

``thinking_level`` is sent as ``reasoning_effort`` to the reasoning models, as the nearest
effort each accepts (see :func:`~hotswap_openai.quirks.efforts_within`):

==========  ==========  ==========================  ======================  ==============
level       o-series    gpt-5, -mini, -nano         gpt-5.1                 gpt-5.2
==========  ==========  ==========================  ======================  ==============
off         not sent    minimal                     none                    none
minimal     low         minimal                     low                     low
low         low         low                         low                     low
medium      medium      medium                      medium                  medium
high        high        high                        high                    high
xhigh       high        high                        high                    xhigh
==========  ==========  ==========================  ======================  ==============

Later gpt-5.x models are treated as gpt-5.1; other models take no level (dropped, debug log).
Reasoning models refuse the sampling fields (``temperature``, ``top_p``, penalties, logprobs),
which are therefore never sent to them. ``max_tokens`` is sent as ``max_completion_tokens``,
which every chat model accepts and reasoning models require (a ``max_tokens`` option is renamed).
The list of models is informative: any other model id is sent as configured.
"""

from __future__ import annotations

from hotswap.plugin import Capabilities, ProviderInfo
from hotswap_openai.compat import Quirks, Reasoning, api_key_auth, efforts_within, known

PROVIDER = "openai"
_DATED = r"(-\d{4}-\d{2}-\d{2})?"

QUIRKS = Quirks(
    max_tokens_field="max_completion_tokens",
    renamed={"max_tokens": "max_completion_tokens"},
    reasoning=(
        Reasoning(r"o\d(-mini|-pro)?" + _DATED, efforts_within("low", "medium", "high")),
        Reasoning(
            r"gpt-5(-mini|-nano)?" + _DATED, efforts_within("minimal", "low", "medium", "high")
        ),
        Reasoning(
            r"gpt-5\.2(-pro)?" + _DATED, efforts_within("none", "low", "medium", "high", "xhigh")
        ),
        Reasoning(r"gpt-5\.\d+(?!.*-chat).*", efforts_within("none", "low", "medium", "high")),
    ),
    reasoning_rejects=frozenset(
        {
            "temperature",
            "top_p",
            "presence_penalty",
            "frequency_penalty",
            "logprobs",
            "top_logprobs",
            "logit_bias",
        }
    ),
)

INFO = ProviderInfo(
    name=PROVIDER,
    display_name="OpenAI",
    base_url="https://api.openai.com/v1",
    auth=api_key_auth("OPENAI_API_KEY", credential="openai_key", pi_provider="openai"),
    capabilities=Capabilities(tools=True, streaming=True, thinking=True, vision=True),
    models=(
        known("gpt-5.2", 272_000, 128_000, vision=True, thinking=True),
        known("gpt-5.1", 272_000, 128_000, vision=True, thinking=True),
        known("gpt-5", 272_000, 128_000, vision=True, thinking=True),
        known("gpt-5-mini", 272_000, 128_000, vision=True, thinking=True),
        known("gpt-5-nano", 272_000, 128_000, vision=True, thinking=True),
        known("gpt-5-chat-latest", 128_000, 16_384, vision=True),
        known("gpt-4.1", 1_047_576, 32_768, vision=True),
        known("gpt-4.1-mini", 1_047_576, 32_768, vision=True),
        known("gpt-4.1-nano", 1_047_576, 32_768, vision=True),
        known("gpt-4o", 128_000, 16_384, "gpt4o", vision=True),
        known("gpt-4o-mini", 128_000, 16_384, vision=True),
        known("o3", 200_000, 100_000, vision=True, thinking=True),
        known("o3-pro", 200_000, 100_000, vision=True, thinking=True),
        known("o4-mini", 200_000, 100_000, vision=True, thinking=True),
        known("o3-mini", 200_000, 100_000, thinking=True),
        known("o1", 200_000, 100_000, vision=True, thinking=True),
    ),
)
