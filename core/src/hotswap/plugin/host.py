"""Finding, loading and calling plugins.

Plugins are found from installed packages' metadata (entry points in the ``hotswap`` group)
without importing them. They are imported together the first time anything needs a hook (a
request, a provider lookup), each in isolation: a plugin that fails to import, registers
invalid hooks or declares an invalid provider is recorded with its reason, unregistered, and
logged, and every other plugin works. ``HOTSWAP_DISABLE_PLUGINS`` (comma-separated entry-point
names) keeps named plugins from loading at all.

All plugins load together rather than one per provider because hooks from plugins that are not
providers (a credential vault, a classification override) must be in place before the first
request, and nothing in an entry point says which plugins those are.

A provider's operations are called through a pluggy manager of its own, holding the plugin that
registered the provider, the plugins that register none and the core's fallbacks, so that no
other provider's plugin is asked and a call costs the same however many are installed.
Observation hooks are called once per observer, so that one that raises stops no other.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import metadata
from typing import TYPE_CHECKING, Any, Literal

import pluggy
from pydantic import ValidationError

from hotswap.plugin import specs as hookspecs
from hotswap.plugin.manager import HookManager
from hotswap.types.errors import PluginError, UnknownProviderError
from hotswap.types.providers import KnownModel, ProviderInfo
from hotswap.types.redaction import get_logger

if TYPE_CHECKING:
    from hotswap.config import ModelConfig
    from hotswap.plugin.streaming import StreamTranslator
    from hotswap.types.attempts import Attempt
    from hotswap.types.auth import AuthType, Credential, CredentialSpec, TokenGrant
    from hotswap.types.completion import Completion
    from hotswap.types.errors import ErrorClassification, ErrorKind
    from hotswap.types.http import Failure, HttpRequest, HttpResponse
    from hotswap.types.request import CompletionRequest

__all__ = [
    "DISABLE_VARIABLE",
    "ENTRY_POINT_GROUP",
    "PluginHost",
    "PluginRecord",
    "default_host",
]

ENTRY_POINT_GROUP = "hotswap"
DISABLE_VARIABLE = "HOTSWAP_DISABLE_PLUGINS"

log = get_logger("hotswap.plugin.host")

PluginStatus = Literal["not loaded", "loaded", "failed", "disabled"]


@dataclass(frozen=True, slots=True)
class PluginRecord:
    """One plugin as ``hotswap plugins`` shows it.

    :param name: the entry-point name (or the name given to :meth:`PluginHost.register`).
    :param target: what the entry point points at (``hotswap_anthropic``).
    :param distribution: the distribution that declared it, and its ``version``.
    :param status: ``not loaded`` until first use, then ``loaded`` or ``failed``; ``disabled``
        when named in ``HOTSWAP_DISABLE_PLUGINS``.
    :param error: why it failed.
    :param providers: the providers it registered.
    """

    name: str
    target: str
    distribution: str | None = None
    version: str | None = None
    status: PluginStatus = "not loaded"
    error: str | None = None
    providers: tuple[str, ...] = ()


def disabled_from_env(env: Mapping[str, str] = os.environ) -> frozenset[str]:
    """The plugin names listed in ``HOTSWAP_DISABLE_PLUGINS``."""
    return frozenset(n.strip() for n in env.get(DISABLE_VARIABLE, "").split(",") if n.strip())


class PluginHost:
    """The registry of plugins and providers, and one typed method per hook.

    :param entry_points: the entry points to consider; by default, every installed one in the
        ``hotswap`` group. Read from metadata only: nothing is imported until first use.
    :param disabled: entry-point names never to load; by default from ``HOTSWAP_DISABLE_PLUGINS``.
    """

    def __init__(
        self,
        entry_points: Iterable[metadata.EntryPoint] | None = None,
        *,
        disabled: Collection[str] | None = None,
    ) -> None:
        self._pm = HookManager()
        self._disabled = disabled_from_env() if disabled is None else frozenset(disabled)
        self._pending: dict[str, metadata.EntryPoint] = {}
        self._records: dict[str, PluginRecord] = {}
        self._providers: dict[str, ProviderInfo] = {}
        self._provider_plugin: dict[str, str] = {}
        # Every plugin registered (observers aside), in the order pluggy saw them.
        self._plugins: dict[str, object] = {}
        self._routes: dict[str, pluggy.HookRelay] = {}
        self._observers: dict[str, tuple[tuple[str, pluggy.HookCaller], ...]] = {}
        self._lock = threading.RLock()
        self._loaded = False
        found = _installed_entry_points() if entry_points is None else list(entry_points)
        for entry_point in found:
            self._discover(entry_point)
        from hotswap.plugin import defaults

        self._pm.register(defaults, name=defaults.__name__)
        self._plugins[defaults.__name__] = defaults

    # -- discovery and loading ---------------------------------------------------------------

    def _discover(self, entry_point: metadata.EntryPoint) -> None:
        dist = entry_point.dist
        record = PluginRecord(
            name=entry_point.name,
            target=entry_point.value,
            distribution=dist.name if dist else None,
            version=dist.version if dist else None,
        )
        if entry_point.name in self._records:
            if self._records[entry_point.name].target == entry_point.value:
                return  # the same plugin seen twice on sys.path
            record = replace(
                record,
                status="failed",
                error=f"the entry-point name {entry_point.name!r} is already taken by "
                f"{self._records[entry_point.name].target}",
            )
            self._records[f"{entry_point.name} ({entry_point.value})"] = record
            return
        if entry_point.name in self._disabled:
            record = replace(record, status="disabled")
        else:
            self._pending[entry_point.name] = entry_point
        self._records[entry_point.name] = record

    def records(self) -> list[PluginRecord]:
        """Every plugin found, without loading any: ``hotswap plugins`` before first use."""
        with self._lock:
            return list(self._records.values())

    def load(self) -> None:
        """Import and register every discovered plugin that is not loaded yet. Idempotent and
        thread-safe; a plugin's failure is recorded and does not stop the others."""
        if self._loaded:
            return
        with self._lock:
            while self._pending:
                name, entry_point = self._pending.popitem()
                self._load_one(name, entry_point.value, entry_point.load)
            self._loaded = True

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register a plugin object (a module or any object with hook implementations) directly,
        for applications and tests that do not install a distribution. Raises
        :class:`PluginError` if the plugin is invalid."""
        plugin_name = name or getattr(plugin, "__name__", None) or repr(plugin)
        with self._lock:
            self._load_one(plugin_name, plugin_name, lambda: plugin)
            record = self._records[plugin_name]
            if record.status == "failed":
                raise PluginError(f"plugin {plugin_name!r} was not registered: {record.error}")

    def add_observer(self, observer: object) -> None:
        """Let ``observer`` hear the observation hooks (``hotswap_attempt_started`` ...
        ``hotswap_completed``) of every chain using this host. Unlike :meth:`register`, an
        observer is not a plugin: ``hotswap plugins`` does not list it.

        :raises PluginError: if it implements a hook that is not an observation hook.
        """
        self.load()
        with self._lock:
            self._observers = {}
            self._pm.register(observer, name=f"observer:{id(observer)}")
            callers = self._pm.get_hookcallers(observer) or []
            wrong = sorted(c.name for c in callers if c.name not in _OBSERVATION_HOOKS)
            if wrong:
                self._pm.unregister(observer)
                raise PluginError(
                    f"an observer implements only observation hooks, not {', '.join(wrong)}; "
                    "register a plugin with PluginHost.register instead"
                )

    def remove_observer(self, observer: object) -> None:
        """Stop telling ``observer`` anything."""
        with self._lock:
            self._observers = {}
            if self._pm.is_registered(observer):
                self._pm.unregister(observer)

    def _load_one(self, name: str, target: str, load: Callable[[], object]) -> None:
        self._routes, self._observers = {}, {}
        record = self._records.get(name) or PluginRecord(name=name, target=target)
        try:
            plugin = load()
            self._pm.register(plugin, name=name)
        except Exception as exc:  # any failure in third-party code must not stop the others
            self._fail(record, f"could not be loaded: {type(exc).__name__}: {exc}")
            return
        try:
            self._check_hook_names(plugin)
            providers = self._collect_providers(plugin, name)
        except Exception as exc:
            self._pm.unregister(plugin)
            self._fail(record, str(exc) if isinstance(exc, PluginError) else f"{exc!r}")
            return
        self._plugins[name] = plugin
        for info in providers:
            self._providers[info.name] = info
            self._provider_plugin[info.name] = name
        self._records[name] = replace(
            record, status="loaded", error=None, providers=tuple(p.name for p in providers)
        )

    def _fail(self, record: PluginRecord, reason: str) -> None:
        self._records[record.name] = replace(record, status="failed", error=reason)
        log.warning("hotswap plugin %r disabled: %s", record.name, reason)

    def _check_hook_names(self, plugin: object) -> None:
        # pluggy accepts an implementation of a hook nobody declared; a misspelt hook name would
        # then silently never run, so it is refused here instead.
        for hook_caller in self._pm.get_hookcallers(plugin) or []:
            if not hook_caller.has_spec():
                raise PluginError(
                    f"implements {hook_caller.name!r}, which is not a hotswap hook "
                    f"(hooks: {', '.join(_hook_names())})"
                )

    def _collect_providers(self, plugin: object, plugin_name: str) -> list[ProviderInfo]:
        collected: list[ProviderInfo] = []

        def register(info: ProviderInfo | Mapping[str, Any]) -> None:
            try:
                provider = info if isinstance(info, ProviderInfo) else ProviderInfo(**info)
            except ValidationError as exc:
                raise PluginError(f"declared an invalid provider: {exc}") from None
            owner = self._provider_plugin.get(provider.name)
            if owner is not None or any(p.name == provider.name for p in collected):
                raise PluginError(
                    f"registers provider {provider.name!r}, already registered by plugin "
                    f"{owner or plugin_name!r}"
                )
            collected.append(provider)

        caller = self._pm.subset_hook_caller(
            "hotswap_register_providers",
            [p for p in self._pm.get_plugins() if p is not plugin],
        )
        caller(register=register)
        return collected

    # -- providers ---------------------------------------------------------------------------

    def providers(self) -> dict[str, ProviderInfo]:
        """Every provider the loaded plugins registered, by name."""
        self.load()
        return dict(self._providers)

    def provider(self, name: str) -> ProviderInfo:
        """The provider called ``name``; :class:`UnknownProviderError` lists what is installed
        and the ``pip install`` that would add it."""
        self.load()
        try:
            return self._providers[name]
        except KeyError:
            record = self._records.get(name)
            reason = None
            if record is not None and record.status == "failed":
                reason = f"plugin {name!r} is installed but failed to load: {record.error}"
            elif record is not None and record.status == "disabled":
                reason = f"plugin {name!r} is installed but disabled by {DISABLE_VARIABLE}"
            raise UnknownProviderError(name, sorted(self._providers), reason=reason) from None

    # -- provider operations, one typed method each -------------------------------------------

    def resolve_credential(
        self, model: ModelConfig, auth_type: AuthType, spec: CredentialSpec
    ) -> Credential | None:
        credential: Credential | None = self._hooks(model).hotswap_resolve_credential(
            model=model, auth_type=auth_type, spec=spec
        )
        return credential

    def auth_headers(self, model: ModelConfig, credential: Credential | None) -> dict[str, str]:
        """The headers that carry ``credential``; none without one (auth type ``none``)."""
        if credential is None:
            return {}
        # The core's own implementation always answers, so the result is never None.
        headers: dict[str, str] = self._hooks(model).hotswap_auth_headers(
            model=model, credential=credential
        )
        return headers

    def refresh_request(self, model: ModelConfig, credential: Credential) -> HttpRequest | None:
        request: HttpRequest | None = self._hooks(model).hotswap_refresh_request(
            model=model, credential=credential
        )
        return request

    def parse_refresh(self, model: ModelConfig, response: HttpResponse) -> TokenGrant | None:
        grant: TokenGrant | None = self._hooks(model).hotswap_parse_refresh(
            model=model, response=response
        )
        return grant

    def build_request(
        self, model: ModelConfig, request: CompletionRequest, *, stream: bool
    ) -> HttpRequest:
        built: HttpRequest | None = self._hooks(model).hotswap_build_request(
            model=model, request=request, stream=stream
        )
        if built is None:
            raise self._unhandled("hotswap_build_request", model)
        return built

    def parse_response(self, model: ModelConfig, response: HttpResponse) -> Completion | None:
        completion: Completion | None = self._hooks(model).hotswap_parse_response(
            model=model, response=response
        )
        return completion

    def stream_translator(self, model: ModelConfig, request: CompletionRequest) -> StreamTranslator:
        translator: StreamTranslator | None = self._hooks(model).hotswap_stream_translator(
            model=model, request=request
        )
        if translator is None:
            raise self._unhandled("hotswap_stream_translator", model)
        return translator

    def list_models_request(self, model: ModelConfig) -> HttpRequest | None:
        request: HttpRequest | None = self._hooks(model).hotswap_list_models_request(model=model)
        return request

    def parse_model_list(
        self, model: ModelConfig, response: HttpResponse
    ) -> list[KnownModel] | None:
        models: list[KnownModel] | None = self._hooks(model).hotswap_parse_model_list(
            model=model, response=response
        )
        return models

    def classify_error(self, model: ModelConfig, failure: Failure) -> ErrorClassification:
        # The core's own implementation always answers, so the result is never None.
        classification: ErrorClassification = self._hooks(model).hotswap_classify_error(
            model=model, failure=failure
        )
        return classification

    def _hooks(self, model: ModelConfig) -> pluggy.HookRelay:
        """The hooks to call about ``model``: its provider's manager (:meth:`_route`)."""
        hooks = self._routes.get(model.provider)
        return hooks if hooks is not None else self._route(model.provider)

    def _route(self, provider: str) -> pluggy.HookRelay:
        """A manager holding ``provider``'s plugin and every plugin that registers no provider,
        in the order they were registered, kept until the plugins change."""
        self.load()
        with self._lock:
            owner = self._provider_plugin.get(provider)
            providers_plugins = set(self._provider_plugin.values())
            manager = HookManager()
            for name, plugin in self._plugins.items():
                if name == owner or name not in providers_plugins:
                    manager.register(plugin, name=name)
            self._routes[provider] = manager.hook
            return manager.hook

    # -- observation: every observer is told; one that raises is logged and ignored -----------

    def attempt_started(self, model: ModelConfig, *, stream: bool) -> None:
        self._observe("hotswap_attempt_started", model=model, stream=stream)

    def attempt_failed(self, model: ModelConfig, attempt: Attempt) -> None:
        self._observe("hotswap_attempt_failed", model=model, attempt=attempt)

    def failover(self, attempt: Attempt, next_model: ModelConfig) -> None:
        self._observe("hotswap_failover", attempt=attempt, next_model=next_model)

    def breaker_opened(self, model: ModelConfig, kind: ErrorKind, cooldown_s: float) -> None:
        self._observe("hotswap_breaker_opened", model=model, kind=kind, cooldown_s=cooldown_s)

    def breaker_closed(self, model: ModelConfig) -> None:
        self._observe("hotswap_breaker_closed", model=model)

    def completed(self, completion: Completion) -> None:
        self._observe("hotswap_completed", completion=completion)

    def observes(self, hook: str) -> bool:
        """Whether any plugin implements the observation ``hook`` (so that an event costly to
        build, such as a stream's assembled completion, is built only for someone)."""
        return bool(self._observers_of(hook))

    def _observe(self, hook: str, **arguments: object) -> None:
        for name, caller in self._observers_of(hook):
            try:
                caller(**arguments)
            except Exception:  # an observer's bug must not fail the call it watches
                log.warning("hotswap observer %r failed in %s", name, hook, exc_info=True)

    def _observers_of(self, hook: str) -> tuple[tuple[str, pluggy.HookCaller], ...]:
        """Each plugin implementing ``hook``, by name, with a caller of its implementation
        alone, in pluggy's order; kept until the plugins or observers change."""
        observers = self._observers.get(hook)
        if observers is None:
            self.load()
            with self._lock:
                implementers = {
                    impl.plugin_name: impl.plugin
                    for impl in reversed(getattr(self._pm.hook, hook).get_hookimpls())
                }
                everyone = self._pm.get_plugins()
                observers = self._observers[hook] = tuple(
                    (name, self._pm.subset_hook_caller(hook, everyone - {plugin}))
                    for name, plugin in implementers.items()
                )
        return observers

    def _unhandled(self, hook: str, model: ModelConfig) -> PluginError:
        provider = self.provider(model.provider)
        plugin = self._provider_plugin.get(provider.name, "?")
        method = hook.removeprefix("hotswap_")
        return PluginError(
            f"plugin {plugin!r} registered provider {provider.name!r} but does not implement "
            f"{hook} for it (a ProviderPlugin implements it as the method {method!r})"
        )


def _installed_entry_points() -> list[metadata.EntryPoint]:
    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


_OBSERVATION_HOOKS = frozenset(
    (
        "hotswap_attempt_started",
        "hotswap_attempt_failed",
        "hotswap_failover",
        "hotswap_breaker_opened",
        "hotswap_breaker_closed",
        "hotswap_completed",
    )
)


def _hook_names() -> list[str]:
    return sorted(name for name in dir(hookspecs) if name.startswith("hotswap_"))


_default: PluginHost | None = None
_default_lock = threading.Lock()


def default_host() -> PluginHost:
    """The process-wide host over every installed plugin (created on first call)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = PluginHost()
        return _default
