"""/giaoviec through the fake Telegram: a standing officer assigns a task and the units hear."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from db.models import (
    Assignment,
    AuditLog,
    Official,
    Task,
    TaskGroup,
    Unit,
)
from tests.fakes.telegram_people import FakePerson
from tests.harness import BotUnderTest

STANDING, FOCAL_HEALTH, HEAD_HEALTH, FOCAL_EDU = 801, 802, 803, 804
TITLE = "Thanh toán viện phí không dùng tiền mặt tại bệnh viện công lập"
DELIVERABLE = "Báo cáo kết quả; 100% bệnh viện công lập thu viện phí không dùng tiền mặt"


async def _people(bot: BotUnderTest, language: str = "en") -> dict[int, FakePerson]:
    if language == "en":
        await bot.in_english()
    p = bot.province
    return {
        STANDING: await bot.registered(p.standing, STANDING, language=language),
        FOCAL_HEALTH: await bot.registered(p.health_focal, FOCAL_HEALTH, language=language),
        HEAD_HEALTH: await bot.registered(p.health_head, HEAD_HEALTH, language=language),
        FOCAL_EDU: await bot.registered(p.education_focal, FOCAL_EDU, language=language),
    }


async def _assign_up_to(bot: BotUnderTest, viet: FakePerson, step: str) -> None:
    """Walk the standing officer's new task (Sở Y tế leads, Sở GD&ĐT supports) up to `step`."""
    await bot.say(viet, "/giaoviec")
    if step == "title":
        return
    await bot.say(viet, TITLE)
    if step == "lead":
        return
    await bot.tap(viet, "Sở Y tế")
    if step == "support":
        return
    await bot.tap(viet, "▫️ Sở Giáo dục và Đào tạo")
    await bot.tap(viet, "Done choosing")
    if step == "deadline":
        return
    await bot.say(viet, "31/12/2026")
    if step == "deliverable":
        return
    await bot.say(viet, DELIVERABLE)
    if step == "group":
        return
    await bot.tap(viet, "N1 · Dịch vụ công trực tuyến")
    assert step == "confirm"


async def _new_tasks(bot: BotUnderTest) -> list[Task]:
    async with bot.app.db.read() as session:
        return list(await session.scalars(select(Task).where(Task.code.startswith("NV-2026-"))))


