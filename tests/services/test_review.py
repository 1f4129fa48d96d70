"""Verifying results and deciding extensions at the service level: races, dates, reminders."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.services.dates.calendar import WorkCalendar
from bot.services.dates.reading import DateProblem, read_date
from bot.services.extensions import dates as extension_dates
from bot.services.extensions import decisions as extension_decisions
from bot.services.extensions import requests as extension_requests
from bot.services.extensions.rules import ExtensionRejected, Refusal
from bot.services.people import accounts, directory
from bot.services.people.identity import Identity
from bot.services.reminders import plan_reminders
from bot.services.reports import review
from bot.services.reports import submission as reports
from db.engine import Database
from db.migrate import upgrade
from db.models import Assignment, AuditLog, ExtensionRequest
from tests.conftest import test_settings
from tests.province import Province, bind_account, build_province

NOW = datetime(2026, 11, 16, 2, tzinfo=UTC)  # Monday 16/11/2026, 09:00 in Hà Nội
TODAY = date(2026, 11, 16)


@dataclass
class World:
    db: Database
    province: Province
    standing_2: int

    async def who(self, user_key: str) -> Identity:
        async with self.db.read() as session:
            identity = await accounts.identify(session, "telegram", user_key)
        assert identity is not None
        return identity


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        province = await build_province(session, NOW)
        mai = await directory.add_official(
            session, name="Vũ Thị Mai", role="standing", unit_code="CA", title="", now=NOW
        )
        for official, key in [
            (province.health_focal, "501"),
            (province.health_head, "502"),
            (province.standing, "509"),
            (mai.id or 0, "510"),
        ]:
            await bind_account(session, official, key, NOW)
    yield World(db, province, mai.id or 0)
    await db.dispose()


async def _report_done(world: World, assignment_id: int) -> None:
    identity = await world.who("501")
    async with world.db.transaction() as session:
        await reports.submit(
            session,
            identity,
            assignment_id,
            {"status": "done", "progress": 100, "done_text": "Đã hoàn thành"},
            channel="telegram",
            now=NOW,
            today=TODAY,
        )


async def test_two_officers_deciding_at_once_change_the_claim_once(world: World) -> None:
    await _report_done(world, world.province.overdue)
    viet, mai = await world.who("509"), await world.who("510")

    async def confirm(identity: Identity) -> bool:
        async with world.db.transaction() as session:
            verdict = await review.confirm(
                session, identity, world.province.overdue, now=NOW, today=TODAY, who="t"
            )
            return verdict.decided

    async def give_back(identity: Identity) -> bool:
        async with world.db.transaction() as session:
            verdict = await review.return_result(
                session, identity, world.province.overdue, "Thiếu biên bản", now=NOW, who="t"
            )
            return verdict.decided

    outcomes = await asyncio.gather(confirm(viet), give_back(mai))
    assert sorted(outcomes) == [False, True]
    async with world.db.read() as session:
        decisions = await session.scalars(
            select(AuditLog.action).where(
                AuditLog.action.in_(["review.confirmed", "review.returned"])
            )
        )
        assert len(list(decisions)) == 1
        assignment = await session.get(Assignment, world.province.overdue)
        assert assignment is not None
        assert (assignment.review == "confirmed") == (assignment.status == "done")


async def test_only_standing_officers_pass_the_service_backstop(world: World) -> None:
    await _report_done(world, world.province.overdue)
    focal = await world.who("501")
    async with world.db.transaction() as session:
        with pytest.raises(review.ReviewRejected):
            await review.confirm(
                session, focal, world.province.overdue, now=NOW, today=TODAY, who="t"
            )
        with pytest.raises(review.ReviewRejected):
            await review.return_result(
                session, focal, world.province.overdue, "Lý do", now=NOW, who="t"
            )
    viet = await world.who("509")
    async with world.db.transaction() as session:
        for reason in ("", "   ", "🙅", "x" * 2001):
            with pytest.raises(review.ReviewRejected):
                await review.return_result(
                    session, viet, world.province.overdue, reason, now=NOW, who="t"
                )


async def test_the_result_counts_by_the_day_it_was_reported_done(world: World) -> None:
    await _report_done(world, world.province.due_soon)  # reported 16/11, due 19/11
    viet = await world.who("509")
    async with world.db.transaction() as session:
        verdict = await review.confirm(
            session,
            viet,
            world.province.due_soon,
            now=NOW,
            today=TODAY + timedelta(days=30),
            who="t",
        )
    assert verdict.timing is not None and verdict.timing.value == "done_on_time"


# --- extensions ---------------------------------------------------------------------------


async def _request(world: World, requested: date, user_key: str = "501") -> int:
    identity = await world.who(user_key)
    async with world.db.transaction() as session:
        result = await extension_requests.submit(
            session,
            identity,
            world.province.due_soon,
            requested,
            "Chờ kinh phí",
            now=NOW,
            today=TODAY,
            who="t",
        )
    return result.request.id


async def test_reminders_follow_the_approved_deadline(world: World) -> None:
    settings = test_settings("sqlite+aiosqlite://")
    calendar = WorkCalendar()
    due = world.province.due_soon  # 19/11/2026: T-3 on Monday 16/11
    async with world.db.read() as session:
        before = {
            n.assignment_id: n.days for n in await plan_reminders(session, NOW, settings, calendar)
        }
    assert before.get(due) == 3
    request_id = await _request(world, date(2026, 12, 10))  # a Thursday
    async with world.db.transaction() as session:
        await extension_decisions.decide(
            session, await world.who("509"), request_id, approve=True, note=None, now=NOW, who="t"
        )
    async with world.db.read() as session:
        today = {
            n.assignment_id: n.days for n in await plan_reminders(session, NOW, settings, calendar)
        }
        assignment = await session.get(Assignment, due)
    assert due not in today  # 24 days before the new deadline: nothing is due
    assert assignment is not None and assignment.original_deadline == date(2026, 11, 19)
    t7 = datetime(2026, 12, 3, 1, 5, tzinfo=UTC)  # 08:05 on Thursday 03/12, T-7 of 10/12
    async with world.db.read() as session:
        later = {n.assignment_id: n for n in await plan_reminders(session, t7, settings, calendar)}
    assert later[due].days == 7 and later[due].deadline == date(2026, 12, 10)


async def test_one_open_request_and_one_decision(world: World) -> None:
    request_id = await _request(world, date(2026, 12, 31))
    with pytest.raises(ExtensionRejected) as refused:
        await _request(world, date(2027, 1, 15), user_key="502")
    assert refused.value.why is Refusal.OPEN_REQUEST
    viet, mai = await world.who("509"), await world.who("510")

    async def decide(identity: Identity, approve: bool) -> bool:
        async with world.db.transaction() as session:
            result = await extension_decisions.decide(
                session,
                identity,
                request_id,
                approve=approve,
                note=None if approve else "Không đồng ý",
                now=NOW,
                who="t",
            )
            return result.decided

    outcomes = await asyncio.gather(decide(viet, True), decide(mai, False))
    assert sorted(outcomes) == [False, True]
    async with world.db.read() as session:
        request = await session.get(ExtensionRequest, request_id)
        assignment = await session.get(Assignment, world.province.due_soon)
    assert request is not None and assignment is not None
    expected = date(2026, 12, 31) if request.decision == "approved" else date(2026, 11, 19)
    assert assignment.deadline == expected
    # Decided, the assignment may be asked about again.
    await _request(world, date(2027, 2, 1))


async def test_the_database_itself_refuses_a_second_open_request(world: World) -> None:
    """Even code that skips the service's check cannot store two undecided requests."""
    await _request(world, date(2026, 12, 31))
    lan = world.province.health_focal
    second = ExtensionRequest(
        assignment_id=world.province.due_soon,
        requested_by=lan,
        current_deadline=date(2026, 11, 19),
        requested_deadline=date(2027, 1, 15),
        reason="Chờ kinh phí",
        created_at=NOW,
    )
    with pytest.raises(IntegrityError):
        async with world.db.transaction() as session:
            session.add(second)
    # A decided request does not count: the open one is closed, then another may be stored.
    async with world.db.transaction() as session:
        await session.execute(update(ExtensionRequest).values(decision="refused"))
    async with world.db.transaction() as session:
        session.add(second)
    async with world.db.read() as session:
        open_ones = await session.scalar(
            select(func.count())
            .select_from(ExtensionRequest)
            .where(ExtensionRequest.decision.is_(None))
        )
    assert open_ones == 1


