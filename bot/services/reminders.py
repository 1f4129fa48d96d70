"""What is due to be said about deadlines as of an instant: reminders before, alerts after.

Each planner is one set-based query over the open assignments in its window, joined to
the people to tell and their reachable accounts; the per-row work left in Python is
date arithmetic on a cached calendar. The planners return plain data; the scheduler
renders and queues it with dedupe keys, so running a planner twice sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import Settings
from bot.services.dates.calendar import WorkCalendar
from bot.services.people.reach import reaches
from db.models import Assignment, ChatAccount, Official, Role, Status, Task, Unit


@dataclass(frozen=True)
class Notice:
    """One assignment to mention to one account."""

    assignment_id: int
    task_code: str
    title: str
    deadline: date
    unit_name: str
    official_id: int
    official_name: str
    locale: str | None
    account_id: int
    channel: str
    chat_key: str
    days: int  # days before the deadline (reminders) or days late (overdue)


def local_today(now: datetime, settings: Settings) -> tuple[date, datetime]:
    """The province's calendar day and local time at `now`."""
    local = now.astimezone(settings.zone)
    return local.date(), local


def reminder_day(deadline: date, days_before: int, calendar: WorkCalendar) -> date:
    """When the T-n reminder goes out: that day or the next working day, not after the deadline."""
    day = calendar.next_working_day(deadline - timedelta(days=days_before))
    if day <= deadline:
        return day
    # A deadline on a day off: remind on the last working day before it instead.
    back = deadline - timedelta(days=days_before)
    while not calendar.is_working_day(back):
        back -= timedelta(days=1)
    return back


Recipient = tuple[Assignment, Task, Unit, Official, ChatAccount]


def _recipients(
    now: datetime,
    *where: ColumnElement[bool],
) -> Select[Assignment, Task, Unit, Official, ChatAccount]:
    """Focal officers responsible for an assignment (named one, else the unit's focals)."""
    return (
        select(Assignment, Task, Unit, Official, ChatAccount)
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .join(
            Official,
            or_(
                col(Official.id) == Assignment.focal_official_id,
                and_(
                    col(Assignment.focal_official_id).is_(None),
                    col(Official.unit_id) == Assignment.unit_id,
                    col(Official.role) == Role.FOCAL,
                ),
            ),
        )
        .join(ChatAccount, reaches(now))
        .where(col(Official.active), *where)
    )


def _notice(row: Recipient, days: int) -> Notice:
    assignment, task, unit, official, account = row
    return Notice(
        assignment.id,
        task.code,
        task.title,
        assignment.deadline,
        unit.name,
        official.id,
        official.name,
        official.locale,
        account.id,
        account.channel,
        account.chat_key,
        days,
    )


async def plan_reminders(
    session: AsyncSession, now: datetime, settings: Settings, calendar: WorkCalendar
) -> list[Notice]:
    """Reminders due by now: for each open assignment the most recent T-n not yet superseded."""
    today, local = local_today(now, settings)
    if (
        not calendar.is_working_day(today)
        or local.time() < settings.reminder_time
        or calendar.is_quiet(local)
    ):
        return []
    offsets = sorted(settings.reminder_days_before)  # most urgent first
    when: Callable[[date, int], date] = cache(lambda d, n: reminder_day(d, n, calendar))
    rows = await session.execute(
        _recipients(
            now,
            col(Assignment.status) != Status.DONE,
            col(Assignment.deadline) >= today,
            col(Assignment.deadline) <= today + timedelta(days=max(offsets) + 14),
        )
    )
    notices = []
    for row in rows:
        deadline = row[0].deadline
        due = next((n for n in offsets if when(deadline, n) <= today), None)
        if due is not None:
            notices.append(_notice(row, due))
    return notices


@dataclass(frozen=True)
class Escalation:
    """Overdue work as of one day, for the three audiences."""

    focal: list[Notice]
    head: list[Notice]  # one Notice per (head account, assignment); grouped when rendered
    standing: list[Notice]  # likewise, per standing officer's account
    responsible: dict[int, str]  # assignment id → the focal officer(s) who answer for it


async def plan_overdue(
    session: AsyncSession, now: datetime, settings: Settings, calendar: WorkCalendar
) -> Escalation:
    """Overdue alerts due today: focal daily, head after N working days, standing after N days."""
    today, local = local_today(now, settings)
    if (
        not calendar.is_working_day(today)
        or local.time() < settings.overdue_time
        or calendar.is_quiet(local)
    ):
        return Escalation([], [], [], {})
    overdue = (col(Assignment.status) != Status.DONE, col(Assignment.deadline) < today)
    focal = [
        _notice(row, (today - row[0].deadline).days)
        for row in await session.execute(_recipients(now, *overdue))
    ]
    late_working = cache(lambda d: calendar.working_days_between(d, today))
    heads = await _people(session, now, today, Role.HEAD, *overdue, same_unit=True)
    head = [
        n for n in heads if late_working(n.deadline) >= settings.overdue_head_after_working_days
    ]
    cutoff = today - timedelta(days=settings.overdue_standing_after_days)
    standing = await _people(
        session, now, today, Role.STANDING, *overdue, col(Assignment.deadline) < cutoff
    )
    responsible = await _responsible(session, {n.assignment_id for n in head + standing})
    return Escalation(focal, head, standing, responsible)


async def _responsible(session: AsyncSession, assignment_ids: set[int]) -> dict[int, str]:
    """Names of the focal officers answering for each assignment, in one query."""
    if not assignment_ids:
        return {}
    rows = await session.execute(
        select(col(Assignment.id), col(Official.name))
        .join(
            Official,
            or_(
                col(Official.id) == Assignment.focal_official_id,
                and_(
                    col(Assignment.focal_official_id).is_(None),
                    col(Official.unit_id) == Assignment.unit_id,
                    col(Official.role) == Role.FOCAL,
                ),
            ),
        )
        .where(col(Assignment.id).in_(assignment_ids), col(Official.active))
        .order_by(col(Official.name))
    )
    names: dict[int, list[str]] = {}
    for assignment_id, name in rows:
        names.setdefault(assignment_id, []).append(name)
    return {key: ", ".join(value) for key, value in names.items()}


async def _people(
    session: AsyncSession,
    now: datetime,
    today: date,
    role: Role,
    *where: ColumnElement[bool],
    same_unit: bool = False,
) -> list[Notice]:
    """Overdue assignments paired with every reachable account of officials in `role`."""
    scope = (
        col(Official.unit_id) == Assignment.unit_id if same_unit else col(Official.id).is_not(None)
    )
    rows = await session.execute(
        select(Assignment, Task, Unit, Official, ChatAccount)
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .join(Official, and_(col(Official.role) == role, col(Official.active), scope))
        .join(ChatAccount, reaches(now))
        .where(*where)
        .order_by(col(Assignment.deadline), col(Task.code))
    )
    return [_notice(row, (today - row[0].deadline).days) for row in rows]
