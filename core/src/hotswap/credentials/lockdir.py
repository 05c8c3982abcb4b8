"""An exclusive lock on a file that pi's ``proper-lockfile`` also respects.

The lock is the directory ``FILE.lock``, taken by creating it: ``mkdir`` either creates it or
fails, atomically, on every filesystem including NFS, which is why proper-lockfile uses it. A lock
directory older than :data:`STALE_AFTER` seconds was left by a process that died holding it, and
is taken over. proper-lockfile keeps refreshing the directory's mtime while it holds a lock; we
hold ours for the few milliseconds a read-merge-write takes, so we need not.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import TYPE_CHECKING

from hotswap.types.errors import CredentialError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

__all__ = ["STALE_AFTER", "locked"]

STALE_AFTER = 30.0
"""Seconds after which a lock directory is considered abandoned (proper-lockfile's default)."""

_FIRST_DELAY = 0.05
_MAX_DELAY = 0.5


@contextlib.contextmanager
def locked(
    path: Path,
    *,
    timeout: float = 5.0,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    """Hold the lock on ``path`` for the duration of the ``with`` block.

    While another process holds it, retry with growing pauses for up to ``timeout`` seconds.
    ``clock`` (POSIX seconds, compared with the lock directory's mtime) and ``sleep`` exist so
    tests can drive time.

    :raises CredentialError: the lock was not released within ``timeout``, or an abandoned lock
        could not be removed.
    """
    lock = path.with_name(path.name + ".lock")
    deadline = clock() + timeout
    delay = _FIRST_DELAY
    while True:
        try:
            os.mkdir(lock)
            break
        except FileExistsError:
            pass
        if _is_stale(lock, clock()):
            _remove_stale(lock)
            continue
        remaining = deadline - clock()
        if remaining <= 0:
            raise CredentialError(
                f"{path} is locked by another process (lock directory {lock}), which did not"
                f" release it within {timeout:g} s.\n  Try again; if no pi or hotswap process is"
                f" running, remove {lock}"
            )
        sleep(min(delay, remaining))
        delay = min(delay * 2, _MAX_DELAY)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.rmdir(lock)


def _is_stale(lock: Path, now: float) -> bool:
    try:
        return now - lock.stat().st_mtime > STALE_AFTER
    except FileNotFoundError:
        return False  # released since mkdir failed; the next attempt will take it


def _remove_stale(lock: Path) -> None:
    try:
        os.rmdir(lock)
    except FileNotFoundError:
        pass  # someone else removed it first
    except OSError as error:
        raise CredentialError(
            f"cannot remove the abandoned lock directory {lock}: {error.strerror}.\n"
            f"  Remove it by hand"
        ) from None
