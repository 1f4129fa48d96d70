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
from bot.services.digests.criteria import (
    has_report,
    is_open,
    local_zone,
    period_bounds,
)
from bot.services.digests.model import Item, ProvinceDigest, UnitRef
from bot.services.digests.overdue import overdue_page
from bot.services.figures import province_figures, rank
from db.models import Assignment, Unit

LONGEST_OVERDUE = 10


async def _longest_overdue(session: AsyncSession, today: date) -> tuple[Item, ...]:
    """The open assignments furthest past their deadline, province-wide (/quahan's first)."""
    first = await overdue_page(session, today, unit_id=None, page=0, size=LONGEST_OVERDUE)
    return first.items


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
