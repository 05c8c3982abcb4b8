"""Calling hooks on the path every request takes, for a fraction of pluggy's cost.

pluggy's hook call walks every implementation, wrapper machinery included, on every call. A
request calls four first-result hooks and two observation hooks, so :class:`HookCalls` compiles
each hook once into the plain functions to call, per provider, and keeps them until the
registered plugins change (:meth:`HookCalls.forget`). Arguments are passed by position, in the
order the hook's specification declares them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pluggy

from hotswap.plugin.provider import TRANSLATIONS, ProviderPlugin
from hotswap.types.redaction import get_logger

__all__ = ["HookCalls"]

log = get_logger("hotswap.plugin.host")

_Call = Callable[..., Any]


class HookCalls:
    """The compiled calls of one plugin manager's hooks.

    :param pm: the plugin manager whose hooks are called.
    :param lock: the lock held while plugins are registered, held here while compiling.
    :param load: loads the plugins not loaded yet; called before a hook is first compiled.
    """

    def __init__(
        self, pm: pluggy.PluginManager, lock: threading.RLock, load: Callable[[], None]
    ) -> None:
        self._pm = pm
        self._lock = lock
        self._load = load
        self._first: dict[tuple[str, str], tuple[_Call, ...]] = {}
        self._observers: dict[str, tuple[tuple[_Call, str], ...]] = {}

    def forget(self) -> None:
        """Drop everything compiled: the registered plugins changed."""
        self._first.clear()
        self._observers.clear()

    def first(self, hook: str, provider: str, *args: Any) -> Any:
        """Call the first-result hook ``hook`` for a model of ``provider`` with ``args``, in
        the specification's order: what pluggy's call would return."""
        calls = self._first.get((hook, provider))
        if calls is None:
            calls = self._compile(hook, provider)
        for call in calls:
            result = call(*args)
            if result is not None:
                return result
        return None

    def observed(self, hook: str) -> bool:
        """Whether any plugin implements the observation ``hook``."""
        return bool(self._observers_of(hook))

    def observe(self, hook: str, *args: Any) -> None:
        """Tell every observer of ``hook``, with ``args`` in the specification's order; one
        that raises is logged and ignored."""
        for call, plugin_name in self._observers_of(hook):
            try:
                call(*args)
            except Exception:  # an observer's bug must not fail the call it watches
                log.warning("hotswap observer %r failed in %s", plugin_name, hook, exc_info=True)

    def _observers_of(self, hook: str) -> tuple[tuple[_Call, str], ...]:
        observers = self._observers.get(hook)
        if observers is None:
            self._load()
            with self._lock:
                caller = getattr(self._pm.hook, hook)
                observers = self._observers[hook] = tuple(
                    (_positional(impl, _argnames(caller)), impl.plugin_name)
                    for impl in caller.get_hookimpls()
                )
        return observers

    def _compile(self, hook: str, provider: str) -> tuple[_Call, ...]:
        """The calls that answer ``hook`` for ``provider``'s models, in pluggy's order, without
        those of other providers' :class:`~hotswap.plugin.provider.ProviderPlugin` instances
        (which would only return None). Where a wrapper or a keyword-only argument asks for
        pluggy's full machinery, a single call through pluggy's own subset caller instead."""
        self._load()
        with self._lock:
            argnames = _argnames(getattr(self._pm.hook, hook))
            bystanders = [
                plugin
                for plugin in self._pm.get_plugins()
                if _answers_only_for_another(plugin, hook, provider)
            ]
            caller = self._pm.subset_hook_caller(hook, bystanders)
            impls = caller.get_hookimpls()
            calls: tuple[_Call, ...]
            if any(i.hookwrapper or i.wrapper or i.kwargnames for i in impls):
                calls = (_through(caller, argnames),)
            else:
                calls = tuple(_direct(impl, hook, provider, argnames) for impl in reversed(impls))
            self._first[(hook, provider)] = calls
            return calls


def _argnames(caller: pluggy.HookCaller) -> tuple[str, ...]:
    assert caller.spec is not None  # every hook called here is specified in hotswap.plugin.specs
    return caller.spec.argnames


def _direct(impl: pluggy.HookImpl, hook: str, provider: str, argnames: tuple[str, ...]) -> _Call:
    """What to call for ``impl`` when the model's provider is ``provider``. The provider's own
    plugin, with the hook as the base class wrote it, answers with its translation method for
    every such model, so that method is called straight away."""
    plugin = impl.plugin
    method = TRANSLATIONS.get(hook)
    if (
        method is not None
        and isinstance(plugin, ProviderPlugin)
        and plugin.info.name == provider
        and getattr(type(plugin), hook) is getattr(ProviderPlugin, hook)
    ):
        translation: _Call = getattr(plugin, method)
        return translation
    return _positional(impl, argnames)


def _positional(impl: pluggy.HookImpl, argnames: tuple[str, ...]) -> _Call:
    """``impl``'s function, taking the hook's arguments by position: itself when it takes all
    of them in order, as nearly every implementation does."""
    function: _Call = impl.function
    if impl.argnames == argnames:
        return function
    # pluggy lets an implementation take only some of the arguments, in any order.
    positions = tuple(argnames.index(name) for name in impl.argnames)
    return lambda *args: function(*[args[i] for i in positions])


def _through(caller: pluggy.HookCaller, argnames: tuple[str, ...]) -> _Call:
    return lambda *args: caller(**dict(zip(argnames, args, strict=True)))


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
