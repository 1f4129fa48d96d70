"""/tonghop and /quahan through the fake Telegram: each role asks how it stands and is
answered in its own scope; buttons are authorised again on every press."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import Assignment, AuditLog
from tests.harness import BotUnderTest


async def _count_assignments(bot: BotUnderTest, unit_code: str) -> int:
    """Counted straight from the database, independently of the figures service."""
    unit_id = await bot.unit_id(unit_code)
    async with bot.app.db.read() as session:
        found = await session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.unit_id == unit_id)
        )
    return int(found or 0)


async def test_a_focal_officer_sees_the_units_standing(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 811)

    [summary] = await bot.say(lan, "/tonghop")

    text = summary.text or ""
    tasks = await _count_assignments(bot, "SYT") - 1  # one of them is a pilot model
    assert text.startswith("📊 Tổng hợp: Sở Y tế")
    assert f"Nhiệm vụ ({tasks})" in text and "Mô hình điểm (1)" in text
    assert "🏅 Xếp hạng: thứ" in text
    assert "⏳ Chờ xử lý: 0 kết quả chờ xác nhận, 0 đề nghị gia hạn" in text
    assert "NV-01" in text and "quá hạn 5 ngày" in text and "Nguyễn Thị Lan" in text
    assert summary.button_texts == ["🔴 Quá hạn"]  # no other unit to choose


async def test_a_focal_officers_overdue_list_names_days_late_and_who(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 812)

    [overdue] = await bot.say(lan, "/quahan")

    text = overdue.text or ""
    assert "Nhiệm vụ quá hạn của Sở Y tế" in text and "(tổng số 1)" in text
    assert "NV-01" in text and "quá hạn 5 ngày" in text and "Nguyễn Thị Lan" in text
    assert "Sở Giáo dục" not in text


async def test_the_standing_office_sees_the_province_and_chooses_a_unit(
    bot: BotUnderTest,
) -> None:
    viet = await bot.registered(bot.province.standing, 813)

    [province] = await bot.say(viet, "/tonghop")
    assert (province.text or "").startswith("📊 Tổng hợp: toàn tỉnh")
    assert "🏅 Dẫn đầu bảng xếp hạng" in (province.text or "")
    assert province.button_texts == ["🔴 Quá hạn", "Chọn đơn vị"]

    [units] = await bot.tap(viet, "Chọn đơn vị")  # the same message, edited
    assert "Sở Y tế" in units.button_texts and "Sở Giáo dục và Đào tạo" in units.button_texts

    [health] = await bot.tap(viet, "Sở Y tế")
    assert (health.text or "").startswith("📊 Tổng hợp: Sở Y tế")
    assert health.button_texts == ["🔴 Quá hạn", "Chọn đơn vị", "Toàn tỉnh"]

    [again] = await bot.tap(viet, "Toàn tỉnh")
    assert (again.text or "").startswith("📊 Tổng hợp: toàn tỉnh")


async def test_the_standing_office_pages_through_the_provinces_overdue(bot: BotUnderTest) -> None:
    viet = await bot.registered(bot.province.standing, 814)

    [overdue] = await bot.say(viet, "/quahan")

    text = overdue.text or ""
    assert "Nhiệm vụ quá hạn của toàn tỉnh" in text
    assert "• Sở Y tế: NV-01" in text


async def test_a_head_cannot_open_another_units_summary_with_a_forged_button(
    bot: BotUnderTest,
) -> None:
    hung = await bot.registered(bot.province.health_head, 815)
    [own] = await bot.say(hung, "/tonghop")
    education = await bot.unit_id("SGDDT")

    hung.mark()
    await hung.press_data(f"s:0:unit:{education}", own.message_id)
    [refusal] = await hung.wait_for_new(1)
    hung.mark()
    await hung.press_data(f"o:0:page:{education}_0", own.message_id)
    [second] = await hung.wait_for_new(1)

    assert "Sở Giáo dục" not in (refusal.text or "") + (second.text or "")
    assert await bot.count(AuditLog, AuditLog.action == "button.refused") == 2


async def test_english_readers_get_the_summary_in_english(bot: BotUnderTest) -> None:
    await bot.in_english()
    lan = await bot.registered(bot.province.health_focal, 816, language="en")

    [summary] = await bot.say(lan, "/summary")

    assert (summary.text or "").startswith("📊 Summary: Sở Y tế")
    assert "Waiting for a decision" in (summary.text or "")
