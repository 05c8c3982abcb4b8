"""A base class for a plugin that offers one provider, so the plugin is only its translation.

Subclass :class:`ProviderPlugin`, give it the provider's
:class:`~hotswap.types.providers.ProviderInfo` and implement the provider's operations as methods
named after the hooks of :mod:`hotswap.plugin.specs` without their ``hotswap_`` prefix, taking
the same arguments: ``build_request`` implements ``hotswap_build_request``. Create one instance
and name that instance in the ``hotswap`` entry point (``acme = "hotswap_acme:plugin"``). The
host asks these methods about this provider's models only, so none checks ``model.provider``.

::

    class Acme(ProviderPlugin):
        info = ProviderInfo(name="acme", base_url="https://api.acme.test/v1",
                            auth={"api_key": {"env_vars": ["ACME_API_KEY"]}})

        def build_request(self, model, request, stream):
            return HttpRequest("POST", "/chat", json={...}, stream=stream)

        def parse_response(self, model, response): ...
        def stream_translator(self, model, request): ...

    plugin = Acme()

``build_request`` and ``parse_response`` are needed to answer, and ``stream_translator`` to
stream; every other operation has the core's fallback (a bearer token, the provider-neutral
error rules, a standard OAuth 2 token answer) or is optional. A plugin that offers several
providers, or changes behaviour without offering any, implements the hooks as ``@hookimpl``
functions instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from hotswap.plugin.specs import hookimpl

if TYPE_CHECKING:
    from hotswap.types.providers import ProviderInfo

__all__ = ["ProviderPlugin"]


class ProviderPlugin:
    """One provider's translation between hotswap's types and its wire format.

    :cvar info: the provider this plugin registers; its operations answer for that
        provider's models only.
    """

    info: ClassVar[ProviderInfo]

    @hookimpl
    def hotswap_register_providers(self, register: Callable[[ProviderInfo], None]) -> None:
        register(self.info)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} provider {self.info.name!r}>"
