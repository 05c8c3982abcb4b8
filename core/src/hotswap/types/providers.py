"""What a provider plugin declares about each provider it offers.

A plugin hands one :class:`ProviderInfo` per provider to the ``register`` callback of
``hotswap_register_providers``. The core validates it at registration, so a mistake in a
plugin is reported when the plugin loads, with the plugin's name, not at the first request.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotswap.types.auth import AuthType, CredentialSpec

__all__ = ["Capabilities", "KnownModel", "ProviderInfo"]


class Capabilities(BaseModel):
    """What a provider, or one of its models, can do.

    :param tools: it can call tools; a request with tools skips a model that cannot.
    :param streaming: it can stream its answer.
    :param thinking: it has a reasoning control; a ``thinking_level`` sent to a model without
        one is dropped (with a debug log), not refused.
    :param vision: it can read images; a request with images skips a model that cannot.
    :param prefill: it continues a conversation that ends with a partial assistant message
        (used to resume an interrupted stream with ``stream_recovery = "continue"``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tools: bool = True
    streaming: bool = True
    thinking: bool = False
    vision: bool = False
    prefill: bool = False


class KnownModel(BaseModel):
    """A model the provider is known to serve. Listing one is informative, never a gate:
    any model id the provider accepts can be configured.

    :param id: the id sent to the provider.
    :param aliases: other names for it (``sonnet``).
    :param context_window: input tokens it accepts, used to skip models too small for a request.
    :param max_output_tokens: the most output tokens it can produce.
    :param capabilities: its capabilities, where they differ from the provider's.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    context_window: int | None = Field(default=None, gt=0)
    max_output_tokens: int | None = Field(default=None, gt=0)
    capabilities: Capabilities | None = None


class ProviderInfo(BaseModel):
    """One provider, as its plugin declares it.

    :param name: the name used in config (``provider = "anthropic"``): lower case, digits,
        ``-`` and ``_``.
    :param display_name: how people write it (``Anthropic``).
    :param base_url: where requests go unless a model's config says otherwise.
    :param auth: for each auth type the provider accepts, where its credential may be found;
        the first entry is the default auth type.
    :param capabilities: what its models can do, unless a known model says otherwise.
    :param models: models it is known to serve.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    display_name: str = ""
    base_url: str = Field(min_length=1)
    auth: dict[AuthType, CredentialSpec] = Field(min_length=1)
    capabilities: Capabilities = Field(default_factory=Capabilities)
    models: tuple[KnownModel, ...] = ()

    @model_validator(mode="after")
    def _model_ids_are_unique(self) -> ProviderInfo:
        seen: set[str] = set()
        for model in self.models:
            for name in (model.id, *model.aliases):
                if name in seen:
                    raise ValueError(f"model name {name!r} is listed twice")
                seen.add(name)
        return self

    @property
    def default_auth_type(self) -> AuthType:
        return next(iter(self.auth))

    @property
    def env_vars(self) -> tuple[str, ...]:
        """Every environment variable the provider reads, in declaration order."""
        names: dict[str, None] = {}
        for spec in self.auth.values():
            names.update(dict.fromkeys(spec.env_vars))
        return tuple(names)

    def known_model(self, name: str) -> KnownModel | None:
        """The known model with this id or alias, if any."""
        return _names(self.models).get(name)

    def capabilities_of(self, model_id: str) -> Capabilities:
        """The capabilities of one model: its own if known and declared, else the provider's."""
        known = self.known_model(model_id)
        if known is not None and known.capabilities is not None:
            return known.capabilities
        return self.capabilities


# Every request looks its model up, and a provider may list dozens: each ``models`` tuple gets
# a name index, kept with the tuple itself so that an id is never taken for another's.
_INDEXES: dict[int, tuple[tuple[KnownModel, ...], dict[str, KnownModel]]] = {}


def _names(models: tuple[KnownModel, ...]) -> dict[str, KnownModel]:
    entry = _INDEXES.get(id(models))
    if entry is None or entry[0] is not models:
        if len(_INDEXES) >= 256:
            _INDEXES.clear()
        names = {alias: m for m in reversed(models) for alias in (*m.aliases, m.id)}
        entry = _INDEXES[id(models)] = (models, names)
    return entry[1]
