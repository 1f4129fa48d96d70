"""The Telegram adapter against the fake Bot API: sends, edits, files, and Telegram's refusals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.channels.base import Attachment, Choice, Outbound
from bot.channels.telegram import TelegramChannel, build_application
from bot.services import inbox
from db.engine import Database
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[FakeTelegram, TelegramChannel]]:
    """The fake server and the adapter pointed at it."""
    fake = FakeTelegram()
    await fake.start()
    application = build_application("123:ABC", fake.base_url, fake.base_file_url)
    await application.initialize()
    try:
        yield fake, TelegramChannel(application)
    finally:
        await application.shutdown()
        await fake.stop()


async def test_a_message_with_choices_becomes_an_inline_keyboard(telegram) -> None:
    fake, channel = telegram
    lan = fake.person(501)
    delivery = await channel.deliver("501", Outbound("Chọn", ((Choice("Có", "r:1:ok"),),)))
    assert delivery.ok and lan.last.button_texts == ["Có"]
    assert lan.last.buttons[0][0].callback_data == "r:1:ok"


async def test_an_edit_replaces_the_message_and_a_missing_one_is_sent_anew(telegram) -> None:
    fake, channel = telegram
    lan = fake.person(501)
    first = await channel.deliver("501", Outbound("Trang 1"))
    await channel.deliver("501", Outbound("Trang 2", edit_message_id=first.message_id))
    assert [m.text for m in lan.messages] == ["Trang 2"]
    await channel.deliver("501", Outbound("Mới", edit_message_id=999))
    assert [m.text for m in lan.messages] == ["Trang 2", "Mới"]


async def test_documents_and_photos_are_uploaded(telegram) -> None:
    fake, channel = telegram
    lan = fake.person(501)
    await channel.deliver(
        "501", Outbound("Báo cáo", document=b"PK\x03\x04", document_name="bc.xlsx")
    )
    await channel.deliver("501", Outbound("Biểu đồ", photo=b"\x89PNG\r\n\x1a\n"))
    assert [(m.kind, m.text) for m in lan.messages] == [
        ("document", "Báo cáo"),
        ("photo", "Biểu đồ"),
    ]
    assert lan.messages[0].file_name == "bc.xlsx"


async def test_a_file_someone_sent_is_sent_again_by_its_id_through_the_outbox(telegram) -> None:
    fake, channel = telegram
    lan = fake.person(501)
    files = [Attachment("document", "cv-15", "CV_15.pdf"), Attachment("photo", "anh-7")]
    for file in files:
        # As the dispatcher does: the message goes through its outbox form first.
        stored = Outbound.from_payload(Outbound("Kèm theo", file=file).to_payload())
        assert stored.file == file
        assert (await channel.deliver("501", stored)).ok
    assert [(m.kind, m.file_id, m.text) for m in lan.messages] == [
        ("document", "cv-15", "Kèm theo"),
        ("photo", "anh-7", "Kèm theo"),
    ]
    assert all(m.upload is None for m in lan.messages)  # nothing was uploaded again


async def test_telegram_refusals_are_classified_for_the_dispatcher(telegram) -> None:
    fake, channel = telegram
    fake.person(501)
    fake.fail_next("sendMessage", status=429, description="Too Many Requests", retry_after=7)
    slow_down = await channel.deliver("501", Outbound("a"))
    assert not slow_down.ok and not slow_down.permanent and slow_down.retry_after == 7
    fake.fail_next("sendMessage", status=502, description="Bad Gateway")
    transient = await channel.deliver("501", Outbound("a"))
    assert not transient.ok and not transient.permanent
    fake.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    blocked = await channel.deliver("501", Outbound("a"))
    assert blocked.permanent and blocked.extra.get("blocked")
    too_long = await channel.deliver("501", Outbound("x" * 4097))
    assert too_long.permanent and not too_long.extra.get("blocked")


async def test_an_edit_that_changes_nothing_counts_as_delivered(telegram) -> None:
    fake, channel = telegram
    fake.person(501)
    first = await channel.deliver("501", Outbound("Tiến độ: 40%"))
    # python-telegram-bot 22 reports this refusal as "Message is not modified: …".
    fake.fail_next(
        "editMessageText",
        status=400,
        description="Bad Request: message is not modified: specified new message content "
        "and reply markup are exactly the same",
    )
    same = await channel.deliver("501", Outbound("Tiến độ: 40%", edit_message_id=first.message_id))
    assert same.ok and same.message_id == first.message_id


async def test_a_stored_update_parses_into_a_neutral_inbound(telegram) -> None:
    fake, channel = telegram
    lan = fake.person(501, "Lan", language_code="vi")
    await lan.send_document("doc-9", "bien_ban.pdf")
    [update] = await channel.bot.get_updates(timeout=0)
    inbound = channel.parse(update.to_dict())
    assert inbound is not None
    assert (inbound.chat_key, inbound.user_key, inbound.language) == ("501", "501", "vi")
    assert inbound.attachments[0].file_id == "doc-9"
    assert inbound.attachments[0].name == "bien_ban.pdf"


async def test_stopping_cancels_the_long_poll_and_loses_no_update(
    telegram, migrated_sqlite_url
) -> None:
    fake, channel = telegram
    db = Database(migrated_sqlite_url)
    clock = FakeClock(datetime(2026, 11, 16, 2, tzinfo=UTC))
    stop = asyncio.Event()
    receiving = asyncio.create_task(channel.receive(db, clock, lambda: None, stop, 30))
    await fake.wait_until(lambda: bool(fake.requests("getUpdates")))
    started = asyncio.get_running_loop().time()
    stop.set()
    await asyncio.wait_for(receiving, timeout=5)
    # Stopping did not wait for the 30-second poll to end.
    assert asyncio.get_running_loop().time() - started < 2
    # What is sent while no one polls stays with Telegram until a later poll confirms it.
    await fake.person(501).send("/nhiemvu")
    assert len(fake.pending_updates) == 1
    stop = asyncio.Event()
    receiving = asyncio.create_task(channel.receive(db, clock, stop.set, stop, 30))
    await asyncio.wait_for(receiving, timeout=5)  # `stored` sets stop after the first batch
    async with db.read() as session:
        assert await inbox.pending(session) == [(1, "telegram", "501")]
    await db.dispose()
