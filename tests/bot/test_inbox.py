"""The inbox keeps each update once, whatever the platform redelivers."""

from __future__ import annotations

from datetime import timedelta

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


async def test_handled_updates_are_emptied_after_the_retention_and_keep_their_keys(
    database_url: str, clock: FakeClock
) -> None:
    db = Database(database_url)
    await upgrade(db)
    old, recent, waiting = (
        inbox.Received(key, "501", {"update_id": key, "message": {"text": "Nguyễn Thị Lan"}})
        for key in (1, 2, 3)
    )
    async with db.transaction() as session:
        await inbox.store(session, "telegram", [old, recent, waiting], clock())
        await inbox.mark_processed(session, 1, clock())
    clock.advance(days=29)
    async with db.transaction() as session:
        await inbox.mark_processed(session, 2, clock())
    clock.advance(days=2)
    for expected in (1, 0):  # a second run rewrites nothing
        async with db.transaction() as session:
            assert await inbox.prune(session, clock() - timedelta(days=30)) == expected
    async with db.transaction() as session:
        rows = {r.update_key: r.payload for r in await session.scalars(select(InboxUpdate))}
    assert rows == {1: {}, 2: recent.payload, 3: waiting.payload}
    async with db.transaction() as session:  # the key still refuses a redelivery
        await inbox.store(session, "telegram", [old], clock())
        assert await inbox.pending(session) == [(3, "telegram", "501")]
    await db.dispose()
