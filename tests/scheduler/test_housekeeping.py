"""The nightly housekeeping job keeps what people sent no longer than the retention."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.channels.base import Outbound
from bot.services import files, inbox, outbox
from db.models import InboxUpdate, OutboxMessage, OutboxState, StoredFile
from scheduler.housekeeping import keep_house
from tests.harness import BotUnderTest


async def test_a_month_after_a_conversation_only_its_keys_remain(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await bot.say(lan, "/nhiemvu")
    await bot.settled()
    async with bot.app.db.transaction() as session:
        await outbox.enqueue(  # held until next week: kept, however old it is
            session,
            dedupe_key="test:waiting",
            channel="telegram",
            chat_key="501",
            message=Outbound("Nguyễn Thị Lan"),
            now=bot.clock(),
            not_before=bot.clock() + timedelta(days=7),
        )
    ctx = bot.app.job_context()
    assert await keep_house(ctx, bot.clock() + timedelta(days=29)) == 0
    async with bot.app.db.transaction() as session:
        assert all(row.payload for row in await session.scalars(select(InboxUpdate)))
    await keep_house(ctx, bot.clock() + timedelta(days=31))
    async with bot.app.db.transaction() as session:
        updates = (await session.scalars(select(InboxUpdate))).all()
        messages = (await session.scalars(select(OutboxMessage))).all()
    assert len(updates) == 2 and all(row.payload == {} for row in updates)
    sent = [m for m in messages if m.state == OutboxState.SENT]
    assert sent and all(m.payload == {} and m.dedupe_key for m in sent)
    [waiting] = [m for m in messages if m.state == OutboxState.PENDING]
    assert waiting.payload["text"] == "Nguyễn Thị Lan"
    async with bot.app.db.transaction() as session:  # handled updates are still recognised
        assert await inbox.pending(session) == []


async def test_expired_charts_and_exports_are_deleted_and_evidence_is_kept(
    bot: BotUnderTest,
) -> None:
    now = bot.clock()
    async with bot.app.db.transaction() as session:
        await files.store(
            session, b"\x89PNG\r\n\x1a\n chart", "photo.png", now, now + timedelta(days=7)
        )
        await files.store(session, b"\xff\xd8\xff evidence", "anh.jpg", now, None)
    ctx = bot.app.job_context()
    await keep_house(ctx, now + timedelta(days=6))
    assert await bot.count(StoredFile) == 2
    await keep_house(ctx, now + timedelta(days=8))
    async with bot.app.db.transaction() as session:
        [kept] = (await session.scalars(select(StoredFile))).all()
    assert kept.name == "anh.jpg" and kept.expires_at is None
