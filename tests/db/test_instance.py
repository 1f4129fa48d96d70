"""The instance lock of a SQLite file: one holder at a time, released when it ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.instance import AlreadyRunning, instance_lock, lock_path


def test_one_holder_at_a_time_and_the_lock_is_released_after(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'roviec.db'}"
    with instance_lock(url), pytest.raises(AlreadyRunning), instance_lock(url):
        pass
    with instance_lock(url):  # the first holder ended: free again
        pass


def test_postgresql_and_memory_databases_take_no_lock() -> None:
    assert lock_path("postgresql+asyncpg://postgres@127.0.0.1:5432/test") is None
    assert lock_path("sqlite+aiosqlite:///:memory:") is None
    with (
        instance_lock("postgresql+asyncpg://postgres@127.0.0.1/test"),
        instance_lock("postgresql+asyncpg://postgres@127.0.0.1/test"),
    ):
        pass
