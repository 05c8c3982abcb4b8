"""Files only their owner may touch: refusing shared ones, and writing new ones safely.

The permission checks are POSIX only; on Windows file modes do not describe who can read a file,
so nothing is refused there.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from typing import TYPE_CHECKING

from hotswap.types.errors import CredentialError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

__all__ = ["make_private_dirs", "refuse_if_shared", "write_private_file"]

# A credential file must not be readable or writable by anyone but its owner; its directories
# must not be writable by anyone else, or they could swap the file for one of their own.
_SHARED_FILE_BITS = 0o077
_SHARED_DIR_BITS = stat.S_IWGRP | stat.S_IWOTH


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def refuse_if_shared(path: Path, *, directories: Iterable[Path] = ()) -> None:
    """Raise :class:`CredentialError` if ``path`` is open to group or others (``mode & 0o077``),
    or if any of ``directories`` is writable by group or others.

    The message names every offending path, its mode, and the ``chmod`` that fixes it. The file
    must exist. Does nothing on non-POSIX systems.
    """
    if os.name != "posix":
        return
    problems: list[str] = []
    mode = _mode(path)
    if mode & _SHARED_FILE_BITS:
        problems.append(
            f"its mode is {mode:04o}, so other users can read or change it.\n"
            f"  Fix: chmod 600 {path}"
        )
    for directory in directories:
        mode = _mode(directory)
        if mode & _SHARED_DIR_BITS:
            problems.append(
                f"its directory {directory} has mode {mode:04o}, so other users can replace it.\n"
                f"  Fix: chmod 700 {directory}"
            )
    if problems:
        raise CredentialError(f"refusing to use credential file {path}: " + "\n".join(problems))


def make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and any missing parents, each with mode 0700 (existing ones are
    left as they are)."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        # Another process may create it between our check and our mkdir; that is fine.
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)


def write_private_file(path: Path, text: str) -> None:
    """Atomically replace ``path`` with ``text``, the file having mode 0600 from its creation.

    The text goes to a temporary file in the same directory (``mkstemp`` creates it 0600, so it
    is never readable by others, not even for a moment), which then replaces ``path``. A reader
    sees either the old file or the new one, never a half-written one. The directory must exist.
    """
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
