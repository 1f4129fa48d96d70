"""The scheduled and broadcast flows on a Zalo bot (no buttons: every choice is numbered):
a reminder and its actions, a directive acknowledged by its number, a head's digest."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from db.models import DirectiveReceipt
from tests.conftest import test_settings
from tests.fakes.zalo_bot_people import BotMessage, ZaloBotPerson
from tests.harness import FakeClock, ZaloBotUnderTest, free_port, running_zalo_bot


@pytest.fixture
async def zalo(database_url: str, clock: FakeClock) -> AsyncIterator[ZaloBotUnderTest]:
    """roviec on the fake Zalo bot, called at its webhook."""
    port = free_port()
    settings = test_settings(
        database_url, public_url=f"http://127.0.0.1:{port}", listen=f"127.0.0.1:{port}"
    )
    async with running_zalo_bot(settings, clock) as running:
        yield running


async def _registered(zalo: ZaloBotUnderTest, name: str, official_id: int) -> ZaloBotPerson:
    person = zalo.zalo.person(name)
    await zalo.say(person, await zalo.invite(official_id))
    return person


async def _job(zalo: ZaloBotUnderTest, name: str, person: ZaloBotPerson) -> BotMessage:
    """Run a scheduled job as of now; the person's next message."""
    before = len(person.messages)
    await zalo.app.ticker().run(name, zalo.clock())
    zalo.app.dispatcher.wake()
    await zalo.zalo.wait_until(lambda: len(person.messages) > before, timeout=10)
    return person.messages[before]


def _number_of(text: str, label: str) -> str:
    """The number the bot put before the choice whose label contains `label`."""
    for line in text.splitlines():
        number, _, rest = line.strip().partition(". ")
        if number.isdecimal() and label in rest:
            return number
    raise AssertionError(f"no choice {label!r} in:\n{text}")


async def test_a_reminder_offers_its_actions_by_number(zalo: ZaloBotUnderTest) -> None:
    lan = await _registered(zalo, "Lan", zalo.province.health_focal)

    reminder = await _job(zalo, "reminders", lan)
    [card] = await zalo.say(lan, _number_of(reminder.text or "", "Cập nhật tiến độ"))
    [progress] = await zalo.say(lan, _number_of(card.text or "", "Đang thực hiện"))
    [question] = await zalo.say(lan, "80")

    assert "NV-02" in (reminder.text or "") and "còn 3 ngày" in (reminder.text or "")
    assert "Cấp sổ sức khỏe điện tử" in (card.text or "")
    assert "phần trăm" in (progress.text or "") and "2.000" in (question.text or "")


async def test_a_directive_is_acknowledged_by_its_number(zalo: ZaloBotUnderTest) -> None:
    viet = await _registered(zalo, "Việt", zalo.province.standing)
    lan = await _registered(zalo, "Lan", zalo.province.health_focal)
    await zalo.say(viet, "/chidao")
    [attachment] = await zalo.say(viet, "Các đơn vị báo cáo kết quả Đề án 06 trước ngày 20/11.")
    [target] = await zalo.say(viet, _number_of(attachment.text or "", "Bỏ qua"))
    await zalo.say(viet, _number_of(target.text or "", "Tất cả đơn vị"))
    [review] = await zalo.say(viet, "20/11/2026")
    before = len(lan.messages)
    await zalo.say(viet, _number_of(review.text or "", "Gửi"), replies=2)
    await zalo.zalo.wait_until(lambda: len(lan.messages) > before, timeout=10)
    directive = lan.messages[before]

    [thanks] = await zalo.say(lan, _number_of(directive.text or "", "Đã nhận"))

    assert "Các đơn vị báo cáo" in (directive.text or "")
    assert "Đồng chí đã xác nhận tiếp nhận" in (thanks.text or "")
    async with zalo.app.db.read() as session:
        acknowledged = await session.scalar(
            select(func.count())
            .select_from(DirectiveReceipt)
            .where(DirectiveReceipt.acknowledged_at.is_not(None))
        )
    assert acknowledged == 1


async def test_a_head_reads_the_units_week_on_zalo(zalo: ZaloBotUnderTest) -> None:
    hung = await _registered(zalo, "Hùng", zalo.province.health_head)

    digest = await _job(zalo, "digest", hung)

    assert "Bản tin tuần: Sở Y tế" in (digest.text or "")
    assert "Nhiệm vụ (2)" in (digest.text or "") and "NV-01" in (digest.text or "")
