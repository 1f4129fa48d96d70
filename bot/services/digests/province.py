"""The province's weekly digest: figures, ranking, longest overdue, silent units.

The counts and the ranking are those of `bot.services.figures`, the same as /xephang and
the export show. Like the unit digests, every figure comes from a handful of set-based
queries over the whole province, never one query per unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.periods import Regime, period_of
from bot.services.dates.timing import days_late
from bot.services.digests.criteria import (
    focal_names,
    has_report,
    is_open,
    local_zone,
    period_bounds,
)
from bot.services.digests.model import Item, ProvinceDigest, UnitRef
from bot.services.figures import province_figures, rank
from db.models import Assignment, Official, Task, Unit

LONGEST_OVERDUE = 10


async def _longest_overdue(session: AsyncSession, today: date) -> tuple[Item, ...]:
    """The open assignments furthest past their deadline, province-wide."""
    rows = await session.execute(
        select(
            Assignment,
            col(Task.code),
            col(Task.title),
            col(Unit.name),
            col(Official.name),
            col(Official.active),
        )
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .outerjoin(Official, col(Official.id) == Assignment.focal_official_id)
        .where(is_open(), col(Assignment.deadline) < today)
        .order_by(col(Assignment.deadline), col(Assignment.id))
        .limit(LONGEST_OVERDUE)
    )
    found = rows.all()
    focals = await focal_names(session, sorted({a.unit_id for a, *_ in found}))
    return tuple(
        Item(
            assignment_id=a.id or 0,
            unit_id=a.unit_id,
            task_code=code,
            title=title,
            deadline=a.deadline,
            status=a.status,
            progress=a.progress,
            days_late=days_late(a.deadline, today),
            responsible=(person,) if person and active else focals.get(a.unit_id, ()),
            unit_name=unit_name,
        )
        for a, code, title, unit_name, person, active in found
    )


async def province_digest(
    session: AsyncSession,
    today: date,
    week_start: date,
    *,
    regime: Regime = Regime.MONTH,
    zone: ZoneInfo | None = None,
    weights: Mapping[str, float] | None = None,
) -> ProvinceDigest:
    """The province's digest as of `today` (local).

    Figures: `bot.services.figures.province_figures` (assignments, tasks and pilot models
    by state, confirmed results apart from claims, per group). Ranking:
    `bot.services.figures.rank` with `weights` (/xephang's order and score).

    Unreported units: units with open work where no assignment of the unit got a progress
    report in the current period (bounds as in `unit_digests`).
    """
    zone = local_zone(zone)
    period = period_of(regime, today)
    start, end = period_bounds(period, zone)
    names = dict((await session.execute(select(col(Unit.id), col(Unit.name)))).all())
    reported = has_report(start, end)
    unit_rows = await session.execute(
        select(
            col(Assignment.unit_id),
            func.max(case((is_open(), 1), else_=0)),
            func.max(case((reported, 1), else_=0)),
        ).group_by(col(Assignment.unit_id))
    )
    expected = [(unit_id, bool(seen)) for unit_id, has_open, seen in unit_rows if has_open]
    silent = sorted(
        (UnitRef(unit_id, names.get(unit_id, "")) for unit_id, seen in expected if not seen),
        key=lambda u: (u.name, u.unit_id),
    )
    return ProvinceDigest(
        today=today,
        week_start=week_start,
        period=period,
        figures=await province_figures(session, today),
        ranking=tuple(await rank(session, today, regime=regime, zone=zone, weights=weights)),
        longest_overdue=await _longest_overdue(session, today),
        unreported_units=tuple(silent),
        units_expected=len(expected),
    )
