"""One unit's or the province's standing as of today, gathered in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import Settings
from bot.services.dates.periods import Regime, period_of
from bot.services.digests.model import Item, Listing
from bot.services.digests.overdue import overdue_page
from bot.services.figures import Figures, UnitScore, place_of, province_figures, rank
from bot.services.figures import unit_figures as figures_of_unit
from bot.services.indicators.achievement import achievement
from db.models import Assignment, Blocker, ExtensionRequest, Unit

OVERDUE_SHOWN = 5  # the longest overdue named in a summary; /quahan lists them all
TOP_SHOWN = 3  # units named at the top and the bottom of the province's ranking


@dataclass(frozen=True)
class Waiting:
    """What waits for a decision of the standing office (or a leader), in the scope."""

    claims: int  # results reported done, not yet confirmed or returned
    extensions: int  # deadline extension requests not yet decided
    blockers: int  # difficulties not yet resolved


@dataclass(frozen=True)
class Summary:
    """A unit's (unit_id set) or the province's (unit_id None) standing."""

    today: date
    unit_id: int | None
    unit_name: str
    figures: Figures
    place: UnitScore | None  # the unit's place in the one ranking
    ranked: int  # units in the ranking
    top: tuple[UnitScore, ...]  # the province's first units
    bottom: tuple[UnitScore, ...]  # and its last
    indicators_met: int  # of the last closed period
    indicators_reported: int
    indicators: int
    waiting: Waiting
    overdue: Listing[Item]


async def summarize(
    session: AsyncSession, today: date, settings: Settings, unit_id: int | None
) -> Summary:
    """The standing of one unit, or of the province when `unit_id` is None."""
    regime = Regime(settings.period_regime)
    scores = await rank(
        session, today, regime=regime, zone=settings.zone, weights=settings.ranking_weights
    )
    if unit_id is None:
        figures, name, place = await province_figures(session, today), "", None
    else:
        figures = await figures_of_unit(session, today, unit_id)
        unit = await session.get(Unit, unit_id)
        name, place = (unit.name if unit else ""), place_of(scores, unit_id)
    closed = period_of(regime, today).previous().key
    values = await achievement(session, closed, unit_id)
    province_wide = unit_id is None
    return Summary(
        today=today,
        unit_id=unit_id,
        unit_name=name,
        figures=figures,
        place=place,
        ranked=len(scores),
        top=tuple(scores[:TOP_SHOWN]) if province_wide else (),
        bottom=tuple(scores[-TOP_SHOWN:]) if province_wide and len(scores) > TOP_SHOWN else (),
        indicators_met=sum(1 for v in values if v.meets),
        indicators_reported=sum(1 for v in values if v.meets is not None),
        indicators=len(values),
        waiting=await _waiting(session, unit_id, figures),
        overdue=await overdue_page(session, today, unit_id=unit_id, page=0, size=OVERDUE_SHOWN),
    )


async def _waiting(session: AsyncSession, unit_id: int | None, figures: Figures) -> Waiting:
    """Undecided extension requests and open blockers in scope; claims from the figures."""
    in_unit = [] if unit_id is None else [col(Assignment.unit_id) == unit_id]
    extensions = await session.scalar(
        select(func.count())
        .select_from(ExtensionRequest)
        .join(Assignment, col(Assignment.id) == ExtensionRequest.assignment_id)
        .where(col(ExtensionRequest.decision).is_(None), *in_unit)
    )
    blockers = await session.scalar(
        select(func.count())
        .select_from(Blocker)
        .join(Assignment, col(Assignment.id) == Blocker.assignment_id)
        .where(col(Blocker.resolved_at).is_(None), *in_unit)
    )
    return Waiting(figures.assignments.claimed, int(extensions or 0), int(blockers or 0))


async def units_with_work(session: AsyncSession, page: int, size: int) -> tuple[list[Unit], int]:
    """Page `page` (from 0) of the units that have assignments, by name; and how many."""
    having = select(col(Assignment.unit_id)).distinct()
    total = await session.scalar(
        select(func.count()).select_from(Unit).where(col(Unit.id).in_(having))
    )
    units = await session.scalars(
        select(Unit)
        .where(col(Unit.id).in_(having))
        .order_by(col(Unit.name), col(Unit.id))
        .offset(page * size)
        .limit(size)
    )
    return list(units), int(total or 0)
