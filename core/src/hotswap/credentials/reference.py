"""Credential references: which ``TYPE/INSTANCE/FIELD`` entry of a credentials tree is meant.

A reference is written ``"TYPE"`` or ``"TYPE:INSTANCE"`` (``"anthropic_key:work"``), exactly as
Action Llama writes them; the instance defaults to ``default`` and the field comes from the
provider's :class:`~hotswap.types.auth.CredentialSpec` (``token`` for every LLM key).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from hotswap.types.auth import CREDENTIAL_PART
from hotswap.types.errors import CredentialError

__all__ = ["DEFAULT_INSTANCE", "CredentialRef"]

DEFAULT_INSTANCE = "default"


@dataclass(frozen=True)
class CredentialRef:
    """One field of one instance of one credential type.

    :param type: the credential type (``anthropic_key``).
    :param instance: the instance (``default``, or a name such as ``work``).
    :param field: the field file inside the instance directory (``token``).
    """

    type: str
    instance: str = DEFAULT_INSTANCE
    field: str = "token"

    def __post_init__(self) -> None:
        for what, part in (("type", self.type), ("instance", self.instance), ("field", self.field)):
            if not CREDENTIAL_PART.fullmatch(part):
                raise CredentialError(
                    f"invalid credential {what} {part!r}: use letters, digits, '_', '-' and '.',"
                    " not starting with '.' or '-'"
                )

    @classmethod
    def parse(cls, reference: str, *, field: str = "token") -> CredentialRef:
        """Read ``"TYPE"`` or ``"TYPE:INSTANCE"``; raise :class:`CredentialError` if malformed."""
        type_, _, instance = reference.partition(":")
        return cls(type_, instance or DEFAULT_INSTANCE, field)

    @property
    def relative_path(self) -> PurePath:
        """Where the field lives inside a credentials tree: ``TYPE/INSTANCE/FIELD``."""
        return PurePath(self.type, self.instance, self.field)

    def __str__(self) -> str:
        return f"{self.type}/{self.instance}"
