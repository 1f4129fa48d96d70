"""The audit log is append-only in the database itself, whatever the code does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from bot.services import audit
from db.engine import Database
from db.models import AuditLog

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.transaction() as session:
        audit.record(session, now=NOW, action="report.submitted", entity="assignment", entity_id=1)
    yield database
    await database.dispose()


async def test_an_audit_entry_cannot_be_changed(db: Database) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.transaction() as session:
            await session.execute(update(AuditLog).values(action="report.erased"))
    async with db.transaction() as session:
        assert await session.scalar(select(AuditLog.action)) == "report.submitted"


async def test_an_audit_entry_cannot_be_deleted(db: Database) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.transaction() as session:
            await session.execute(delete(AuditLog))
    async with db.transaction() as session:
        audit.record(session, now=NOW, action="review.confirmed")  # appending still works
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(AuditLog)) == 2
