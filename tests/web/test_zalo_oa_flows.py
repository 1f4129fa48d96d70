"""The scheduled and broadcast flows on a Zalo OA: a reminder with its actions, a directive
acknowledged with its button, a head's weekly digest; as on Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from db.models import AuditLog, DirectiveReceipt
from tests.conftest import test_settings
from tests.fakes.zalo_oa_followers import Follower, OAMessage
from tests.harness import FakeClock
from tests.oa_harness import OAUnderTest, running_oa


@pytest.fixture
async def oa(database_url: str, clock: FakeClock) -> AsyncIterator[OAUnderTest]:
    """roviec serving the fake OA (the OA only), with the small province."""
    async with running_oa(test_settings(database_url), clock) as running:
        yield running


async def _job(oa: OAUnderTest, name: str, person: Follower, replies: int) -> list[OAMessage]:
    """Run a scheduled job as of now; the person's next `replies` messages."""
    before = len(person.messages)
    await oa.app.ticker().run(name, oa.clock())
    oa.app.dispatcher.wake()
    return await oa.wait_for(person, before + replies, before)


async def test_a_reminder_carries_its_three_actions_as_buttons(oa: OAUnderTest) -> None:
    lan = await oa.follower("Lan", oa.province.health_focal)

    [reminder] = await _job(oa, "reminders", lan, 1)
    [card] = await oa.tap(lan, "Cập nhật tiến độ")
    await oa.tap(lan, "Đang thực hiện")
    [question] = await oa.say(lan, "80")

    assert "NV-02" in (reminder.text or "") and "còn 3 ngày" in (reminder.text or "")
    assert reminder.button_titles == ["Cập nhật tiến độ", "Đã hoàn thành", "Xin gia hạn"]
    assert "1. Cập nhật tiến độ" in (reminder.text or "")  # desktop Zalo shows no buttons
    assert "Cấp sổ sức khỏe điện tử" in (card.text or "")
    assert "2.000" in (question.text or "")


async def test_a_reminder_action_is_taken_by_its_number_too(oa: OAUnderTest) -> None:
    lan = await oa.follower("Lan", oa.province.health_focal)
    await _job(oa, "reminders", lan, 1)

    [reply] = await oa.say(lan, "3")  # "Xin gia hạn", typed on the desktop

    assert "NV-02" in (reply.text or "") and "Hủy" in (reply.text or "")


async def test_a_directive_reaches_the_oa_and_is_acknowledged_with_its_button(
    oa: OAUnderTest,
) -> None:
    viet = await oa.follower("Việt", oa.province.standing)
    lan = await oa.follower("Lan", oa.province.health_focal)
    await oa.say(viet, "/chidao")
    await oa.say(viet, "Các đơn vị báo cáo kết quả triển khai Đề án 06 trước ngày 20/11.")
    await oa.tap(viet, "Bỏ qua")
    await oa.tap(viet, "Tất cả đơn vị")
    await oa.say(viet, "20/11/2026")
    before = len(lan.messages)
    await oa.tap(viet, "✅ Gửi", replies=2)

    [directive] = await oa.wait_for(lan, before + 1, before)
    [thanks] = await oa.tap(lan, "✅ Đã nhận")

    assert "Các đơn vị báo cáo" in (directive.text or "")
    assert directive.button_titles == ["✅ Đã nhận", "✍️ Phản hồi"]
    assert "Đồng chí đã xác nhận tiếp nhận" in (thanks.text or "")
    async with oa.app.db.read() as session:
        acknowledged = await session.scalar(
            select(func.count())
            .select_from(DirectiveReceipt)
            .where(DirectiveReceipt.acknowledged_at.is_not(None))
        )
        audits = await session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "directive.acknowledged")
        )
    assert (acknowledged, audits) == (1, 1)


async def test_a_head_reads_the_units_week_on_the_oa(oa: OAUnderTest) -> None:
    hung = await oa.follower("Hùng", oa.province.health_head)

    [digest] = await _job(oa, "digest", hung, 1)

    assert "Bản tin tuần: Sở Y tế" in (digest.text or "")
    assert "Nhiệm vụ (2)" in (digest.text or "") and "NV-01" in (digest.text or "")
