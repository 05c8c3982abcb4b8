"""Building hotswap's own models from values that are already what their fields hold.

Pydantic validates every model its constructor builds, and each request builds several: the
request from a string prompt, the record of each try, the answer with those records stamped on
it. Where the core made every value itself (a prompt it has checked is a string, a try's
timings, an answer that was validated when the plugin built it), that check cannot fail. It
still runs pydantic-core's native code over the model's schema, both cold between requests:
over loopback, skipping it took a fifth of the instructions hotswap added to the bare client,
and nearly half of its L1 data-cache misses (cachegrind, benchmarks/instructions.py).
:func:`build` and :func:`copy_with` make the same model without it: the same field values in
the same order and the same ``model_fields_set``, so it compares, prints and dumps as the
validated one does (tests/core/test_trusted.py holds every use to that).

They skip ``model_post_init`` too: what it would check is the caller's to keep. Anything a
caller or a plugin passes in is validated as before, with one exception that comes to the same:
the answer :class:`~hotswap.plugin.streaming.StreamAssembler` puts together is built here when each
value a plugin's events handed in is exactly its field's type, which validation would return
as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["build", "copy_with"]

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
# The setters of BaseModel's four slots, called directly: a quarter quicker than
# object.__setattr__, which looks each name up on the class first.
_slots = vars(BaseModel)
_set_dict = _slots["__dict__"].__set__
_set_fields_set = _slots["__pydantic_fields_set__"].__set__
_set_extra = _slots["__pydantic_extra__"].__set__
_set_private = _slots["__pydantic_private__"].__set__
_PLACE: Any = object()  # holds a field's place in the order until a build fills it


class _Template:
    """A model's fields in order with their defaults, and the factories of those made anew."""

    __slots__ = ("factories", "fields")

    def __init__(self, cls: type[BaseModel]) -> None:
        self.fields: dict[str, Any] = {}
        self.factories: list[tuple[str, Callable[[], Any]]] = []
        for name, field in cls.model_fields.items():
            if field.default_factory is not None:
                self.fields[name] = _PLACE
                self.factories.append((name, field.default_factory))  # type: ignore[arg-type]
            else:
                self.fields[name] = _PLACE if field.is_required() else field.default


_templates: dict[type[BaseModel], _Template] = {}


def build(cls: type[M], /, **values: Any) -> M:
    """``cls(**values)`` without validation. ``values`` must give every required field, each
    already of its field's type (a tuple where the field is a tuple)."""
    template = _templates.get(cls)
    if template is None:
        template = _templates[cls] = _Template(cls)
    fields = {**template.fields, **values}  # in the fields' order, as validation leaves them
    for name, factory in template.factories:
        if name not in values:
            fields[name] = factory()
    return _made(cls, fields, set(values))


def copy_with(model: M, /, **changes: Any) -> M:
    """``model.model_copy(update=changes)``, for changes already of their fields' types."""
    return _made(
        type(model),
        {**model.__dict__, **changes},
        model.__pydantic_fields_set__.union(changes),
    )


def _made(cls: type[M], fields: dict[str, Any], fields_set: set[str]) -> M:
    made = _new(cls)
    _set_dict(made, fields)
    _set_fields_set(made, fields_set)
    _set_extra(made, None)
    _set_private(made, None)
    return made
