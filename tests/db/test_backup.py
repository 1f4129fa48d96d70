"""Backups of a live SQLite database, and restoring one, as an operator does them."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from db.backup import BackupError, back_up, restore
from db.engine import Database
from db.instance import AlreadyRunning, instance_lock
from db.migrate import known_revisions
from db.models import ProgressReport
from tests.province import build_province

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.sqlite_only


async def _report(db: Database, assignment_id: int, official_id: int, n: int) -> int:
    """Commit one progress report; its id once committed."""
    async with db.transaction() as session:
        report = ProgressReport(
            assignment_id=assignment_id,
            official_id=official_id,
            status="in_progress",
            progress=n % 100,
            done_text=f"Báo cáo số {n}",
            channel="telegram",
            created_at=NOW,
        )
        session.add(report)
        await session.flush()
        return report.id


def _report_ids(path: Path) -> set[int]:
    with closing(sqlite3.connect(path)) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM progressreport")}


async def test_a_backup_taken_during_writes_restores_every_report_committed_before_it(
    database_url: str, tmp_path: Path
) -> None:
    db = Database(database_url)
    async with db.transaction() as session:
        province = await build_province(session, NOW)
    committed_before = {
        await _report(db, province.overdue, province.health_focal, n) for n in range(50)
    }
    writing = asyncio.Event()
    committed_during: set[int] = set()

    async def keep_writing() -> None:
        n = 1000
        while not writing.is_set():
            committed_during.add(await _report(db, province.overdue, province.health_focal, n))
            n += 1

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    backup = tmp_path / "roviec-backup.db"
    size = await asyncio.to_thread(back_up, database_url, backup)
    writing.set()
    await writer
    await db.dispose()
    assert size > 0 and committed_during  # the copy really ran among writes

    in_backup = _report_ids(backup)
    assert committed_before <= in_backup
    # A snapshot: whatever was written during the copy is there in full or not at all.
    assert in_backup - committed_before <= committed_during

    restored_revision = restore(database_url, backup, known_revisions())
    assert restored_revision in known_revisions()
    db = Database(database_url)
    async with db.transaction() as session:
        ids = set(await session.scalars(select(ProgressReport.id)))
    await db.dispose()
    assert ids == in_backup


async def test_restore_refuses_while_an_instance_runs_and_checks_the_file_first(
    database_url: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.db"
    back_up(database_url, backup)
    with instance_lock(database_url), pytest.raises(AlreadyRunning):
        restore(database_url, backup, known_revisions())

    garbage = tmp_path / "not-a-database.db"
    garbage.write_bytes(b"roviec" * 1000)
    with pytest.raises(BackupError, match="not a SQLite database"):
        restore(database_url, garbage, known_revisions())
    with pytest.raises(BackupError, match="unknown to this version"):
        restore(database_url, backup, {"0001"})
    with pytest.raises(BackupError, match="exists already"):
        back_up(database_url, backup)


def test_postgresql_is_backed_up_with_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="pg_dump"):
        back_up("postgresql+asyncpg://postgres@127.0.0.1:5432/test", tmp_path / "x.db")
