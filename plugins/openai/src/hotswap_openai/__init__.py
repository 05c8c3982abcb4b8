"""hotswap's OpenAI provider, and the OpenAI-compatible translation every compatible provider
shares (:mod:`hotswap_openai.compat`).

Found through the ``hotswap`` entry-point group, which names :data:`plugin`. The modules, one
job each:

* :mod:`~hotswap_openai.compat`: :class:`~hotswap_openai.compat.OpenAICompatible`, the base of
  every OpenAI-compatible provider, and the helpers a provider is declared with (the stable API);
* :mod:`~hotswap_openai.quirks`: what a compatible provider may declare it does differently;
* :mod:`~hotswap_openai.request`: the ``/chat/completions`` request body;
* :mod:`~hotswap_openai.response`: whole answers and streams as hotswap's types;
* :mod:`~hotswap_openai.errors`: failures as error kinds;
* :mod:`~hotswap_openai.provider`: OpenAI itself: its models and their reasoning efforts.
"""

from __future__ import annotations

from hotswap_openai.compat import OpenAICompatible
from hotswap_openai.provider import INFO, QUIRKS

__all__ = ["OpenAI", "plugin"]


class OpenAI(OpenAICompatible):
    """OpenAI's chat completions API."""

    info = INFO
    quirks = QUIRKS


plugin = OpenAI()
