"""Two instances share one inbox: every update is handled once, each chat's in order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.app import utc_now
from bot.processor import Processor
from bot.services import inbox
from db.engine import Database
from db.migrate import upgrade
from db.models import Conversation, InboxUpdate
from tests.conftest import test_settings
from tests.province import bind_account, build_province
from tests.recording import RecordingChannel

NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
PER_CHAT = 20


async def test_two_processors_handle_each_update_once_and_each_chat_in_order(
    database_url: str,
) -> None:
    setup = Database(database_url)
    await upgrade(setup)
    async with setup.transaction() as session:
        province = await build_province(session, NOW)
        officials = [
            province.health_focal,
            province.health_head,
            province.education_focal,
            province.education_head,
            province.commune_focal,
        ]
        for official in officials:
            await bind_account(session, official, f"chat-{official}", NOW, channel="rec")
    updates = [
        inbox.Received(
            key, f"chat-{official}", {"user": f"chat-{official}", "update": key, "text": "/baocao"}
        )
        for key, official in enumerate(officials * PER_CHAT, start=1)
    ]
    async with setup.transaction() as session:
        await inbox.store(session, "rec", updates, NOW)

    settings = test_settings(database_url)
    instances = [Database(database_url) for _ in range(2)]  # two pools, as two processes have
    processors = [Processor(db, settings, {"rec": RecordingChannel()}, utc_now) for db in instances]
    await asyncio.wait_for(asyncio.gather(*(p.drain() for p in processors)), timeout=120)
    # A chat one instance found busy is taken again by its next collection.
    for _ in range(50):
        async with setup.read() as session:
            waiting = await session.scalar(
                select(func.count()).where(InboxUpdate.processed_at.is_(None))
            )
        if not waiting:
            break
        await asyncio.gather(*(p.drain() for p in processors))
    for db in instances:
        await db.dispose()

    async with setup.read() as session:
        rows = (await session.scalars(select(InboxUpdate).order_by(InboxUpdate.id))).all()
        versions = dict(
            (await session.execute(select(Conversation.user_key, Conversation.version))).all()
        )
    await setup.dispose()
    assert all(row.processed_at is not None and row.attempts == 0 for row in rows)
    # Each /baocao opened the flow anew once: handled twice, a version would count twice.
    assert versions == {f"chat-{official}": PER_CHAT for official in officials}
    for official in officials:
        handled = [row.processed_at for row in rows if row.chat_key == f"chat-{official}"]
        assert handled == sorted(handled), "a chat's updates were handled out of order"
