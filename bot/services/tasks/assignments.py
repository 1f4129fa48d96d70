"""The unit's assignments: listing them in the order people need, and the card of one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.timing import Timing, derive_timing
from db.models import Assignment, ProgressReport, Status, Task, TaskGroup


@dataclass(frozen=True)
class AssignmentView:
    """What a person sees of one assignment."""

    id: int
    unit_id: int
    task_code: str
    title: str
    kind: str
    deliverable: str
    group_title: str
    role: str
    deadline: date
    status: str
    progress: int
    timing: Timing
    last_report_at: datetime | None


@dataclass(frozen=True)
class LastReport:
    """The most recent report on an assignment."""

    status: str
    progress: int
    done_text: str
    created_at: datetime


def _view(assignment: Assignment, task: Task, group: TaskGroup, today: date) -> AssignmentView:
    return AssignmentView(
        id=assignment.id or 0,
        unit_id=assignment.unit_id,
        task_code=task.code,
        title=task.title,
        kind=task.kind,
        deliverable=task.deliverable,
        group_title=group.title,
        role=assignment.role,
        deadline=assignment.deadline,
        status=assignment.status,
        progress=assignment.progress,
        timing=derive_timing(assignment.status, assignment.deadline, assignment.done_on, today),
        last_report_at=assignment.last_report_at,
    )


async def list_for_unit(
    session: AsyncSession,
    unit_id: int,
    today: date,
    *,
    offset: int = 0,
    limit: int = 5,
    open_only: bool = False,
) -> tuple[list[AssignmentView], int]:
    """One page of the unit's assignments, overdue first, then by deadline; and the total."""
    where = [col(Assignment.unit_id) == unit_id]
    if open_only:
        where.append(col(Assignment.status) != Status.DONE)
    overdue_first = case(
        ((col(Assignment.status) != Status.DONE) & (col(Assignment.deadline) < today), 0), else_=1
    )
    total = await session.scalar(select(func.count()).select_from(Assignment).where(*where))
    rows = await session.execute(
        select(Assignment, Task, TaskGroup)
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(TaskGroup, col(TaskGroup.id) == Task.group_id)
        .where(*where)
        .order_by(overdue_first, col(Assignment.deadline), col(Task.code))
        .offset(offset)
        .limit(limit)
    )
    return [_view(a, t, g, today) for a, t, g in rows.all()], total or 0


async def find(session: AsyncSession, assignment_id: int, today: date) -> AssignmentView | None:
    """One assignment by id, whoever owns it (callers authorise)."""
    row = (
        await session.execute(
            select(Assignment, Task, TaskGroup)
            .join(Task, col(Task.id) == Assignment.task_id)
            .join(TaskGroup, col(TaskGroup.id) == Task.group_id)
            .where(col(Assignment.id) == assignment_id)
        )
    ).first()
    return _view(*row, today) if row else None


async def last_report(session: AsyncSession, assignment_id: int) -> LastReport | None:
    """The newest report on an assignment, if any."""
    report = await session.scalar(
        select(ProgressReport)
        .where(col(ProgressReport.assignment_id) == assignment_id)
        .order_by(col(ProgressReport.created_at).desc(), col(ProgressReport.id).desc())
        .limit(1)
    )
    if report is None:
        return None
    return LastReport(report.status, report.progress, report.done_text, report.created_at)
