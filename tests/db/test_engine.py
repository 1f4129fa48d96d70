"""The engine: SQLite durability and locking settings, transactions, foreign keys."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path
from threading import get_ident
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
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


def trace_threads(db: Database) -> list[tuple[str, int]]:
    """Record, for every statement SQLite runs, its first word and the thread running it."""
    seen: list[tuple[str, int]] = []

    @event.listens_for(db.engine.sync_engine, "connect")
    def _trace(dbapi_connection: Any, _record: Any) -> None:
        raw = dbapi_connection.driver_connection._conn  # the sqlite3 connection itself
        raw.set_trace_callback(lambda sql: seen.append((sql.split()[0].upper(), get_ident())))

    return seen


async def test_a_brief_transaction_runs_its_statements_and_a_free_begin_on_the_loop_but_commit_not(
    sqlite_db: Database,
) -> None:
    seen = trace_threads(sqlite_db)
    async with sqlite_db.transaction(brief=True) as session:
        await session.execute(text("CREATE TABLE note (body TEXT)"))
        await session.execute(text("INSERT INTO note VALUES ('x')"))
        assert await session.scalar(text("SELECT count(*) FROM note")) == 1
    loop_thread = get_ident()
    by_word = {word: thread for word, thread in seen if not word.startswith("PRAGMA")}

    assert by_word["COMMIT"] != loop_thread  # syncs to disk
    # The write lock was free, so BEGIN took it at once, on the loop.
    assert by_word["BEGIN"] == by_word["CREATE"] == by_word["INSERT"] == loop_thread
    assert by_word["SELECT"] == loop_thread


async def test_a_brief_transaction_waits_on_the_drivers_thread_for_another_process_lock(
    sqlite_db: Database,
) -> None:
    path = sqlite_db.engine.url.database
    assert path is not None
    async with sqlite_db.transaction() as session:
        await session.execute(text("CREATE TABLE note (body TEXT)"))
    seen = trace_threads(sqlite_db)
    await sqlite_db.engine.dispose()  # new connections, traced
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process's writer holds the lock
    loop = asyncio.get_running_loop()
    loop.call_later(0.3, other.execute, "COMMIT")
    try:
        async with sqlite_db.transaction(brief=True) as session:
            await session.execute(text("INSERT INTO note VALUES ('x')"))
    finally:
        other.close()
    loop_thread = get_ident()
    begins = [thread for word, thread in seen if word == "BEGIN"]
    # Tried on the loop without waiting, then waited for on the driver's thread.
    assert begins[0] == loop_thread and begins[-1] != loop_thread
    async with sqlite_db.read() as session:
        assert await session.scalar(text("SELECT count(*) FROM note")) == 1


async def test_other_transactions_and_reads_run_everything_on_the_drivers_thread(
    sqlite_db: Database,
) -> None:
    seen = trace_threads(sqlite_db)
    async with sqlite_db.transaction() as session:
        await session.execute(text("CREATE TABLE note (body TEXT)"))
    async with sqlite_db.read() as session:
        await session.scalar(text("SELECT count(*) FROM note"))

    assert seen and get_ident() not in {thread for _, thread in seen}


async def test_a_brief_transaction_still_waits_for_another_process_holding_the_lock(
    sqlite_db: Database, sqlite_url: str
) -> None:
    async with sqlite_db.transaction() as session:
        await session.execute(text("CREATE TABLE note (body TEXT)"))
    other = sqlite3.connect(sqlite_url.removeprefix("sqlite+aiosqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticking = asyncio.create_task(tick())
    writing = asyncio.create_task(_insert_briefly(sqlite_db))
    await asyncio.sleep(0.3)
    assert not writing.done() and ticks >= 10  # waiting, and the loop goes on meanwhile
    other.rollback()
    await asyncio.wait_for(writing, 5)
    ticking.cancel()
    other.close()


async def _insert_briefly(db: Database) -> None:
    async with db.transaction(brief=True) as session:
        await session.execute(text("INSERT INTO note VALUES ('y')"))
