"""The outbox dispatcher: retries what Telegram asks to retry, gives up on what it refuses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from bot.channels.base import Outbound
from bot.channels.telegram import TelegramChannel, build_application
from bot.services import outbox
from db.engine import Database
from db.migrate import upgrade
from db.models import ChatAccount, OutboxMessage
from scheduler.dispatcher import Dispatcher
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock
from tests.province import bind_account, build_province


@dataclass
class Post:
    """A database, the fake Telegram and a dispatcher between them."""

    db: Database
    telegram: FakeTelegram
    dispatcher: Dispatcher
    clock: FakeClock

    async def queue(self, key: str, chat: str, text: str) -> None:
        async with self.db.transaction() as session:
            await outbox.enqueue(
                session,
                dedupe_key=key,
                channel="telegram",
                chat_key=chat,
                message=Outbound(text),
                now=self.clock(),
            )

    async def states(self) -> dict[str, str]:
        async with self.db.transaction() as session:
            rows = await session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.state))
            return dict(rows.tuples().all())


@pytest.fixture
async def post(database_url: str, clock: FakeClock) -> AsyncIterator[Post]:
    db = Database(database_url)
    await upgrade(db)
    telegram = FakeTelegram()
    await telegram.start()
    application = build_application("123:ABC", telegram.base_url, telegram.base_file_url)
    await application.initialize()
    channel = TelegramChannel(application)
    try:
        yield Post(db, telegram, Dispatcher(db, {"telegram": channel}, clock), clock)
    finally:
        await application.shutdown()
        await telegram.stop()
        await db.dispose()


async def test_the_same_dedupe_key_is_sent_once(post: Post) -> None:
    lan = post.telegram.person(501)
    await post.queue("remind:1", "501", "Nhắc việc")
    await post.queue("remind:1", "501", "Nhắc việc")
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Nhắc việc"]


async def test_a_429_waits_for_retry_after_then_delivers(post: Post) -> None:
    lan = post.telegram.person(501)
    post.telegram.fail_next(
        "sendMessage", status=429, description="Too Many Requests", retry_after=30
    )
    await post.queue("a", "501", "Một")
    await post.dispatcher.drain()
    assert lan.messages == [] and (await post.states())["a"] == "pending"
    post.clock.advance(seconds=31)
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Một"]


async def test_later_messages_of_a_chat_wait_for_an_earlier_one(post: Post) -> None:
    lan = post.telegram.person(501)
    post.telegram.fail_next("sendMessage", status=502, description="Bad Gateway")
    await post.queue("a", "501", "Một")
    await post.queue("b", "501", "Hai")
    await post.dispatcher.drain()
    post.clock.advance(minutes=5)
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Một", "Hai"]


async def test_a_blocked_recipient_is_marked_unreachable(post: Post) -> None:
    async with post.db.transaction() as session:
        province = await build_province(session, post.clock())
        await bind_account(session, province.health_focal, "501", post.clock())
    post.telegram.person(501).blocked = True
    await post.queue("a", "501", "Một")
    await post.dispatcher.drain()
    assert (await post.states())["a"] == "failed"
    async with post.db.transaction() as session:
        account = await session.scalar(select(ChatAccount))
        assert account is not None and account.unreachable_at is not None


async def test_messages_left_in_flight_by_a_crash_are_sent_after_restart(post: Post) -> None:
    lan = post.telegram.person(501)
    await post.queue("a", "501", "Một")
    async with post.db.transaction() as session:
        await session.execute(update(OutboxMessage).values(state="sending"))
    await post.dispatcher.drain()
    assert lan.messages == []  # claimed by the crashed process: not ours to send
    assert await post.dispatcher.recover() == 1
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Một"]
