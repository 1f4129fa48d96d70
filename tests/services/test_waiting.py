"""What waits on the standing office, at the service level: counts, order, working days."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.services import waiting
from bot.services.dates.calendar import WorkCalendar
from db.engine import Database
from db.migrate import upgrade
from db.models import Assignment, ExtensionRequest, ProgressReport
from tests.province import ZONE, Province, bind_account, build_province

MONDAY = datetime(2026, 11, 16, 2, tzinfo=UTC)  # Monday 16/11/2026, 09:00 in Hà Nội
THURSDAY_MORNING = datetime(2026, 11, 19, 2, tzinfo=UTC)  # Thursday 19/11/2026, 09:00


@dataclass
class World:
    db: Database
    province: Province


async def _claim(db: Database, province: Province, assignment_id: int, at: datetime) -> None:
    """The unit reported the assignment done at `at`; it waits for confirmation."""
    async with db.transaction() as session:
        session.add(
            ProgressReport(
                assignment_id=assignment_id,
                official_id=province.health_focal,
                status="done",
                progress=100,
                done_text="Xong",
                channel="telegram",
                created_at=at,
            )
        )
        await session.execute(
            update(Assignment)
            .where(Assignment.id == assignment_id)
            .values(
                status="done",
                progress=100,
                done_on=at.astimezone(ZONE).date(),
                review="pending",
                last_report_at=at,
            )
        )


async def _request(db: Database, province: Province, assignment_id: int, at: datetime) -> None:
    async with db.transaction() as session:
        session.add(
            ExtensionRequest(
                assignment_id=assignment_id,
                requested_by=province.health_focal,
                current_deadline=date(2026, 11, 19),
                requested_deadline=date(2026, 12, 31),
                reason="Chờ kinh phí",
                created_at=at,
            )
        )


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        province = await build_province(session, MONDAY)
        await bind_account(session, province.standing, "900", MONDAY)
    yield World(db, province)
    await db.dispose()


async def test_counts_take_only_what_still_waits(world: World) -> None:
    db, p = world.db, world.province
    await _claim(db, p, p.due_soon, MONDAY)
    await _claim(db, p, p.overdue, MONDAY)
    await _request(db, p, p.later, MONDAY)
    await _request(db, p, p.education_task, MONDAY)
    async with db.transaction() as session:
        assert await waiting.counts(session) == (2, 2)
        await session.execute(
            update(Assignment).where(Assignment.id == p.overdue).values(review="confirmed")
        )
        await session.execute(
            update(ExtensionRequest)
            .where(ExtensionRequest.assignment_id == p.later)
            .values(decision="approved")
        )
        # A claim stops being one when the unit reports again with another status.
        await session.execute(
            update(Assignment).where(Assignment.id == p.due_soon).values(status="in_progress")
        )
        assert await waiting.counts(session) == (0, 1)


async def test_claims_are_oldest_first_with_working_days_across_a_holiday(world: World) -> None:
    db, p = world.db, world.province
    # Reported on Thursday 31/12/2026 and on Monday 4/1/2027; 1/1 is a public holiday.
    await _claim(db, p, p.overdue, datetime(2027, 1, 4, 2, tzinfo=UTC))
    await _claim(db, p, p.due_soon, datetime(2026, 12, 31, 2, tzinfo=UTC))
    async with db.read() as session:
        found, total = await waiting.claims(session, date(2027, 1, 5), WorkCalendar(), ZONE)
    assert total == 2
    assert [c.assignment_id for c in found] == [p.due_soon, p.overdue]
    first, second = found
    assert first.since == date(2026, 12, 31) and first.reporter == "Nguyễn Thị Lan"
    assert first.working_days == 2  # 4/1 and 5/1: neither 1/1 nor the weekend counts
    assert second.working_days == 1


async def test_requests_page_and_keep_their_order(world: World) -> None:
    db, p = world.db, world.province
    for n, assignment in enumerate([p.later, p.overdue, p.education_task]):
        await _request(db, p, assignment, MONDAY + timedelta(hours=n))
    async with db.read() as session:
        page, total = await waiting.requests(
            session, date(2026, 11, 16), WorkCalendar(), ZONE, offset=1, limit=1
        )
    assert total == 3
    [only] = page
    assert only.request.assignment_id == p.overdue and only.working_days == 0


async def test_overdue_queues_keep_what_waited_long_enough_and_name_the_office(
    world: World,
) -> None:
    db, p = world.db, world.province
    await _claim(db, p, p.overdue, MONDAY)
    await _claim(db, p, p.due_soon, MONDAY + timedelta(days=2))
    await _request(db, p, p.later, MONDAY + timedelta(days=1))
    async with db.read() as session:
        queues = await waiting.overdue_queues(
            session, THURSDAY_MORNING, WorkCalendar(), ZONE, working_days=2
        )
    assert (queues.claims, queues.requests) == (2, 1)
    assert [c.assignment_id for c in queues.late_claims] == [p.overdue]  # 3 working days
    assert [r.request.assignment_id for r in queues.late_requests] == [p.later]  # 2
    assert [r.account.chat_key for r in queues.recipients] == ["900"]


async def test_nothing_waiting_asks_nobody(world: World) -> None:
    async with world.db.read() as session:
        queues = await waiting.overdue_queues(
            session, THURSDAY_MORNING, WorkCalendar(), ZONE, working_days=1
        )
    assert queues.late_claims == queues.late_requests == queues.recipients == []
