"""Indicator achievement: each indicator's latest value for a period against its target.

The newest value of a period counts; an indicator with nothing reported for the period
has no value and meets neither way. A unit's reporter sees last period's and this
period's side by side; the digests read every unit's at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.indicators.rules import meets
from db.models import Indicator, IndicatorValue, Unit


@dataclass(frozen=True)
class Achievement:
    """One indicator's latest value for a period and whether it meets the target."""

    indicator_id: int
    code: str
    title: str
    kind: str
    unit_id: int
    unit_name: str
    target: float
    direction: str
    period_key: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    reason: str | None = None
    reported_at: datetime | None = None
    meets: bool | None = None  # None when nothing was reported for the period


@dataclass(frozen=True)
class IndicatorView:
    """An indicator of the person's unit with last period's and this period's values."""

    indicator_id: int
    code: str
    title: str
    kind: str
    target: float
    direction: str
    last: Achievement
    current: Achievement


def _latest_ids(period_key: str) -> Any:
    """The newest value id of each indicator for the period (uses the period index)."""
    return (
        select(func.max(IndicatorValue.id).label("id"))
        .where(col(IndicatorValue.period_key) == period_key)
        .group_by(col(IndicatorValue.indicator_id))
        .subquery()
    )


async def achievement(
    session: AsyncSession, period_key: str, unit_id: int | None = None
) -> list[Achievement]:
    """Every indicator (of one unit, or all) with its latest value for the period, by unit and code.

    Two set-based queries whatever the number of indicators; an indicator with no value for
    the period has value None and meets None.
    """
    where = [] if unit_id is None else [col(Indicator.unit_id) == unit_id]
    indicators = (
        await session.execute(
            select(Indicator, col(Unit.name))
            .join(Unit, col(Unit.id) == Indicator.unit_id)
            .where(*where)
            .order_by(Unit.name, Indicator.code)
        )
    ).all()
    latest = _latest_ids(period_key)
    values_query = select(IndicatorValue).join(latest, latest.c.id == IndicatorValue.id)
    if unit_id is not None:
        values_query = values_query.join(
            Indicator, col(Indicator.id) == IndicatorValue.indicator_id
        ).where(col(Indicator.unit_id) == unit_id)
    values = {v.indicator_id: v for v in await session.scalars(values_query)}
    result = []
    for indicator, unit_name in indicators:
        found = values.get(indicator.id or 0)
        result.append(
            Achievement(
                indicator_id=indicator.id or 0,
                code=indicator.code,
                title=indicator.title,
                kind=indicator.kind,
                unit_id=indicator.unit_id,
                unit_name=unit_name,
                target=indicator.target,
                direction=indicator.direction,
                period_key=period_key,
                value=found.value if found else None,
                numerator=found.numerator if found else None,
                denominator=found.denominator if found else None,
                reason=found.reason if found else None,
                reported_at=found.created_at if found else None,
                meets=meets(found.value, indicator.target, indicator.direction) if found else None,
            )
        )
    return result


async def for_unit(
    session: AsyncSession, unit_id: int, period_key: str, last_period_key: str
) -> list[IndicatorView]:
    """The unit's indicators with last period's and this period's latest values."""
    last = {a.indicator_id: a for a in await achievement(session, last_period_key, unit_id)}
    current = await achievement(session, period_key, unit_id)
    return [
        IndicatorView(
            indicator_id=a.indicator_id,
            code=a.code,
            title=a.title,
            kind=a.kind,
            target=a.target,
            direction=a.direction,
            last=last[a.indicator_id],
            current=a,
        )
        for a in current
    ]
