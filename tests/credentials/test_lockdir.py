"""The auth.json lock: a directory made with mkdir, as pi's proper-lockfile makes it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from hotswap import CredentialError
from hotswap.credentials.lockdir import STALE_AFTER, locked

if TYPE_CHECKING:
    from pathlib import Path


class FakeTime:
    """A clock that only moves when something sleeps on it."""

    def __init__(self, start: float) -> None:
        self.now = start
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_lock_is_a_directory_next_to_the_file_while_held(tmp_path: Path) -> None:
    target = tmp_path / "auth.json"

    with locked(target):
        assert (tmp_path / "auth.json.lock").is_dir()

    assert not (tmp_path / "auth.json.lock").exists()


def test_the_lock_is_released_when_the_block_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="inside"), locked(tmp_path / "auth.json"):
        raise ValueError("inside")

    assert not (tmp_path / "auth.json.lock").exists()


def test_a_lock_older_than_thirty_seconds_is_taken_over(tmp_path: Path) -> None:
    lock = tmp_path / "auth.json.lock"
    lock.mkdir()
    mtime = lock.stat().st_mtime
    time = FakeTime(start=mtime + STALE_AFTER + 1)

    with locked(tmp_path / "auth.json", clock=time.clock, sleep=time.sleep):
        assert lock.is_dir()

    assert time.slept == []


def test_a_fresh_lock_is_waited_for_until_it_is_released(tmp_path: Path) -> None:
    lock = tmp_path / "auth.json.lock"
    lock.mkdir()
    time = FakeTime(start=lock.stat().st_mtime)

    def other_process_finishes(seconds: float) -> None:
        time.sleep(seconds)
        os.rmdir(lock)

    with locked(tmp_path / "auth.json", clock=time.clock, sleep=other_process_finishes):
        assert lock.is_dir()

    assert time.slept == [0.05]


def test_a_lock_held_past_the_timeout_is_an_error_naming_the_lock(tmp_path: Path) -> None:
    lock = tmp_path / "auth.json.lock"
    lock.mkdir()
    time = FakeTime(start=lock.stat().st_mtime)

    with (
        pytest.raises(CredentialError) as caught,
        locked(tmp_path / "auth.json", timeout=5, clock=time.clock, sleep=time.sleep),
    ):
        pytest.fail("the lock was taken while another process held it")

    assert str(caught.value) == (
        f"{tmp_path / 'auth.json'} is locked by another process (lock directory {lock}),"
        " which did not release it within 5 s.\n"
        f"  Try again; if no pi or hotswap process is running, remove {lock}"
    )
    assert sum(time.slept) == pytest.approx(5)
    assert lock.is_dir()  # someone else's lock is left alone
