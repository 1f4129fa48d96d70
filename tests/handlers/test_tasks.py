"""/nhiemvu: the unit's assignments, overdue first, then by deadline, paged."""

from __future__ import annotations

from datetime import timedelta

from bot.services.people import directory
from db.models import Assignment, Task
from tests.harness import BotUnderTest


async def test_overdue_first_then_by_deadline_with_derived_timing(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    [listing] = await bot.say(lan, "/nhiemvu")
    text = listing.text
    assert text.index("NV-01") < text.index("NV-02") < text.index("MH-01")
    assert "quá hạn 5 ngày" in text
    assert "trong hạn" in text
    assert "NV-03" not in text  # another unit's task


async def test_long_lists_are_paged_with_buttons(bot: BotUnderTest) -> None:
    async with bot.app.db.transaction() as session:
        health = await directory.unit_by_code(session, "SYT")
        assert health is not None
        template = await session.get(Task, 1)
        assert template is not None
        for number in range(10):
            task = Task(group_id=template.group_id, code=f"NV-9{number}", title=f"Việc {number}")
            session.add(task)
            await session.flush()
            deadline = bot.clock().date() + timedelta(days=30 + number)
            session.add(
                Assignment(
                    task_id=task.id or 0,
                    unit_id=health.id or 0,
                    deadline=deadline,
                    original_deadline=deadline,
                )
            )
    lan = await bot.registered(bot.province.health_focal, 501)
    [first] = await bot.say(lan, "/nhiemvu")
    assert "1/3" in first.text and first.button_texts == ["Trang sau ▶"]
    [second] = await bot.tap(lan, "Trang sau ▶")
    assert second.message_id == first.message_id and "2/3" in second.text
    assert second.button_texts == ["◀ Trang trước", "Trang sau ▶"]
    [back] = await bot.tap(lan, "◀ Trang trước")
    assert "1/3" in back.text


async def test_a_unit_without_assignments_is_told_so(bot: BotUnderTest) -> None:
    nam = await bot.registered(bot.province.commune_focal, 505)
    [reply] = await bot.say(nam, "/nhiemvu")
    assert "chưa được giao" in reply.text
