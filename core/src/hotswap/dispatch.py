"""Calling hooks on the path every request takes, for a fraction of pluggy's cost.

pluggy's hook call walks every implementation, wrapper machinery included, on every call. A
request calls five first-result hooks and a few observation hooks, so :class:`HookCalls`
compiles each hook once into the plain functions to call, per provider, and keeps them until
the registered plugins change (:meth:`HookCalls.forget`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pluggy

from hotswap.logs import get_logger
from hotswap.provider_plugin import ProviderPlugin

__all__ = ["HookCalls"]

log = get_logger("hotswap.plugins")

# A hook's implementations compiled for one provider: (function, argument names) in calling
# order, or pluggy's caller where its full machinery is needed.
_Calls = tuple[tuple[Callable[..., Any], tuple[str, ...]], ...] | pluggy.HookCaller


class HookCalls:
    """The compiled calls of one plugin manager's hooks.

    :param pm: the plugin manager whose hooks are called.
    :param lock: the lock held while plugins are registered, held here while compiling.
    """

    def __init__(self, pm: pluggy.PluginManager, lock: threading.RLock) -> None:
        self._pm = pm
        self._lock = lock
        self._first: dict[tuple[str, str], _Calls] = {}
        self._observers: dict[str, list[pluggy.HookImpl]] = {}

    def forget(self) -> None:
        """Drop everything compiled: the registered plugins changed."""
        self._first.clear()
        self._observers.clear()

    def first(self, hook: str, provider: str, **kwargs: Any) -> Any:
        """Call the first-result hook ``hook`` for a model of ``provider``: what pluggy's call
        would return."""
        impls = self._first.get((hook, provider))
        if impls is None:
            impls = self._compile(hook, provider)
        if isinstance(impls, pluggy.HookCaller):
            return impls(**kwargs)
        for function, argnames in impls:
            result = function(*[kwargs[name] for name in argnames])
            if result is not None:
                return result
        return None

    def observers(self, hook: str) -> list[pluggy.HookImpl]:
        """The implementations of the observation ``hook``."""
        observers = self._observers.get(hook)
        if observers is None:
            with self._lock:
                observers = self._observers[hook] = getattr(self._pm.hook, hook).get_hookimpls()
        return observers

    def observe(self, hook: str, **kwargs: Any) -> None:
        """Tell every observer of ``hook``; one that raises is logged and ignored."""
        for impl in self.observers(hook):
            try:
                impl.function(*(kwargs[name] for name in impl.argnames))
            except Exception:  # an observer's bug must not fail the call it watches
                log.warning(
                    "hotswap observer %r failed in %s", impl.plugin_name, hook, exc_info=True
                )

    def _compile(self, hook: str, provider: str) -> _Calls:
        """The implementations of ``hook`` to call for ``provider``'s models, in pluggy's order,
        without those of other providers' :class:`~hotswap.provider_plugin.ProviderPlugin`
        instances (which would only return None). Where a wrapper or a keyword-only argument
        asks for pluggy's full machinery, pluggy's own subset caller instead."""
        with self._lock:
            bystanders = [
                plugin
                for plugin in self._pm.get_plugins()
                if _answers_only_for_another(plugin, hook, provider)
            ]
            caller = self._pm.subset_hook_caller(hook, bystanders)
            impls = caller.get_hookimpls()
            compiled: _Calls = caller
            if not any(i.hookwrapper or i.wrapper or i.kwargnames for i in impls):
                compiled = tuple((i.function, i.argnames) for i in reversed(impls))
            self._first[(hook, provider)] = compiled
            return compiled


def _answers_only_for_another(plugin: object, hook: str, provider: str) -> bool:
    # Only the base class's own implementation is known to answer for its provider alone: a
    # subclass that overrides or adds the hook method may answer for any model.
    guarded = getattr(ProviderPlugin, hook, None)
    return (
        guarded is not None
        and isinstance(plugin, ProviderPlugin)
        and plugin.info.name != provider
        and getattr(type(plugin), hook, None) is guarded
    )
