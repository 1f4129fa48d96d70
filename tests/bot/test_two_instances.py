"""Two instances share one inbox and one outbox: every update is handled once, each chat's
in order, and every notice is sent once, whichever instance takes it."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import open_app, utc_now
from bot.channels.base import Outbound
from bot.processor import Processor
from bot.services import inbox, outbox
from db.engine import Database
from db.migrate import upgrade
from db.models import Conversation, InboxUpdate, Official, OutboxMessage, OutboxState
from tests.conftest import test_settings
from tests.fakes.balancer import Balancer
from tests.fakes.telegram_api import FakeTelegram, SentMessage
from tests.harness import FakeClock, free_port
from tests.instances import start_instance, telegram_env
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


OFFICERS = 12
UPDATES_EACH = 25
NOTICES = 1000
FIRST_OFFICER, FIRST_NOTICE_CHAT = 40_000, 30_000
# Each command's answer, told apart by how it begins (the bot speaks Vietnamese).
ANSWERS = {
    "/nhiemvu": "Nhiệm vụ của",
    "/trogiup": "Đồng chí được đăng ký",
    "/huy": "Đã hủy",
    "/baocao": "Đồng chí báo cáo nhiệm vụ nào",
}


async def _officers_of_one_unit(url: str) -> None:
    """The small province and OFFICERS more focal officers of Sở Y tế, each registered."""
    clock = FakeClock(utc_now())
    app = await open_app(test_settings(url), clock)
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
        lan = await session.get(Official, province.health_focal)
        assert lan is not None
        for number in range(OFFICERS):
            official = Official(name=f"Cán bộ {number}", role="focal", unit_id=lan.unit_id)
            session.add(official)
            await session.flush()
            await bind_account(session, official.id or 0, str(FIRST_OFFICER + number), clock())
    await app.db.dispose()


def _answered(message: SentMessage) -> str:
    """The command a message of the bot answers (else its first words)."""
    text = message.text or ""
    return next((c for c, start in ANSWERS.items() if text.startswith(start)), text[:40])


async def _delivered(db: Database) -> bool:
    """Whether every stored update is handled and every queued message sent."""
    async with db.read() as session:
        waiting = await session.scalar(
            select(func.count()).where(InboxUpdate.processed_at.is_(None))
        )
        unsent = await session.scalar(
            select(func.count()).where(OutboxMessage.state != OutboxState.SENT)
        )
    return waiting == 0 and unsent == 0


@pytest.mark.slow  # tens of seconds: started first (tests/conftest.py)
async def test_two_roviec_runs_behind_one_webhook_deliver_each_notice_once_and_each_chat_in_order(
    postgres_url: str, tmp_path: Path
) -> None:
    await _officers_of_one_unit(postgres_url)
    telegram = FakeTelegram()
    await telegram.start()
    telegram.webhook_retry_seconds = 0.02
    officers = [telegram.person(FIRST_OFFICER + n) for n in range(OFFICERS)]
    noticed = [telegram.person(FIRST_NOTICE_CHAT + n) for n in range(NOTICES)]
    ports = [free_port(), free_port()]
    balancer = Balancer([f"http://127.0.0.1:{port}" for port in ports])
    await balancer.start()
    tokens = ["123456:INSTANCE-A", "123456:INSTANCE-B"]  # one bot; spelt apart for the fake
    instances = [
        start_instance(
            telegram_env(
                telegram,
                postgres_url,
                telegram_token=token,
                public_url=balancer.url,
                listen=f"127.0.0.1:{port}",
                rate_overall_per_second="500",  # each; Telegram allows a bot 30
                rate_per_chat_per_second="100",
                catch_up_hours="0",  # the small province's reminders are not this test's
            ),
            tmp_path / f"roviec-{name}.log",
        )
        for name, token, port in zip("ab", tokens, ports, strict=True)
    ]
    db = Database(postgres_url)
    said = {
        person.user_id: random.Random(person.user_id).choices(list(ANSWERS), k=UPDATES_EACH)
        for person in officers
    }
    try:
        await telegram.wait_until(lambda: len(telegram.requests("setWebhook")) == 2, timeout=30)
        # Each officer sends a burst: the balancer hands a chat's consecutive updates to
        # one instance, then the other, so both take the same chat at once.
        for number, person in enumerate(officers):
            for text in said[person.user_id]:
                await person.send(text)
            if number == 0:  # both dispatchers find 1,000 notices while updates arrive
                notices = [
                    outbox.Envelope(f"notice:{n}", "telegram", str(p.user_id), Outbound(f"TB {n}"))
                    for n, p in enumerate(noticed)
                ]
                async with db.transaction() as session:
                    await outbox.enqueue_many(session, notices, utc_now())
        await telegram.wait_until(
            lambda: (
                all(p.messages for p in noticed)
                and all(len(p.messages) >= UPDATES_EACH for p in officers)
            ),
            timeout=90,
        )
        for _ in range(100):
            if await _delivered(db):
                break
            await asyncio.sleep(0.1)
        async with db.read() as session:
            rows = (await session.scalars(select(InboxUpdate))).all()
            versions = dict(
                (await session.execute(select(Conversation.user_key, Conversation.version))).all()
            )
            states = dict(
                (
                    await session.execute(
                        select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
                    )
                ).all()
            )
    finally:
        codes = [await instance.stop() for instance in instances]
        await db.dispose()
        await balancer.stop()
        await telegram.stop()
    assert codes == [0, 0], [instance.tail() for instance in instances]

    # Both instances worked: each took updates from the balancer and sent messages.
    assert balancer.taken_by(0) > 0 and balancer.taken_by(1) > 0
    assert all(telegram.sent_with[token] > 0 for token in tokens), telegram.sent_with
    # Every notice once, to its own chat.
    assert [[m.text for m in p.messages] for p in noticed] == [[f"TB {n}"] for n in range(NOTICES)]
    assert states == {OutboxState.SENT: NOTICES + OFFICERS * UPDATES_EACH}
    # Every update handled once (each /baocao and /huy moves the conversation on once) and
    # each chat's answers in the order of its messages.
    assert len(rows) == OFFICERS * UPDATES_EACH
    assert all(row.processed_at is not None and row.attempts == 0 for row in rows)
    for person in officers:
        assert [_answered(m) for m in person.messages] == said[person.user_id]
        moves = sum(text in ("/baocao", "/huy") for text in said[person.user_id])
        assert versions[str(person.user_id)] == moves
