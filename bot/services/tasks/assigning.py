"""Assigning work in the bot: a standing officer creates a task for a lead unit and its
supporting units, and the heads and focal officers of those units are told.

A task created here gets a code `NV-<year>-<NNN>`, numbered per year among the tasks the
bot created; a code already taken (by an imported plan, or by a second officer at the same
moment) is skipped. Every lead and support unit gets its own assignment with the same
deadline, kept as the original deadline too, so a later extension never hides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.dates.reading import DateProblem, read_date
from bot.services.people import directory
from bot.services.people.identity import Identity
from bot.services.people.permissions import Action, may
from bot.services.reports.review import unit_recipients
from bot.services.reports.submission import Recipient
from bot.services.text import read_text
from db.models import Assignment, AssignmentRole, Official, Plan, Task, TaskGroup, Unit

MAX_TITLE = 500
MAX_DELIVERABLE = 1000
MAX_SUPPORT = 30
MAX_YEARS_AHEAD = 5
NUMBER_ATTEMPTS = 20


class TaskRejected(Exception):
    """The draft does not hold together (handlers check each step first; this is the backstop)."""


@dataclass(frozen=True)
class GroupOption:
    """A group of tasks to file the new task under."""

    id: int
    code: str
    title: str


@dataclass(frozen=True)
class Addressee:
    """One reachable account of a unit's head or focal officer, and that unit's assignment."""

    recipient: Recipient
    assignment_id: int
    role: str


@dataclass(frozen=True)
class Created:
    """The stored task, as the assigned units read it, and whom to tell."""

    task_id: int
    code: str
    title: str
    deliverable: str
    deadline: date
    group_title: str
    lead_name: str
    support_names: list[str]
    assigner: str
    addressees: list[Addressee]


def may_assign(official: Official) -> bool:
    """Only the standing office assigns work."""
    return may(official, Action.ASSIGN_TASKS)


def read_deadline(text: str | None, today: date) -> date | DateProblem:
    """A deadline after today and within five years, in any of the accepted date forms."""
    parsed = read_date(text, today)
    if isinstance(parsed, DateProblem):
        return parsed
    if parsed <= today:
        return DateProblem.PAST
    if parsed.year > today.year + MAX_YEARS_AHEAD:
        return DateProblem.TOO_FAR
    return parsed


async def group_page(
    session: AsyncSession, offset: int, limit: int
) -> tuple[list[GroupOption], int]:
    """One page of the task groups, newest plan first, then by code."""
    total = await session.scalar(select(func.count()).select_from(TaskGroup))
    rows = await session.execute(
        select(col(TaskGroup.id), col(TaskGroup.code), col(TaskGroup.title))
        .join(Plan, col(Plan.id) == TaskGroup.plan_id)
        .order_by(col(Plan.id).desc(), col(TaskGroup.code), col(TaskGroup.id))
        .offset(offset)
        .limit(limit)
    )
    return [GroupOption(i, c, t) for i, c, t in rows.all()], int(total or 0)


async def find_group(session: AsyncSession, group_id: int) -> GroupOption | None:
    """A task group by id (from a button), or None."""
    row = (
        await session.execute(
            select(col(TaskGroup.id), col(TaskGroup.code), col(TaskGroup.title)).where(
                col(TaskGroup.id) == group_id
            )
        )
    ).first()
    return GroupOption(*row) if row else None


async def unit_names(session: AsyncSession, unit_ids: list[int]) -> dict[int, str]:
    """Names of the given units by id."""
    if not unit_ids:
        return {}
    rows = await session.execute(
        select(col(Unit.id), col(Unit.name)).where(col(Unit.id).in_(unit_ids))
    )
    return {i: n for i, n in rows.all()}


@dataclass(frozen=True)
class _Checked:
    title: str
    deliverable: str
    deadline: date
    lead: int
    support: list[int]
    group: int


def _check(draft: dict[str, Any], today: date) -> _Checked:
    """The backstop behind the conversation: every field of a draft, or TaskRejected."""
    title = read_text(draft.get("title"), MAX_TITLE).value
    deliverable = read_text(draft.get("deliverable"), MAX_DELIVERABLE).value
    if title is None:
        raise TaskRejected("title")
    if deliverable is None:
        raise TaskRejected("deliverable")
    try:
        deadline = date.fromisoformat(str(draft.get("deadline")))
    except ValueError as error:
        raise TaskRejected("deadline") from error
    if deadline <= today:
        raise TaskRejected("deadline")
    lead, group, support = draft.get("lead"), draft.get("group"), draft.get("support") or []
    if not isinstance(lead, int) or not isinstance(group, int):
        raise TaskRejected("lead or group")
    if not isinstance(support, list) or not all(isinstance(u, int) for u in support):
        raise TaskRejected("support")
    if lead in support or len(set(support)) > MAX_SUPPORT:
        raise TaskRejected("support")
    return _Checked(title, deliverable, deadline, lead, sorted(set(support)), group)


async def _numbered(session: AsyncSession, year: int, fields: dict[str, Any]) -> Task:
    """Insert the task under the next free code of its year."""
    prefix = f"NV-{year}-"
    count = await session.scalar(
        select(func.count()).select_from(Task).where(col(Task.code).startswith(prefix))
    )
    number = int(count or 0)
    for _ in range(NUMBER_ATTEMPTS):
        number += 1
        task = Task(code=f"{prefix}{number:03d}", **fields)
        try:
            # A savepoint keeps the surrounding transaction usable after a taken code.
            async with session.begin_nested():
                session.add(task)
                await session.flush()
        except IntegrityError:
            continue
        return task
    raise TaskRejected("number")


async def create(
    session: AsyncSession, identity: Identity, draft: dict[str, Any], *, now: datetime, today: date
) -> Created:
    """Store the task and one assignment per unit; return it with the people to tell."""
    if not may_assign(identity.official):
        raise TaskRejected("role")
    checked = _check(draft, today)
    group = await find_group(session, checked.group)
    units = [checked.lead, *checked.support]
    names = await unit_names(session, units)
    working = [u for u in units if await directory.is_working_unit(session, u)]
    if group is None or len(working) != len(units):
        raise TaskRejected("unknown group or unit")
    task = await _numbered(
        session,
        today.year,
        {
            "group_id": group.id,
            "title": checked.title,
            "deliverable": checked.deliverable,
        },
    )
    roles = {checked.lead: AssignmentRole.LEAD} | {
        u: AssignmentRole.SUPPORT for u in checked.support
    }
    assignments = {
        unit: Assignment(
            task_id=task.id or 0,
            unit_id=unit,
            role=role,
            deadline=checked.deadline,
            original_deadline=checked.deadline,
        )
        for unit, role in roles.items()
    }
    session.add_all(assignments.values())
    await session.flush()
    addressees = [
        Addressee(person, assignments[unit].id or 0, roles[unit])
        for unit in units
        for person in await unit_recipients(session, unit, now)
    ]
    audit.record(
        session,
        now=now,
        action="task.created",
        actor_official_id=identity.official.id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity="task",
        entity_id=task.id,
        after={
            "code": task.code,
            "title": task.title,
            "group": group.code,
            "deliverable": task.deliverable,
            "deadline": checked.deadline.isoformat(),
            "lead_unit_id": checked.lead,
            "support_unit_ids": checked.support,
            "assignment_ids": [a.id for a in assignments.values()],
        },
    )
    return Created(
        task_id=task.id or 0,
        code=task.code,
        title=task.title,
        deliverable=task.deliverable,
        deadline=checked.deadline,
        group_title=group.title,
        lead_name=names[checked.lead],
        support_names=[names[u] for u in checked.support],
        assigner=identity.official.name,
        addressees=addressees,
    )