async def test_the_standing_officer_assigns_a_task_and_the_units_are_told(
    bot: BotUnderTest,
) -> None:
    people = await _people(bot)
    viet, lan, hung, tuan = (people[k] for k in (STANDING, FOCAL_HEALTH, HEAD_HEALTH, FOCAL_EDU))
    await _assign_up_to(bot, viet, "support")
    assert "Choose the supporting units (phối hợp), 0 chosen" in viet.last.text
    # The lead unit is not offered as its own supporter.
    assert "▫️ Sở Y tế" not in viet.last.button_texts
    await bot.tap(viet, "▫️ UBND xã Diễn Châu")
    await bot.tap(viet, "✅ UBND xã Diễn Châu")  # chosen by mistake, removed again
    await bot.tap(viet, "▫️ Sở Giáo dục và Đào tạo")
    assert "2 chosen" not in viet.last.text and "1 chosen" in viet.last.text
    await bot.tap(viet, "Done choosing")
    await bot.say(viet, "31/12/2026")
    assert "deliverable (sản phẩm)" in viet.last.text
    await bot.say(viet, DELIVERABLE)
    [review] = await bot.tap(viet, "N1 · Dịch vụ công trực tuyến")
    assert TITLE in review.text and "• Lead unit: Sở Y tế" in review.text
    assert "• Supporting units: Sở Giáo dục và Đào tạo" in review.text
    assert "Thursday, 31/12/2026" in review.text and DELIVERABLE in review.text
    assert await _new_tasks(bot) == []  # nothing is stored before the officer confirms

    for person in (lan, hung, tuan):
        person.mark()
    [done] = await bot.tap(viet, "✅ Assign")
    assert done.text == "Task NV-2026-001 is assigned to 2 units; 3 officials told."
    [to_lan] = await lan.wait_for_new(1)
    [to_hung] = await hung.wait_for_new(1)
    [to_tuan] = await tuan.wait_for_new(1)
    for message in (to_lan, to_hung):
        assert message.text.startswith("📌 New task NV-2026-001 for your unit (lead):")
    assert to_tuan.text.startswith("📌 New task NV-2026-001 for your unit (support):")
    for message in (to_lan, to_hung, to_tuan):
        assert TITLE in message.text and DELIVERABLE in message.text
        assert "Deadline: Thursday, 31/12/2026" in message.text
        assert "Assigned by: Đặng Quốc Việt" in message.text
        assert message.button_texts == ["Update progress", "Done", "Ask for an extension"]

    [task] = await _new_tasks(bot)
    async with bot.app.db.read() as session:
        group = await session.get(TaskGroup, task.group_id)
        rows = (
            await session.execute(
                select(
                    Unit.code, Assignment.role, Assignment.deadline, Assignment.original_deadline
                )
                .join(Unit, Unit.id == Assignment.unit_id)
                .where(Assignment.task_id == task.id)
                .order_by(Unit.code)
            )
        ).all()
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "task.created"))
    assert (task.title, task.deliverable, group and group.code) == (TITLE, DELIVERABLE, "N1")
    end = date(2026, 12, 31)
    assert [tuple(r) for r in rows] == [("SGDDT", "support", end, end), ("SYT", "lead", end, end)]
    assert entry is not None and entry.actor_official_id == bot.province.standing
    assert entry.after is not None and entry.after["code"] == "NV-2026-001"

    # The focal officer reports on the new task straight from the message.
    [card] = await bot.tap(lan, "Update progress")
    assert "NV-2026-001" in card.text and TITLE in card.text


async def test_it_reads_naturally_in_vietnamese(bot: BotUnderTest) -> None:
    people = await _people(bot, language="vi")
    viet, lan = people[STANDING], people[FOCAL_HEALTH]
    [ask] = await bot.say(viet, "/giaoviec")
    assert "tên nhiệm vụ" in ask.text
    await bot.say(viet, TITLE)
    await bot.tap(viet, "Sở Y tế")
    assert "đơn vị phối hợp" in viet.last.text
    await bot.tap(viet, "Chọn xong")
    assert "thời hạn" in viet.last.text.lower()
    await bot.say(viet, "31/12/2026")
    await bot.say(viet, DELIVERABLE)
    await bot.tap(viet, "N1 · Dịch vụ công trực tuyến")
    lan.mark()
    [done] = await bot.tap(viet, "✅ Giao việc")
    assert "NV-2026-001" in done.text and "1 đơn vị" in done.text
    [told] = await lan.wait_for_new(1)
    assert "Nhiệm vụ mới NV-2026-001" in told.text and "chủ trì" in told.text
    assert "Thời hạn: thứ Năm, 31/12/2026" in told.text


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("!!!", "Please answer in words"),
        ("x" * 501, "That is 501 characters; please keep it within 500."),
    ],
)
async def test_a_title_without_words_or_too_long_is_asked_again(
    bot: BotUnderTest, typed: str, expected: str
) -> None:
    viet = (await _people(bot))[STANDING]
    await _assign_up_to(bot, viet, "title")
    [answer] = await bot.say(viet, typed)
    assert expected in answer.text
    version = (await bot.state(viet))[1]
    [answer] = await bot.say(viet, TITLE)
    assert "Which unit leads" in answer.text and (await bot.state(viet))[1] == version + 1


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("tháng sau", "That is not a date"),
        ("31/02/2027", "That is not a date"),
        ("16/11/2026", "The deadline must be after today (16/11/2026)"),
        ("2025-12-31", "The deadline must be after today"),
        ("01/01/2040", "more than 5 years ahead"),
    ],
)
async def test_a_deadline_that_is_no_date_past_or_too_far_is_asked_again(
    bot: BotUnderTest, typed: str, expected: str
) -> None:
    viet = (await _people(bot))[STANDING]
    await _assign_up_to(bot, viet, "deadline")
    [answer] = await bot.say(viet, typed)
    assert expected in answer.text
    [answer] = await bot.say(viet, "15/1/2027")
    assert "deliverable" in answer.text


