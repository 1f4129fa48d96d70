"""The province's weekly digest: figures, ranking, longest overdue, silent units.

The counts and the ranking are those of `bot.services.figures`, the same as /xephang and
the export show. Like the unit digests, every figure comes from a handful of set-based
queries over the whole province, never one query per unit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.periods import Regime, period_of
from bot.services.digests.criteria import is_open, local_zone, period_bounds, unreported_units
from bot.services.digests.model import Item, ProvinceDigest, UnitRef
from bot.services.digests.overdue import overdue_page
from bot.services.figures import UnitScore, province_figures, rank
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
    ranking: Awaitable[list[UnitScore]] | None = None,
) -> ProvinceDigest:
    """The province's digest as of `today` (local).

    `ranking`, when given, is that same ranking being counted elsewhere meanwhile (the
    dashboard counts it on a connection of its own, so that the two scans of every
    assignment run side by side); it is awaited last.

    Figures: `bot.services.figures.province_figures` (assignments, tasks and pilot models
    by state, confirmed results apart from claims, per group). Ranking:
    `bot.services.figures.rank` with `weights` (/xephang's order and score).

    Unreported units: units with open work where some open assignment got no progress
    report in the current period (`criteria.unreported_units`, bounds as in `unit_digests`).
    """
    zone = local_zone(zone)
    period = period_of(regime, today)
    start, end = period_bounds(period, zone)
    unreported = await unreported_units(session, start, end)
    expected = await session.scalar(
        select(func.count(distinct(col(Assignment.unit_id)))).where(is_open())
    )
    names = dict(
        (
            await session.execute(
                select(col(Unit.id), col(Unit.name)).where(col(Unit.id).in_(unreported))
            )
        ).all()
    )
    silent = sorted(
        (UnitRef(unit_id, names.get(unit_id, "")) for unit_id in unreported),
        key=lambda u: (u.name, u.unit_id),
    )
    return ProvinceDigest(
        today=today,
        week_start=week_start,
        period=period,
        figures=await province_figures(session, today),
        longest_overdue=await _longest_overdue(session, today),
        unreported_units=tuple(silent),
        units_expected=int(expected or 0),
        ranking=tuple(
            await (ranking or rank(session, today, regime=regime, zone=zone, weights=weights))
        ),
    )
