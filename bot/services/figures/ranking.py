"""Ranking of units (thi đua, xếp hạng): one score per unit from three measured components.

The one ranking: /xephang, the province digest and a unit's figures all show this order
and these figures. Only results confirmed by the standing office count as done; a claim
(reported done, not yet confirmed) is counted apart as waiting for confirmation. Every
figure comes from one GROUP BY query over all assignments, never one query per unit: a
national deployment has about 5,000 units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import Settings
from bot.services.dates.periods import Regime, period_bounds, period_of
from bot.services.figures.counting import confirmed
from db.models import Assignment, ProgressReport, Status, Unit

COMPONENTS = ("on_time", "overdue", "reporting")
DEFAULT_WEIGHTS: dict[str, float] = {"on_time": 0.6, "overdue": 0.2, "reporting": 0.2}


@dataclass(frozen=True)
class UnitScore:
    """A unit's place in the ranking, with the counts behind each component."""

    unit_id: int
    name: str
    done_on_time: int  # confirmed done with done_on <= deadline
    considered: int  # due so far (deadline <= today) or confirmed done
    open: int  # not done (a maintained pilot model is open work)
    overdue: int  # open with deadline < today
    reported: int  # open with a progress report in the current period
    on_time_rate: float  # 0..1
    overdue_share: float  # 0..1
    reporting_rate: float  # 0..1
    score: float  # 0..100
    claimed: int = 0  # reported done, waiting for the standing office's confirmation
    rank: int = 0


def _ratio(part: int, whole: int, empty: float) -> float:
    """part / whole, or `empty` when there is nothing to measure."""
    return part / whole if whole else empty


def score_of(
    on_time_rate: float,
    overdue_share: float,
    reporting_rate: float,
    weights: Mapping[str, float] | None = None,
) -> float:
    """100 × weighted mean of on-time rate, (1 − overdue share) and reporting rate."""
    w = dict(weights or DEFAULT_WEIGHTS)
    total = sum(w[name] for name in COMPONENTS)
    mean = (
        w["on_time"] * on_time_rate
        + w["overdue"] * (1 - overdue_share)
        + w["reporting"] * reporting_rate
    ) / total
    return round(100 * mean, 2)


async def rank_units(session: AsyncSession, today: date, settings: Settings) -> list[UnitScore]:
    """Every unit with at least one assignment, best first, with the settings' weights."""
    return await rank(
        session,
        today,
        regime=Regime(settings.period_regime),
        zone=settings.zone,
        weights=settings.ranking_weights,
    )


def place_of(scores: Sequence[UnitScore], unit_id: int) -> UnitScore | None:
    """A unit's place in a ranking, or None when it is not ranked."""
    return next((s for s in scores if s.unit_id == unit_id), None)


async def rank(
    session: AsyncSession,
    today: date,
    *,
    regime: Regime,
    zone: ZoneInfo,
    weights: Mapping[str, float] | None = None,
) -> list[UnitScore]:
    """Every unit with at least one assignment, best first, as of `today` (local).

    score = 100 × (w_on_time × on_time_rate + w_overdue × (1 − overdue_share)
                   + w_reporting × reporting_rate) / (w_on_time + w_overdue + w_reporting)

    with `weights` (by default 0.6, 0.2, 0.2, so the divisor is 1), where
      * on_time_rate = assignments done on time (confirmed done, done_on ≤ deadline) /
        assignments due so far (deadline ≤ today) or confirmed done; a claim due so far
        counts as not (yet) done on time until it is confirmed;
      * overdue_share = open assignments past their deadline (deadline < today) / open
        assignments (open = not done; a maintained pilot model is open);
      * reporting_rate = open assignments with a progress report in the current reporting
        period of `regime` (local midnight bounds in `zone`) / open assignments.
    A component with nothing to measure counts as fully met: on_time_rate 1 when nothing
    is due or done, overdue_share 0 and reporting_rate 1 when nothing is open. Ties: more
    work done on time first, then fewer overdue, then the unit's name. Units without any
    assignment are not ranked. Ranks are 1, 2, 3… in that order.
    """
    start, end = period_bounds(period_of(regime, today), zone)
    done = confirmed()
    is_open = col(Assignment.status) != Status.DONE
    claimed = and_(col(Assignment.status) == Status.DONE, ~done)
    # A done assignment without a completion date counts as done today, as in timing.py.
    on_time = and_(done, func.coalesce(Assignment.done_on, today) <= Assignment.deadline)
    reported = exists().where(
        col(ProgressReport.assignment_id) == Assignment.id,
        col(ProgressReport.created_at) >= start,
        col(ProgressReport.created_at) < end,
    )

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    # Without a join on unit: it made SQLite walk the assignments unit by unit through an
    # index (2.5 times slower over 500,000 of them); the names come in a query of their own.
    rows = await session.execute(
        select(
            col(Assignment.unit_id),
            count(on_time),
            count(or_(done, col(Assignment.deadline) <= today)),
            count(is_open),
            count(and_(is_open, col(Assignment.deadline) < today)),
            count(and_(is_open, reported)),
            count(claimed),
        ).group_by(col(Assignment.unit_id))
    )
    names = {
        unit_id: name
        for unit_id, name in await session.execute(select(col(Unit.id), col(Unit.name)))
    }
    scores = []
    for unit_id, good, considered, open_, late, seen, claims in rows:
        name = names[unit_id]
        good, considered, open_ = int(good or 0), int(considered or 0), int(open_ or 0)
        late, seen = int(late or 0), int(seen or 0)
        on_time_rate = _ratio(good, considered, 1.0)
        overdue_share = _ratio(late, open_, 0.0)
        reporting_rate = _ratio(seen, open_, 1.0)
        scores.append(
            UnitScore(
                unit_id=unit_id,
                name=name,
                done_on_time=good,
                considered=considered,
                open=open_,
                overdue=late,
                reported=seen,
                on_time_rate=on_time_rate,
                overdue_share=overdue_share,
                reporting_rate=reporting_rate,
                score=score_of(on_time_rate, overdue_share, reporting_rate, weights),
                claimed=int(claims or 0),
            )
        )
    scores.sort(key=lambda s: (-s.score, -s.done_on_time, s.overdue, s.name, s.unit_id))
    return [replace(score, rank=index) for index, score in enumerate(scores, start=1)]
