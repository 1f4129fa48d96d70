"""Planning reminders and overdue alerts as of an instant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.services.dates.calendar import WorkCalendar
from bot.services.reminders import plan_overdue, plan_reminders, reminder_day
from db.engine import Database
from db.migrate import upgrade
from db.models import Assignment
from tests.conftest import test_settings
from tests.province import Province, bind_account, build_province

CALENDAR = WorkCalendar()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time in Hà Nội as a UTC instant."""
    return (
        datetime(day.year, day.month, day.day, hour - 7, minute, tzinfo=UTC)
        if hour >= 7
        else datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)
    )


@dataclass
class World:
    db: Database
    province: Province

    async def deadline(self, assignment_id: int, day: date, status: str = "in_progress") -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(Assignment)
                .where(Assignment.id == assignment_id)
                .values(deadline=day, status=status)
            )


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = Database(database_url)
    await upgrade(db)
    now = datetime(2026, 11, 16, 2, tzinfo=UTC)
    async with db.transaction() as session:
        province = await build_province(session, now)
        await bind_account(session, province.health_focal, "501", now)
        await bind_account(session, province.health_head, "502", now)
        await bind_account(session, province.standing, "509", now)
    yield World(db, province)
    await db.dispose()


async def _reminders(world: World, now: datetime) -> dict[int, int]:
    async with world.db.read() as session:
        notices = await plan_reminders(session, now, test_settings("sqlite+aiosqlite://"), CALENDAR)
    return {n.assignment_id: n.days for n in notices}


def test_a_reminder_falling_on_tet_moves_to_the_next_working_day() -> None:
    # Deadline Thursday 18/02/2027: T-7 is 11/02, the last day of the Tết break.
    assert reminder_day(date(2027, 2, 18), 7, CALENDAR) == date(2027, 2, 11)
    assert reminder_day(date(2027, 2, 15), 7, CALENDAR) == date(2027, 2, 11)  # from Mon 08/02
    # Never after the deadline: a deadline on a Sunday is reminded on the Friday before.
    assert reminder_day(date(2026, 11, 29), 0, CALENDAR) == date(2026, 11, 27)


async def test_t7_t3_t1_and_the_day_itself(world: World) -> None:
    task = world.province.due_soon
    await world.deadline(task, date(2026, 12, 10))  # a Thursday
    assert (await _reminders(world, at(date(2026, 12, 3), 8, 5))).get(task) == 7
    assert (await _reminders(world, at(date(2026, 12, 7), 8, 5))).get(task) == 3
    assert (await _reminders(world, at(date(2026, 12, 9), 8, 5))).get(task) == 1
    assert (await _reminders(world, at(date(2026, 12, 10), 8, 5))).get(task) == 0


async def test_no_reminder_before_eight_on_days_off_or_for_finished_work(world: World) -> None:
    task = world.province.due_soon
    await world.deadline(task, date(2026, 12, 10))
    assert task not in await _reminders(world, at(date(2026, 12, 3), 7, 59))
    assert task not in await _reminders(world, at(date(2026, 12, 5), 9))  # Saturday
    await world.deadline(task, date(2026, 12, 10), status="done")
    assert task not in await _reminders(world, at(date(2026, 12, 3), 8, 5))


async def test_during_tet_nothing_and_afterwards_the_reminder_comes(world: World) -> None:
    task = world.province.due_soon
    await world.deadline(task, date(2027, 2, 15))
    assert await _reminders(world, at(date(2027, 2, 8), 8, 5)) == {}  # Tết
    assert (await _reminders(world, at(date(2027, 2, 11), 8, 5))).get(task) == 7


async def test_overdue_goes_to_the_focal_the_head_and_after_seven_days_the_standing_office(
    world: World,
) -> None:
    settings = test_settings("sqlite+aiosqlite://")
    overdue = world.province.overdue
    await world.deadline(overdue, date(2026, 11, 20))  # Friday
    await world.deadline(world.province.due_soon, date(2027, 1, 15))
    async with world.db.read() as session:
        monday = await plan_overdue(session, at(date(2026, 11, 23), 8, 35), settings, CALENDAR)
        later = await plan_overdue(session, at(date(2026, 11, 30), 8, 35), settings, CALENDAR)
        sunday = await plan_overdue(session, at(date(2026, 11, 29), 8, 35), settings, CALENDAR)
    assert [(n.assignment_id, n.days) for n in monday.focal] == [(overdue, 3)]
    assert [n.official_id for n in monday.head] == [world.province.health_head]
    assert monday.standing == []
    assert [n.assignment_id for n in later.standing] == [overdue]
    assert later.responsible[overdue] == "Nguyễn Thị Lan"
    assert sunday.focal == sunday.head == sunday.standing == []