async def test_the_extension_backstops(world: World) -> None:
    focal = await world.who("501")
    async with world.db.transaction() as session:
        for requested, why in [
            (date(2026, 11, 18), Refusal.DATE),
            (date(2028, 1, 1), Refusal.DATE),
        ]:
            with pytest.raises(ExtensionRejected) as refused:
                await extension_requests.submit(
                    session,
                    focal,
                    world.province.due_soon,
                    requested,
                    "Lý do",
                    now=NOW,
                    today=TODAY,
                    who="t",
                )
            assert refused.value.why is why
        with pytest.raises(ExtensionRejected) as refused:
            await extension_requests.submit(
                session,
                focal,
                world.province.education_task,
                date(2026, 12, 31),
                "Lý do",
                now=NOW,
                today=TODAY,
                who="t",
            )
        assert refused.value.why is Refusal.OTHER_UNIT
        with pytest.raises(ExtensionRejected) as refused:
            await extension_requests.submit(
                session,
                focal,
                world.province.due_soon,
                date(2026, 12, 31),
                "🙅",
                now=NOW,
                today=TODAY,
                who="t",
            )
        assert refused.value.why is Refusal.REASON
    request_id = await _request(world, date(2026, 12, 31))
    async with world.db.transaction() as session:
        with pytest.raises(ExtensionRejected) as refused:
            await extension_decisions.decide(
                session, focal, request_id, approve=True, note=None, now=NOW, who="t"
            )
        assert refused.value.why is Refusal.ROLE
        with pytest.raises(ExtensionRejected) as refused:
            await extension_decisions.decide(
                session,
                await world.who("509"),
                request_id,
                approve=False,
                note="  ",
                now=NOW,
                who="t",
            )
        assert refused.value.why is Refusal.REASON