@pytest.mark.sqlite_only  # bad input at one step: see tests/conftest.py
async def test_files_and_text_where_a_button_is_expected_change_nothing(
    bot: BotUnderTest,
) -> None:
    viet = (await _people(bot))[STANDING]
    await _assign_up_to(bot, viet, "title")
    viet.mark()
    await viet.send_photo("photo-x")
    [answer] = await viet.wait_for_new(1)
    assert "This step needs text, not a file" in answer.text
    await bot.say(viet, TITLE)
    version = (await bot.state(viet))[1]
    [answer] = await bot.say(viet, "Sở Y tế")
    assert "Please choose one of the buttons above" in answer.text
    assert (await bot.state(viet))[1] == version
    await _assign_up_to(bot, viet, "deliverable")
    [answer] = await bot.say(viet, "y" * 1001)
    assert "keep it within 1,000" in answer.text


async def test_forged_and_stale_buttons_are_refused_and_audited(bot: BotUnderTest) -> None:
    viet = (await _people(bot))[STANDING]
    await _assign_up_to(bot, viet, "lead")
    version = (await bot.state(viet))[1]
    standing_office = await bot.unit_id("CA")
    health = await bot.unit_id("SYT")
    # The standing office cannot lead a task it assigns; the payload was made up.
    viet.mark()
    await viet.press_data(f"n:{version}:ld:{standing_office}", viet.last.message_id)
    [refusal] = await viet.wait_for_new(1)
    assert "can no longer be used" in refusal.text
    await bot.tap(viet, "Sở Y tế")
    version = (await bot.state(viet))[1]
    # The lead cannot also support; a lead button from the earlier step is stale.
    for data in (f"n:{version}:tog:{health}", f"n:{version - 1}:ld:{health}", f"n:{version}:ok"):
        viet.mark()
        await viet.press_data(data, viet.last.message_id)
        await viet.wait_for_new(1)
    assert await bot.count(AuditLog, AuditLog.action == "button.refused") == 4
    assert await _new_tasks(bot) == []


async def test_only_the_standing_office_may_assign(bot: BotUnderTest) -> None:
    people = await _people(bot)
    viet, lan = people[STANDING], people[FOCAL_HEALTH]
    [answer] = await bot.say(lan, "/giaoviec")
    assert answer.text == "Only the standing office can assign tasks. Nothing was recorded."
    # A standing officer moved to another role mid-draft cannot finish it.
    await _assign_up_to(bot, viet, "confirm")
    async with bot.app.db.transaction() as session:
        await session.execute(
            update(Official).where(Official.id == bot.province.standing).values(role="focal")
        )
    [answer] = await bot.tap(viet, "✅ Assign")
    assert "Only the standing office can assign tasks" in answer.text
    assert await bot.count(AuditLog, AuditLog.action == "task.refused") == 2
    assert await _new_tasks(bot) == []


async def test_a_code_already_taken_by_an_imported_task_is_skipped(bot: BotUnderTest) -> None:
    viet = (await _people(bot))[STANDING]
    async with bot.app.db.transaction() as session:
        group_id = await session.scalar(select(TaskGroup.id))
        session.add(Task(group_id=group_id or 0, code="NV-2026-001", title="Đã nhập từ kế hoạch"))
    await _assign_up_to(bot, viet, "confirm")
    [done] = await bot.tap(viet, "✅ Assign")
    assert "Task NV-2026-002 is assigned" in done.text


async def test_cancel_drops_the_draft(bot: BotUnderTest) -> None:
    viet = (await _people(bot))[STANDING]
    await _assign_up_to(bot, viet, "confirm")
    [answer] = await bot.tap(viet, "Cancel")
    assert answer.text == "Cancelled. Nothing was recorded."
    assert await _new_tasks(bot) == []
