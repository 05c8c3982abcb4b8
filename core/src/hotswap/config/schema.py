"""The shapes of hotswap's configuration: models, chains, failover settings, and the whole.

All are frozen pydantic models that refuse unknown keys with a message listing the keys they do
have. Build a :class:`Config` from a file with :func:`hotswap.config.load_config_file`, or from
Python data with :meth:`Config.from_dict`; both check what the types alone cannot (that a chain
names defined models, that no secret is written in).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from hotswap.config.diagnostics import did_you_mean, problem, undefined_model_fix, unknown_key
from hotswap.types.auth import CREDENTIAL_PART, AuthType
from hotswap.types.errors import ConfigError, ErrorKind
from hotswap.types.request import ThinkingLevel

__all__ = [
    "DEFAULT_CONDITIONS",
    "PROFILES",
    "ChainConfig",
    "ChainEntry",
    "Config",
    "FailoverSettings",
    "ModelConfig",
]

# The same rule plugins' ProviderInfo.name follows, so a configured name can match a plugin's.
_PROVIDER = re.compile(r"[a-z][a-z0-9_-]*")
_URL = re.compile(r"https?://\S+")

DEFAULT_CONDITIONS = (
    ErrorKind.RATE_LIMITED,
    ErrorKind.OVERLOADED,
    ErrorKind.SERVER_ERROR,
    ErrorKind.TIMEOUT,
    ErrorKind.CONNECTION,
    ErrorKind.QUOTA_EXHAUSTED,
    ErrorKind.AUTH,
    ErrorKind.PERMISSION,
)
"""The failures that move a chain on to its next model unless configured otherwise: the
provider's bad minute, and an account that cannot serve (out of credit, its key missing or
refused), since the next model, often on another account, would answer."""

DEFAULT_BREAKER_KINDS = (
    ErrorKind.RATE_LIMITED,
    ErrorKind.OVERLOADED,
    ErrorKind.QUOTA_EXHAUSTED,
    ErrorKind.AUTH,
    ErrorKind.PERMISSION,
)
"""The failures that also make later requests skip the model for a cooldown."""

DEFAULT_KIND_COOLDOWNS = {
    ErrorKind.QUOTA_EXHAUSTED: 3600.0,
    ErrorKind.AUTH: 3600.0,
    ErrorKind.PERMISSION: 3600.0,
}
"""Kinds whose cooldown is not ``cooldown_s``: an empty quota or a refused key stays so for long."""

PROFILES: dict[str, dict[str, Any]] = {
    "instant": {
        "same_model_retries": 0,
        "wait_retry_after_s": 0.0,
        "stream_recovery": "raise",
        "first_event_timeout_s": 300.0,
        "idle_timeout_s": 90.0,
    },
    "patient": {
        "same_model_retries": 2,
        "wait_retry_after_s": 20.0,
        "stream_recovery": "continue",
        "first_event_timeout_s": 120.0,
        "idle_timeout_s": 30.0,
    },
}
"""What each ``profile`` sets, under the keys a table does not set itself. ``instant`` (the
default) moves to the next model at the first failure; ``patient`` stays with a model through
a hiccup (resends a transient failure twice, waits out a retry-after of up to 20 s), recovers
a cut stream instead of raising, and gives up on a silent model sooner, as suits someone
watching the answer arrive."""


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Fields filled in by hotswap rather than written in a file, left out of "allowed keys".
    _derived_keys: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _refuse_unknown_keys(cls, data: Any) -> Any:
        # Checked here rather than left to extra="forbid" so the error can list the allowed keys.
        if isinstance(data, Mapping):
            allowed = [name for name in cls.model_fields if name not in cls._derived_keys]
            for key in data:
                if key not in cls.model_fields:
                    raise unknown_key(str(key), allowed)
        return data


def _check_provider(name: str) -> str:
    if not _PROVIDER.fullmatch(name):
        raise problem(
            "not a provider name",
            "provider names are lower case letters, digits, '-' and '_', like anthropic.",
        )
    return name


def _split_inline(entry: str) -> tuple[str, str] | None:
    """The provider and model id of an inline ``provider/model-id`` reference, else None."""
    provider, slash, model = entry.partition("/")
    if slash and _PROVIDER.fullmatch(provider) and model.strip():
        return provider, model
    return None


def _check_entry(entry: str) -> str:
    if "/" in entry:
        if _split_inline(entry) is None:
            raise problem(
                "not a provider/model reference",
                "an inline reference is PROVIDER/MODEL-ID, like ollama/llama3.",
            )
    elif not entry or entry != entry.strip():
        raise problem("not a model name", "write the name of a [models.NAME] entry.")
    return entry


def _check_entries(entries: tuple[str, ...]) -> tuple[str, ...]:
    if not entries:
        raise problem(
            "a chain needs at least one model",
            'list [models] names or PROVIDER/MODEL-ID references: models = ["sonnet", '
            '"ollama/llama3"].',
        )
    return entries


def _check_base_url(url: str) -> str:
    if not _URL.fullmatch(url):
        raise problem("not an http(s) URL", "write the full URL, like https://api.example.com.")
    return url


def _check_credential(reference: str) -> str:
    # TYPE or TYPE:INSTANCE, each part a safe directory name.
    if not all(CREDENTIAL_PART.fullmatch(part) for part in reference.split(":", 1)):
        raise problem(
            "not a credential reference",
            'name a stored credential as TYPE or TYPE:INSTANCE, like "anthropic_key" or '
            '"anthropic_key:work" (the key itself never goes here).',
        )
    return reference


ProviderName = Annotated[str, AfterValidator(_check_provider)]
ChainEntry = Annotated[str, AfterValidator(_check_entry)]
"""One step of a chain: a ``[models.NAME]`` name, or an inline ``provider/model-id`` reference
(the provider is the text before the first slash: ``openrouter/anthropic/claude-sonnet-4.5``)."""


class FailoverSettings(_Table):
    """When a chain gives up on a model and moves to the next, and what it does when every
    model has failed.

    Every field has a default, so a table that sets one key leaves the rest alone; a chain's own
    settings override only the keys it sets (see :meth:`merged_over`).

    :param profile: a set of defaults for the other keys (see :data:`PROFILES`): ``instant``
        or ``patient``; a key set beside it wins over the profile's value.
    :param conditions: the failure kinds that move on to the next model at once; others are
        raised. A kind also names its family: ``server_error`` covers ``overloaded``.
    :param cooldown_s: seconds a model that failed that way is passed over by later requests
        (longer when the provider's retry-after says so, and doubled each time its probe fails
        again, up to ``max_cooldown_s``).
    :param max_cooldown_s: the longest a cooldown grows to by doubling (a kind whose own
        cooldown is longer keeps it).
    :param max_retries: how many more rounds over the whole chain to try, with exponential
        backoff, once every model has failed or is cooling down.
    :param retry_delay_ms: the wait before the first of those rounds, in milliseconds; it
        grows exponentially from there.
    :param breaker_kinds: failures (among the conditions) after which later requests skip the
        model for its cooldown, not just this one.
    :param cooldowns: cooldown seconds for particular kinds, instead of ``cooldown_s``.
    :param same_model_retries: how many times to resend to the same model after a transient
        failure (``server_error``, ``connection``) before moving on; never after a timeout.
    :param wait_retry_after_s: wait out a rate limit's retry-after on the same model, instead
        of moving on, when it asks for at most this many seconds (0: never).
    :param stream_recovery: what a stream that fails after showing content does: ``raise``
        an error carrying the partial text; ``continue`` with the next model from where the
        answer stopped; ``restart`` with the next model after a reset event.
    :param connect_timeout_s: to open a connection.
    :param first_event_timeout_s: from sending a request to the first stream event (or a whole
        answer's response headers).
    :param idle_timeout_s: between stream events once the first has arrived.
    :param attempt_timeout_s: one attempt in all; a model's ``timeout_s`` replaces it.
    :param deadline_s: the whole call, across every attempt and backoff wait; a request's
        ``timeout_s`` replaces it.
    """

    # A new setting is one field with a default: its file key, camelCase spelling, place in
    # the "allowed keys" list and per-chain override all follow from the field.

    profile: Literal["instant", "patient"] = "instant"
    conditions: tuple[ErrorKind, ...] = DEFAULT_CONDITIONS
    cooldown_s: float = Field(default=60.0, ge=0, strict=True)
    max_cooldown_s: float = Field(default=300.0, ge=0, strict=True)
    max_retries: int = Field(default=3, ge=0, strict=True)
    retry_delay_ms: int = Field(default=1000, ge=0, strict=True)
    breaker_kinds: tuple[ErrorKind, ...] = DEFAULT_BREAKER_KINDS
    cooldowns: dict[ErrorKind, Annotated[float, Field(ge=0, strict=True)]] = Field(
        default_factory=lambda: dict(DEFAULT_KIND_COOLDOWNS)
    )
    same_model_retries: int = Field(default=0, ge=0, le=10, strict=True)
    wait_retry_after_s: float = Field(default=0.0, ge=0, strict=True)
    stream_recovery: Literal["raise", "continue", "restart"] = "raise"
    connect_timeout_s: float = Field(default=10.0, gt=0, strict=True)
    first_event_timeout_s: float = Field(default=300.0, gt=0, strict=True)
    idle_timeout_s: float = Field(default=90.0, gt=0, strict=True)
    attempt_timeout_s: float = Field(default=600.0, gt=0, strict=True)
    deadline_s: float = Field(default=1200.0, gt=0, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _profile_defaults(cls, data: Any) -> Any:
        # The profile's values go in as if written, under the keys the table set itself, so
        # a chain naming a profile overrides those keys of the global settings as well.
        if isinstance(data, Mapping) and data.get("profile") in PROFILES:
            return {**PROFILES[data["profile"]], **data}
        return data

    @field_validator("cooldowns", mode="after")
    @classmethod
    def _keep_default_cooldowns(cls, value: dict[ErrorKind, float]) -> dict[ErrorKind, float]:
        # Setting one kind's cooldown must not drop the long defaults of the others.
        return {**DEFAULT_KIND_COOLDOWNS, **value}

    def fails_over_on(self, kind: ErrorKind) -> bool:
        """Whether a failure of ``kind`` moves on to the next model (conditions name families)."""
        return any(kind in condition.family for condition in self.conditions)

    def cooldown_after(self, kind: ErrorKind) -> float | None:
        """How long later requests skip a model that failed with ``kind``; None if they don't."""
        if not any(kind in breaker.family for breaker in self.breaker_kinds):
            return None
        return self.cooldowns.get(kind, self.cooldown_s)

    def merged_over(self, base: FailoverSettings) -> FailoverSettings:
        """``base`` with every key these settings set explicitly put in its place."""
        return base.model_copy(update={key: getattr(self, key) for key in self.model_fields_set})


class ModelConfig(_Table):
    """One model a chain can use: which provider serves it and how to call it.

    :param name: the name chains use for it: its ``[models.NAME]`` key, or the inline
        reference itself (``ollama/llama3``).
    :param provider: the provider plugin's name (``anthropic``).
    :param model: the id the provider knows the model by.
    :param auth_type: how to authenticate; None means the provider's default.
    :param thinking_level: the reasoning effort to ask for unless a request says otherwise.
    :param base_url: where to send requests instead of the provider's usual endpoint.
    :param timeout_s: overall limit per request, in seconds.
    :param credential: which stored credential to use, ``TYPE`` or ``TYPE:INSTANCE``
        (``anthropic_key:work``): a reference, never the key itself.
    :param headers: extra request headers.
    :param options: extra provider request fields, merged into the request body as given.
    :param context_window: the model's context size in tokens, overriding what the plugin knows.
    :param prefill: whether the model carries on from a partial answer given as its own last
        turn, which ``stream_recovery = "continue"`` needs; None: as its plugin says.
    """

    _derived_keys = frozenset({"name"})

    name: str = Field(min_length=1)
    provider: ProviderName
    model: str = Field(min_length=1)
    auth_type: AuthType | None = None
    thinking_level: ThinkingLevel | None = None
    base_url: Annotated[str, AfterValidator(_check_base_url)] | None = None
    timeout_s: float | None = Field(default=None, gt=0, strict=True)
    credential: Annotated[str, AfterValidator(_check_credential)] | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)
    context_window: int | None = Field(default=None, gt=0, strict=True)
    prefill: bool | None = Field(default=None, strict=True)