# --- reading dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2026", date(2026, 12, 31)),
        ("5/1/2027", date(2027, 1, 5)),
        ("05/01", date(2027, 1, 5)),  # passed this year: next year's
        ("25/11", date(2026, 11, 25)),  # still ahead this year
        ("16/11", date(2026, 11, 16)),  # today is not "passed"
        ("2027-01-05", date(2027, 1, 5)),
        (" 05.01.2027 ", date(2027, 1, 5)),
        ("29/02", DateProblem.NO_SUCH_DAY),  # neither 2026 nor 2027 has one
        ("31/02/2027", DateProblem.NO_SUCH_DAY),
        ("0/1/2027", DateProblem.NO_SUCH_DAY),
        ("tomorrow", DateProblem.FORMAT),
        ("12/2026", DateProblem.FORMAT),
        ("", DateProblem.FORMAT),
        (None, DateProblem.FORMAT),
    ],
)
def test_read_date(text: str | None, expected: object) -> None:
    assert read_date(text, TODAY) == expected


def test_check_new_deadline() -> None:
    current = date(2026, 11, 19)
    check = extension_dates.check_new_deadline
    assert check(date(2026, 11, 15), current, TODAY) is DateProblem.PAST
    assert check(date(2026, 11, 19), current, TODAY) is DateProblem.NOT_LATER
    assert check(date(2026, 11, 20), current, TODAY) is None
    assert check(date(2027, 11, 19), current, TODAY) is None
    assert check(date(2027, 11, 20), current, TODAY) is DateProblem.TOO_FAR
    # Overdue work: the new date must still be today or later, and within a year of today.
    assert check(date(2026, 11, 15), date(2026, 11, 11), TODAY) is DateProblem.PAST
    assert check(date(2026, 11, 16), date(2026, 11, 11), TODAY) is None
    assert extension_dates.one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_reads_back_in_each_written_form(day: date) -> None:
    for text in (
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),
    ):
        assert read_date(text, TODAY) == day


@given(st.text(max_size=60))
def test_read_date_never_raises(text: str) -> None:
    result = read_date(text, TODAY)
    assert isinstance(result, date | DateProblem)
