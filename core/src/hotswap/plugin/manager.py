"""pluggy's plugin manager over hotswap's hook specs, reading a provider plugin's methods too."""

from __future__ import annotations

import functools
import inspect

import pluggy

from hotswap.plugin import specs
from hotswap.plugin.provider import ProviderPlugin

__all__ = ["HookManager", "provider_operations"]

_PREFIX = "hotswap_"


class HookManager(pluggy.PluginManager):
    """A :class:`pluggy.PluginManager` with every hotswap hook declared, which also takes a
    :class:`~hotswap.plugin.provider.ProviderPlugin`'s method named after a provider operation
    (``build_request``) as an implementation of that operation's hook
    (``hotswap_build_request``): pluggy checks its arguments against the hook's at registration,
    and calls it as it calls any implementation."""

    def __init__(self) -> None:
        super().__init__(specs.PROJECT_NAME)
        self.add_hookspecs(specs)

    def parse_hookimpl_opts(self, plugin: object, name: str) -> pluggy.HookimplOpts | None:
        opts = super().parse_hookimpl_opts(plugin, name)
        hook = provider_operations().get(name) if isinstance(plugin, ProviderPlugin) else None
        if hook is None:
            return opts
        if opts is not None:  # marked @hookimpl(tryfirst=True) or the like, as well
            return {**opts, "specname": opts.get("specname") or hook}
        # Looked up without binding, as pluggy does, so that a property is never run.
        if not inspect.isroutine(inspect.getattr_static(plugin, name, None)):
            return None
        return pluggy.HookimplOpts(
            wrapper=False,
            hookwrapper=False,
            optionalhook=False,
            tryfirst=False,
            trylast=False,
            specname=hook,
        )


@functools.cache
def provider_operations() -> dict[str, str]:
    """Each provider operation (a first-result hook), by the name of the
    :class:`~hotswap.plugin.provider.ProviderPlugin` method that implements it."""
    reader = pluggy.PluginManager(specs.PROJECT_NAME)
    return {
        name.removeprefix(_PREFIX): name
        for name in dir(specs)
        if name.startswith(_PREFIX)
        and (opts := reader.parse_hookspec_opts(specs, name)) is not None
        and opts.get("firstresult")
    }
