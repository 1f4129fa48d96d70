"""A flood from one account: 200 messages and 200 button presses in a burst, at `roviec run`.

The bot stays bounded: each update is handled once and answered once, the flooder's
replies come in the order of what they sent, the outbox holds no more for that chat than it
sent updates, the process's memory does not grow with the flood, and everything is done
within FLOOD_SECONDS. Meanwhile another officer asking /nhiemvu is answered within
OTHERS_WAIT_SECONDS each time, generous for a loaded two-core CI box (a few hundred
milliseconds when the machine is idle).
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import open_app, utc_now
from db.engine import Database
from db.models import Conversation, InboxUpdate, OutboxMessage
from tests.conftest import test_settings
from tests.fakes.telegram_api import FakeTelegram, SentMessage
from tests.harness import FakeClock
from tests.instances import start_instance, telegram_env
from tests.province import bind_account, build_province

FLOODER, OTHER = 601, 602
TYPED = 200
PRESSES = 200
FLOOD_SECONDS = 60.0  # every update handled and answered, from the first push
OTHERS_WAIT_SECONDS = 5.0
MEMORY_GROWTH_MB = 60  # resident memory of the process, after the flood minus before it
# Each command's answer, told apart by how it begins (the bot speaks Vietnamese).
ANSWERS = {
    "/nhiemvu": "Nhiệm vụ của",
    "/trogiup": "Đồng chí được đăng ký",
    "/huy": "Đã hủy",
    "/baocao": "Đồng chí báo cáo nhiệm vụ nào",
}
STALE = "Nút này thuộc bước trước"  # the answer to a button from an earlier step


async def _prepare(url: str) -> None:
    """The small province; Lan (Sở Y tế) floods, Tuấn (Sở GD&ĐT) asks for his tasks."""
    clock = FakeClock(utc_now())  # the instance runs on the real clock
    app = await open_app(test_settings(url), clock)
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
        await bind_account(session, province.health_focal, str(FLOODER), clock())
        await bind_account(session, province.education_focal, str(OTHER), clock())
    await app.db.dispose()


def _resident_mb(pid: int) -> float:
    """The process's resident memory (VmRSS) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _kind(message: SentMessage) -> str:
    """Which command a message of the bot answers (or "stale" for an old button)."""
    text = message.text or ""
    if text.startswith(STALE):
        return "stale"
    return next((c for c, start in ANSWERS.items() if text.startswith(start)), text[:40])


async def _counts(db: Database) -> tuple[int, int, int]:
    """(updates stored, updates handled, the flooder's messages in the outbox)."""
    async with db.read() as session:
        stored = await session.scalar(select(func.count()).select_from(InboxUpdate))
        handled = await session.scalar(
            select(func.count()).where(InboxUpdate.processed_at.is_not(None))
        )
        queued = await session.scalar(
            select(func.count()).where(OutboxMessage.chat_key == str(FLOODER))
        )
    return int(stored or 0), int(handled or 0), int(queued or 0)


@pytest.mark.slow  # tens of seconds: started first (tests/conftest.py)
async def test_a_flood_from_one_account_is_handled_once_in_order_and_starves_nobody(
    database_url: str, tmp_path: Path
) -> None:
    await _prepare(database_url)
    telegram = FakeTelegram()
    await telegram.start()
    lan, tuan = telegram.person(FLOODER, "Lan"), telegram.person(OTHER, "Tuan")
    # Telegram's own limit is one message a second per chat: 400 answers would take minutes.
    env = telegram_env(
        telegram,
        database_url,
        rate_overall_per_second="1000",
        rate_per_chat_per_second="100",
        catch_up_hours="0",  # the small province's reminders would land among the answers
    )
    instance = start_instance(env, tmp_path / "roviec.log")
    db = Database(database_url)
    try:
        await telegram.wait_until(lambda: bool(telegram.requests("getUpdates")), timeout=30)
        lan.mark()
        await lan.send("/baocao")  # the question, with buttons the flood will make stale
        [question] = await lan.wait_for_new(1, timeout=10)
        button = question.buttons[0][0].callback_data
        assert button is not None
        await asyncio.sleep(0.5)  # the process's memory after its first answers
        memory_before = _resident_mb(instance.pid)
        typed = random.Random(11).choices(list(ANSWERS), k=TYPED)
        first_version = (await _conversation(db)).version

        lan.mark()
        started = time.monotonic()
        for text in typed:
            await lan.send(text)
        for _ in range(PRESSES):
            await lan.press_data(button, question.message_id)
        waits = []
        while len(lan.messages) < len(typed) + PRESSES + 1 or not waits:
            asked = time.monotonic()
            tuan.mark()
            await tuan.send("/nhiemvu")
            [answer] = await tuan.wait_for_new(1, timeout=FLOOD_SECONDS)
            waits.append(time.monotonic() - asked)
            assert _kind(answer) == "/nhiemvu"
            assert time.monotonic() - started < FLOOD_SECONDS, await _counts(db)
            await asyncio.sleep(0.2)
        took = time.monotonic() - started
        memory_after = _resident_mb(instance.pid)
        stored, handled, queued = await _counts(db)
        conversation = await _conversation(db)
    finally:
        code = await instance.stop()
        await db.dispose()
        await telegram.stop()
    assert code == 0, instance.tail()

    assert max(waits) < OTHERS_WAIT_SECONDS, waits
    assert took < FLOOD_SECONDS
    flood = len(typed) + PRESSES
    answers = lan.messages[-flood:]
    assert [_kind(m) for m in answers] == [*typed, *["stale"] * PRESSES]
    assert len(lan.messages) == flood + 1  # the question, then one answer each: none twice
    assert len(lan.callback_answers) == PRESSES  # every press answered once
    assert stored == handled == flood + 1 + len(waits)
    assert queued == flood + 1  # one queued answer per update, nothing more
    # /baocao and /huy each start the conversation anew once: counted twice, one ran twice.
    bumps = sum(text in ("/baocao", "/huy") for text in typed)
    assert conversation.version == first_version + bumps
    assert memory_after - memory_before < MEMORY_GROWTH_MB, (memory_before, memory_after)


async def _conversation(db: Database) -> Conversation:
    """The flooder's conversation as stored."""
    async with db.read() as session:
        found = await session.scalar(
            select(Conversation).where(Conversation.user_key == str(FLOODER))
        )
    assert found is not None
    return found
