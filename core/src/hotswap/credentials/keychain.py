"""The OS keychain (macOS Keychain, Windows Credential Locker, Secret Service), through the
optional ``keyring`` package (``pip install hotswap[keyring]``).

A credential ``TYPE:INSTANCE`` is stored under service ``hotswap`` and username
``TYPE/INSTANCE``, for example::

    keyring set hotswap anthropic_key/default

A field other than ``token`` gets its own entry, ``TYPE/INSTANCE/FIELD``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hotswap.credentials.reference import CredentialRef

__all__ = [
    "NOT_INSTALLED",
    "SERVICE",
    "KeychainUnavailableError",
    "keychain_username",
    "read_keychain",
]

SERVICE = "hotswap"
NOT_INSTALLED = "keychain not available (pip install keyring)"

logger = logging.getLogger(__name__)


class KeychainUnavailableError(Exception):
    """The keychain could not be asked: ``keyring`` is not installed or its backend failed.

    The message says which, and never contains a secret.
    """


def keychain_username(ref: CredentialRef) -> str:
    """The keychain username that holds ``ref``: ``TYPE/INSTANCE``, or ``TYPE/INSTANCE/FIELD``
    for a field other than ``token``."""
    username = f"{ref.type}/{ref.instance}"
    return username if ref.field == "token" else f"{username}/{ref.field}"


def read_keychain(ref: CredentialRef) -> str | None:
    """The trimmed value stored for ``ref``, or None if there is no such entry.

    :raises KeychainUnavailableError: ``keyring`` is not importable, or its backend raised
        (no keychain on this machine, a locked keychain, a D-Bus failure...).
    """
    # Imported here: keyring is optional, and importing it loads every backend it knows.
    try:
        import keyring
    except ImportError:
        raise KeychainUnavailableError(NOT_INSTALLED) from None
    username = keychain_username(ref)
    try:
        value = keyring.get_password(SERVICE, username)
    # A backend can fail in any way it likes; whatever it is, the keychain is just not usable.
    except Exception as error:
        logger.debug(
            "keychain lookup of %s %s failed: %s: %s",
            SERVICE,
            username,
            type(error).__name__,
            error,
        )
        raise KeychainUnavailableError(
            f"keychain not usable ({type(error).__name__} from the keyring backend)"
        ) from None
    return (value or "").strip() or None