class ChainConfig(_Table):
    """Models to try in order, and optionally failover settings of the chain's own.

    :param models: :data:`ChainEntry` values, first tried first.
    :param failover: settings overriding the global ``[failover]`` for this chain; only the
        keys written here override (see :meth:`Config.failover_for`).
    """

    models: Annotated[tuple[ChainEntry, ...], AfterValidator(_check_entries)]
    failover: FailoverSettings | None = None


class Config(_Table):
    """A whole configuration: named models, chains of them, agents' chains, failover settings.

    :param models: ``[models.NAME]`` entries by name.
    :param chains: ``[chains.NAME]`` entries by name; ``default`` is used when none is named.
    :param agents: chains read from ``agents/NAME/config.toml`` files next to the config file.
    :param failover: the global failover settings.
    :param source: the file this was read from, or None.
    """

    # A file's config is put together from tables already checked; only a Config built
    # directly needs the schema, so it is built then.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    models: dict[str, ModelConfig] = Field(default_factory=dict)
    chains: dict[str, ChainConfig] = Field(default_factory=dict)
    agents: dict[str, ChainConfig] = Field(default_factory=dict)
    failover: FailoverSettings = Field(default_factory=FailoverSettings)
    source: Path | None = None

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        source: Path | None = None,
        env: Mapping[str, str] = os.environ,
    ) -> Config:
        """Build a config from data shaped like a config file (``{"models": {...}, ...}``),
        checked exactly as a file is.

        :param data: the file's contents as Python objects; any accepted spelling works.
        :param source: the file it came from, named in errors; a file named ``config.toml``
            may hold unrelated top-level tables, which are ignored.
        :param env: the environment, used only to name the credentials directory in errors.
        :raises ConfigError: naming the key path, what is wrong and how to fix it.
        """
        # parse builds Configs, so it imports this module and not the other way round.
        from hotswap.config.parse import parse_config

        return parse_config(data, source=source, env=env)

    def chain(self, name: str) -> ChainConfig:
        """The chain called ``name``.

        :raises ConfigError: if there is none, listing the chains there are.
        """
        if name in self.chains:
            return self.chains[name]
        defined = ", ".join(self.chains) or "none"
        raise ConfigError(
            f"no chain named {name!r}",
            path=str(self.source) if self.source else None,
            fix=f"defined chains: {defined}.{did_you_mean(name, self.chains)}",
        )

    def resolve(self, entry: str) -> ModelConfig:
        """The model a chain entry means: a ``[models]`` entry by name, else an inline
        ``provider/model-id`` reference as a model with just a provider and a model id.

        :raises ConfigError: if ``entry`` is neither.
        """
        if entry in self.models:
            return self.models[entry]
        inline = _split_inline(entry)
        if inline is not None:
            return ModelConfig(name=entry, provider=inline[0], model=inline[1])
        raise ConfigError(
            f"no model named {entry!r}",
            path=str(self.source) if self.source else None,
            fix=undefined_model_fix(entry, self.models),
        )

    def failover_for(self, chain: ChainConfig) -> FailoverSettings:
        """The settings ``chain`` runs with: the global ones, with the keys the chain sets."""
        if chain.failover is None:
            return self.failover
        return chain.failover.merged_over(self.failover)
