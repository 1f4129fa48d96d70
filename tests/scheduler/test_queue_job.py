"""The `queues` job: the standing office is recalled what has waited on it too long."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from bot.app import utc_now
from bot.services.dates.calendar import WorkCalendar
from bot.services.people import accounts
from bot.services.reports import submission as reports
from db.engine import Database
from db.migrate import upgrade
from db.models import Assignment, ExtensionRequest, Official, OutboxMessage
from scheduler.jobs import JobContext
from scheduler.queues import queue_job, recall_queues
from scheduler.schedule import all_jobs
from tests.conftest import test_settings
from tests.province import ZONE, Province, bind_account, build_province

MONDAY = datetime(2026, 11, 16, 2, tzinfo=UTC)  # Monday 16/11/2026, 09:00 in Hà Nội


def at(day: int, hour: int = 8, minute: int = 15) -> datetime:
    """That day of November 2026 at a local time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZONE)


@dataclass
class World:
    """The province with accounts, a result reported done and a request, both on Monday."""

    db: Database
    province: Province
    ctx: JobContext


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        province = await build_province(session, MONDAY)
        for official_id in (province.standing, province.health_focal):
            await bind_account(session, official_id, str(900 + official_id), MONDAY)
        await session.execute(update(Official).values(locale="en"))
        focal = await accounts.identify(session, "telegram", str(900 + province.health_focal))
        assert focal is not None
        draft = {"status": "done", "progress": 100, "done_text": "Đã cấp 10.000 sổ"}
        await reports.submit(
            session,
            focal,
            province.due_soon,
            draft,
            channel="telegram",
            now=MONDAY,
            today=MONDAY.astimezone(ZONE).date(),
        )
        session.add(
            ExtensionRequest(
                assignment_id=province.overdue,
                requested_by=province.health_focal,
                current_deadline=date(2026, 11, 11),
                requested_deadline=date(2026, 12, 31),
                reason="Chờ kinh phí",
                created_at=MONDAY,
            )
        )
    settings = test_settings(database_url)
    yield World(db, province, JobContext(db, settings, WorkCalendar(), utc_now))
    await db.dispose()


async def _sent(world: World) -> list[OutboxMessage]:
    async with world.db.transaction() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _text(message: OutboxMessage) -> str:
    return str(message.payload.get("text") or "")


async def test_nothing_is_recalled_before_the_working_days_have_passed(world: World) -> None:
    assert world.ctx.settings.queue_reminder_working_days == 2
    assert await recall_queues(world.ctx, at(17)) == 0  # Tuesday: one working day


async def test_after_two_working_days_the_standing_office_is_recalled_once_a_day(
    world: World,
) -> None:
    assert await recall_queues(world.ctx, at(18)) == 1  # Wednesday: two working days
    assert await recall_queues(world.ctx, at(18, 10)) == 0  # the same day: nothing new
    [message] = await _sent(world)
    assert message.chat_key == str(900 + world.province.standing)
    text = _text(message)
    assert "1 result reported done has waited 2+ working days" in text
    assert "[NV-02]" in text and "Reported done 16/11/2026 by Nguyễn Thị Lan" in text
    assert "1 extension request has waited 2+ working days" in text
    assert "[NV-01]" in text and "11/11/2026 → 31/12/2026" in text and "Chờ kinh phí" in text
    assert "/xacnhan" in text and "/xetgiahan" in text
    assert await recall_queues(world.ctx, at(19)) == 1  # Thursday: recalled again


async def test_no_recall_on_a_day_off_or_in_quiet_hours(world: World) -> None:
    assert await recall_queues(world.ctx, at(21)) == 0  # Saturday
    assert await recall_queues(world.ctx, at(18, 22)) == 0  # Wednesday, 22:00
    assert await _sent(world) == []


async def test_decided_work_is_not_recalled(world: World) -> None:
    async with world.db.transaction() as session:
        await session.execute(
            update(Assignment)
            .where(Assignment.id == world.province.due_soon)
            .values(review="confirmed")
        )
        await session.execute(update(ExtensionRequest).values(decision="refused"))
    assert await recall_queues(world.ctx, at(25)) == 0


async def test_only_the_late_queue_is_named(world: World) -> None:
    async with world.db.transaction() as session:
        await session.execute(update(ExtensionRequest).values(decision="approved"))
    assert await recall_queues(world.ctx, at(18)) == 1
    [message] = await _sent(world)
    assert "[NV-02]" in _text(message) and "extension request" not in _text(message)


async def test_the_number_of_working_days_and_the_time_are_settings(world: World) -> None:
    settings = world.ctx.settings.model_copy(
        update={"queue_reminder_working_days": 5, "queue_reminder_time": time(9, 45)}
    )
    ctx = JobContext(world.db, settings, WorkCalendar(), utc_now)
    assert await recall_queues(ctx, at(20)) == 0  # Friday: four working days
    assert await recall_queues(ctx, at(23)) == 1  # Monday: five
    job = queue_job(settings)
    fire = job.trigger.get_next_fire_time(None, at(23))
    assert fire is not None and fire.astimezone(ZONE).time() == time(9, 45)
    assert "queues" in [j.name for j in all_jobs(settings)]


async def test_messages_go_at_the_clock_of_the_context(world: World) -> None:
    later = at(18) + timedelta(hours=30)
    ctx = JobContext(world.db, world.ctx.settings, WorkCalendar(), lambda: later)
    assert await recall_queues(ctx, at(18)) == 1
    [message] = await _sent(world)
    assert message.not_before.astimezone(UTC) == later.astimezone(UTC)


async def test_the_oldest_three_are_quoted_and_the_rest_counted(world: World) -> None:
    async with world.db.transaction() as session:
        for assignment in (world.province.later, world.province.education_task):
            session.add(
                ExtensionRequest(
                    assignment_id=assignment,
                    requested_by=world.province.health_focal,
                    current_deadline=date(2026, 11, 19),
                    requested_deadline=date(2026, 12, 31),
                    reason="Chờ kinh phí",
                    created_at=MONDAY,
                )
            )
        await session.execute(
            update(Assignment)
            .where(Assignment.id == world.province.due_soon)
            .values(status="in_progress")
        )
        request = ExtensionRequest(
            assignment_id=world.province.due_soon,
            requested_by=world.province.health_focal,
            current_deadline=date(2026, 11, 19),
            requested_deadline=date(2026, 12, 31),
            reason="Chờ kinh phí",
            created_at=MONDAY,
        )
        session.add(request)
    assert await recall_queues(world.ctx, at(18)) == 1
    [message] = await _sent(world)
    text = _text(message)
    assert "4 extension requests have waited 2+ working days" in text
    assert "3. " in text and "4. " not in text and "… and 1 more" in text
    assert "result reported done" not in text  # the claim became in progress again
