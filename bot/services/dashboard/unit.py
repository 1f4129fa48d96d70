"""One unit's page: its figures and place, assignments, last reports, blockers, extensions,
indicators. A handful of queries, each bounded by the unit (index on assignment.unit_id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import Settings
from bot.services.dates.periods import Regime, period_of
from bot.services.dates.timing import Timing, days_late, derive_timing
from bot.services.figures import Figures, unit_figures
from bot.services.indicators.achievement import IndicatorView, for_unit
from db.models import (
    Assignment,
    Blocker,
    ExtensionRequest,
    Official,
    ProgressReport,
    Status,
    Task,
    Unit,
)

RECENT = 10  # last reports, extension requests shown


@dataclass(frozen=True)
class AssignmentLine:
    """One assignment in a unit's list."""

    assignment_id: int
    task_code: str
    title: str
    kind: str
    role: str
    deadline: date
    status: str
    review: str | None
    progress: int
    timing: Timing
    days_late: int
    last_report_at: datetime | None


@dataclass(frozen=True)
class ReportLine:
    """A recent progress report of the unit."""

    assignment_id: int
    task_code: str
    official_name: str
    status: str
    progress: int
    done_text: str
    created_at: datetime


@dataclass(frozen=True)
class BlockerLine:
    """An open or resolved blocker of the unit."""

    assignment_id: int
    task_code: str
    text: str
    opened_at: datetime
    resolved_at: datetime | None
    resolution: str | None


@dataclass(frozen=True)
class ExtensionLine:
    """A deadline extension request of the unit and its decision."""

    assignment_id: int
    task_code: str
    current_deadline: date
    requested_deadline: date
    reason: str
    created_at: datetime
    decision: str | None
    decision_note: str | None


@dataclass(frozen=True)
class UnitPage:
    """Everything a unit's page shows."""

    unit: Unit
    figures: Figures
    assignments: tuple[AssignmentLine, ...]
    reports: tuple[ReportLine, ...]
    blockers: tuple[BlockerLine, ...]
    extensions: tuple[ExtensionLine, ...]
    indicators: tuple[IndicatorView, ...]


async def _assignments(
    session: AsyncSession, unit_id: int, today: date
) -> tuple[AssignmentLine, ...]:
    """Every assignment of the unit, overdue first, then by deadline."""
    overdue_first = case(
        ((col(Assignment.status) != Status.DONE) & (col(Assignment.deadline) < today), 0), else_=1
    )
    rows = await session.execute(
        select(Assignment, col(Task.code), col(Task.title), col(Task.kind))
        .join(Task, col(Task.id) == Assignment.task_id)
        .where(col(Assignment.unit_id) == unit_id)
        .order_by(overdue_first, col(Assignment.deadline), col(Task.code))
    )
    return tuple(
        AssignmentLine(
            a.id or 0,
            code,
            title,
            kind,
            a.role,
            a.deadline,
            a.status,
            a.review,
            a.progress,
            timing := derive_timing(a.status, a.deadline, a.done_on, today),
            days_late(a.deadline, today) if timing is Timing.OVERDUE else 0,
            a.last_report_at,
        )
        for a, code, title, kind in rows.all()
    )


async def _reports(session: AsyncSession, unit_id: int) -> tuple[ReportLine, ...]:
    """The unit's latest progress reports, newest first."""
    rows = await session.execute(
        select(ProgressReport, col(Task.code), col(Official.name))
        .join(Assignment, col(Assignment.id) == ProgressReport.assignment_id)
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(Official, col(Official.id) == ProgressReport.official_id)
        .where(col(Assignment.unit_id) == unit_id)
        .order_by(col(ProgressReport.created_at).desc(), col(ProgressReport.id).desc())
        .limit(RECENT)
    )
    return tuple(
        ReportLine(r.assignment_id, code, name, r.status, r.progress, r.done_text, r.created_at)
        for r, code, name in rows.all()
    )


async def _blockers(session: AsyncSession, unit_id: int) -> tuple[BlockerLine, ...]:
    """Open blockers first (oldest first), then the latest resolved ones."""
    rows = await session.execute(
        select(Blocker, col(Task.code))
        .join(Assignment, col(Assignment.id) == Blocker.assignment_id)
        .join(Task, col(Task.id) == Assignment.task_id)
        .where(col(Assignment.unit_id) == unit_id)
        .order_by(col(Blocker.resolved_at).is_not(None), col(Blocker.opened_at).desc())
        .limit(3 * RECENT)
    )
    return tuple(
        BlockerLine(b.assignment_id, code, b.text, b.opened_at, b.resolved_at, b.resolution)
        for b, code in rows.all()
    )


async def _extensions(session: AsyncSession, unit_id: int) -> tuple[ExtensionLine, ...]:
    """The unit's latest extension requests, newest first."""
    rows = await session.execute(
        select(ExtensionRequest, col(Task.code))
        .join(Assignment, col(Assignment.id) == ExtensionRequest.assignment_id)
        .join(Task, col(Task.id) == Assignment.task_id)
        .where(col(Assignment.unit_id) == unit_id)
        .order_by(col(ExtensionRequest.created_at).desc(), col(ExtensionRequest.id).desc())
        .limit(RECENT)
    )
    return tuple(
        ExtensionLine(
            e.assignment_id,
            code,
            e.current_deadline,
            e.requested_deadline,
            e.reason,
            e.created_at,
            e.decision,
            e.decision_note,
        )
        for e, code in rows.all()
    )


async def unit_page(
    session: AsyncSession, unit_id: int, today: date, settings: Settings
) -> UnitPage | None:
    """The unit's page as of `today` (local), or None when there is no such unit."""
    unit = await session.get(Unit, unit_id)
    if unit is None:
        return None
    period = period_of(Regime(settings.period_regime), today)
    return UnitPage(
        unit=unit,
        figures=await unit_figures(session, today, unit_id),
        assignments=await _assignments(session, unit_id, today),
        reports=await _reports(session, unit_id),
        blockers=await _blockers(session, unit_id),
        extensions=await _extensions(session, unit_id),
        indicators=tuple(await for_unit(session, unit_id, period.key, period.previous().key)),
    )
