"""The rows the tracking workbook is made of, read from the database.

Every assignment with its task, unit, timing, last report (inside the reporting period, if
one is given) and open blockers; and every indicator with its newest value (for a period:
the value keyed to it or reported in it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.periods import Period
from bot.services.dates.timing import Timing, days_late, derive_timing
from bot.services.digests.criteria import period_bounds
from bot.services.figures import State
from db.models import (
    Assignment,
    Blocker,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Review,
    Status,
    Task,
    Unit,
)


@dataclass
class AssignmentLine:
    """One assignment of the tracking table."""

    unit: str
    task_id: int
    task_code: str
    task_title: str
    kind: str
    group_id: int
    role: str
    status: str
    progress: int
    deadline: date
    done_on: date | None
    review: str | None
    timing: Timing
    days_late: int
    report_day: date | None = None
    report_text: str = ""
    blockers: list[str] = field(default_factory=list)

    @property
    def state(self) -> State:
        """The assignment's state: a done result counts as done once it is confirmed."""
        if self.status != Status.DONE:
            return State(self.status)
        return State.DONE if self.review == Review.CONFIRMED else State.CLAIMED


async def assignment_lines(
    session: AsyncSession, today: date, zone: ZoneInfo, period: Period | None
) -> list[AssignmentLine]:
    """Every assignment with its task and unit, last report (in the period) and open blockers."""
    rows = await session.execute(
        select(Assignment, Task, col(Unit.name))
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .order_by(col(Unit.name), col(Unit.id), col(Assignment.deadline), col(Task.code))
    )
    lines: dict[int, AssignmentLine] = {}
    for assignment, task, unit_name in rows:
        timing = derive_timing(assignment.status, assignment.deadline, assignment.done_on, today)
        lines[assignment.id or 0] = AssignmentLine(
            unit=unit_name,
            task_id=task.id or 0,
            task_code=task.code,
            task_title=task.title,
            kind=task.kind,
            group_id=task.group_id,
            role=assignment.role,
            status=assignment.status,
            progress=assignment.progress,
            deadline=assignment.deadline,
            done_on=assignment.done_on,
            review=assignment.review,
            timing=timing,
            days_late=days_late(assignment.deadline, today),
        )
    # Reports are append-only, so the highest id of an assignment is its newest report.
    newest = select(func.max(ProgressReport.id)).group_by(col(ProgressReport.assignment_id))
    if period is not None:
        start, end = period_bounds(period, zone)
        newest = newest.where(
            col(ProgressReport.created_at) >= start, col(ProgressReport.created_at) < end
        )
    reports = await session.execute(
        select(
            col(ProgressReport.assignment_id),
            col(ProgressReport.created_at),
            col(ProgressReport.done_text),
        ).where(col(ProgressReport.id).in_(newest.scalar_subquery()))
    )
    for assignment_id, created_at, text in reports:
        line = lines[assignment_id]
        line.report_day, line.report_text = created_at.astimezone(zone).date(), text
    blockers = await session.execute(
        select(col(Blocker.assignment_id), col(Blocker.text))
        .where(col(Blocker.resolved_at).is_(None))
        .order_by(col(Blocker.opened_at), col(Blocker.id))
    )
    for assignment_id, text in blockers:
        lines[assignment_id].blockers.append(text)
    return list(lines.values())


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the summary sheet, with its newest value and the period it is for."""

    code: str
    title: str
    unit: str
    kind: str
    direction: str
    target: float
    value: float | None
    period_key: str | None


async def indicator_lines(
    session: AsyncSession, zone: ZoneInfo, period: Period | None
) -> list[IndicatorLine]:
    """Each indicator with its newest value (for the period: keyed to it or reported in it)."""
    newest = select(func.max(IndicatorValue.id)).group_by(col(IndicatorValue.indicator_id))
    if period is not None:
        start, end = period_bounds(period, zone)
        in_period = and_(
            col(IndicatorValue.created_at) >= start, col(IndicatorValue.created_at) < end
        )
        newest = newest.where(or_(col(IndicatorValue.period_key) == period.key, in_period))
    values = {
        indicator_id: (value, key)
        for indicator_id, value, key in await session.execute(
            select(
                col(IndicatorValue.indicator_id),
                col(IndicatorValue.value),
                col(IndicatorValue.period_key),
            ).where(col(IndicatorValue.id).in_(newest.scalar_subquery()))
        )
    }
    rows = await session.execute(
        select(Indicator, col(Unit.name))
        .join(Unit, col(Unit.id) == Indicator.unit_id)
        .order_by(Indicator.code)
    )
    result = []
    for indicator, unit_name in rows:
        value, key = values.get(indicator.id or 0, (None, None))
        result.append(
            IndicatorLine(
                indicator.code,
                indicator.title,
                unit_name,
                indicator.kind,
                indicator.direction,
                indicator.target,
                value,
                key,
            )
        )
    return result
