"""The engine: SQLite durability and locking settings, transactions, foreign keys."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.migrate import upgrade
from db.models import Official, Unit


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator[Database]:
    db = Database(sqlite_url)
    yield db
    await db.dispose()


@pytest.fixture
async def migrated(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await upgrade(db)
    yield db
    await db.dispose()


async def pragma(db: Database, name: str) -> object:
    async with db.transaction() as session:
        return await session.scalar(text(f"PRAGMA {name}"))


async def test_sqlite_connections_use_wal_full_sync_foreign_keys_and_a_busy_timeout(
    sqlite_db: Database,
) -> None:
    assert await pragma(sqlite_db, "journal_mode") == "wal"
    assert await pragma(sqlite_db, "synchronous") == 2  # FULL
    assert await pragma(sqlite_db, "foreign_keys") == 1
    assert await pragma(sqlite_db, "busy_timeout") > 0


async def test_a_sqlite_transaction_takes_the_write_lock_from_its_start(
    sqlite_db: Database, tmp_path: Path
) -> None:
    other_process = sqlite3.connect(tmp_path / "roviec.db", timeout=0.1, isolation_level=None)
    with closing(other_process) as other:
        async with sqlite_db.transaction() as session:
            assert await session.scalar(text("SELECT 1")) == 1  # only a read so far

            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")

        other.execute("BEGIN IMMEDIATE")  # free again once the transaction committed
        other.execute("ROLLBACK")


async def test_a_failing_transaction_writes_nothing(migrated: Database) -> None:
    with pytest.raises(RuntimeError, match="operator changed their mind"):
        async with migrated.transaction() as session:
            session.add(Unit(code="SYT", name="Sở Y tế", kind="department"))
            await session.flush()
            raise RuntimeError("operator changed their mind")

    async with migrated.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Unit)) == 0


async def test_a_successful_transaction_is_committed(migrated: Database) -> None:
    async with migrated.transaction() as session:
        session.add(Unit(code="SYT", name="Sở Y tế", kind="department"))

    async with migrated.transaction() as session:
        assert await session.scalar(select(Unit.name).where(Unit.code == "SYT")) == "Sở Y tế"


async def test_foreign_keys_are_enforced(migrated: Database) -> None:
    with pytest.raises(IntegrityError):
        async with migrated.transaction() as session:
            session.add(Official(name="Nguyễn Thị Lan", role="focal", unit_id=999))

    async with migrated.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Official)) == 0
