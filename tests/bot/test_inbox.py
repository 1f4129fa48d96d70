"""The inbox keeps each update once, whatever the platform redelivers."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.services import inbox
from db.engine import Database
from db.migrate import upgrade
from db.models import InboxUpdate
from tests.harness import FakeClock


async def test_a_redelivered_update_is_stored_once(database_url: str, clock: FakeClock) -> None:
    db = Database(database_url)
    await upgrade(db)
    update = inbox.Received(42, "501", {"update_id": 42, "message": {"text": "/nhiemvu"}})
    for _ in range(3):
        async with db.transaction() as session:
            await inbox.store(session, "telegram", [update], clock())
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 1
        assert await inbox.pending(session) == [(1, "telegram", "501")]
        assert await inbox.mark_processed(session, 1, clock())
        assert not await inbox.mark_processed(session, 1, clock())  # a second worker loses
    await db.dispose()
