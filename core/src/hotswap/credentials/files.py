"""Credential trees: one plain-text file per field, at ``ROOT/TYPE/INSTANCE/FIELD``.

hotswap's own tree (:func:`hotswap.config.paths.credentials_dir`) and Action Llama's share this
layout, so either can be read with :func:`read_tree_value`. Values are trimmed on read and written
with a trailing newline, as Action Llama does.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from hotswap.config.paths import credentials_dir
from hotswap.credentials.private_files import (
    make_private_dirs,
    refuse_if_shared,
    write_private_file,
)
from hotswap.credentials.reference import CredentialRef
from hotswap.types.errors import CredentialError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from hotswap.types.redaction import Secret

__all__ = ["read_tree_value", "store_credential_file", "tree_file"]


def tree_file(root: Path, ref: CredentialRef) -> Path:
    """The file that holds ``ref`` in the tree at ``root``."""
    return root / ref.relative_path


def read_tree_value(path: Path) -> str | None:
    """The trimmed content of the tree file ``path``, or None if it is absent or blank.

    :raises CredentialError: the file, or its instance or type directory, is open to other users
        (see :func:`~hotswap.credentials.private_files.refuse_if_shared`), or it cannot be read.
        A refused file is never skipped in favour of the next source: its owner must learn that it
        is unsafe.
    """
    if not path.exists():
        return None
    refuse_if_shared(path, directories=(path.parent, path.parent.parent))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None  # removed since we looked
    except UnicodeDecodeError:
        raise CredentialError(f"credential file {path} is not UTF-8 text") from None
    except OSError as error:
        raise CredentialError(
            f"cannot read credential file {path}: {error.strerror or type(error).__name__}"
        ) from None
    return text.strip() or None


def store_credential_file(
    credential: str,
    instance: str,
    field: str,
    value: Secret,
    *,
    env: Mapping[str, str] = os.environ,
) -> Path:
    """Write ``value`` to ``credentials_dir(env)/CREDENTIAL/INSTANCE/FIELD`` and return the path.

    Missing directories are created 0700 and the type and instance directories are set to 0700;
    the file is replaced atomically and is 0600 from the moment it exists.

    :raises CredentialError: a name is not a valid path component, or ``value`` is blank.
    """
    path = tree_file(credentials_dir(env), CredentialRef(credential, instance, field))
    secret = value.reveal().strip()
    if not secret:
        raise CredentialError(f"refusing to write an empty credential to {path}")
    make_private_dirs(path.parent)
    for directory in (path.parent.parent, path.parent):
        os.chmod(directory, 0o700)
    write_private_file(path, secret + "\n")
    return path
