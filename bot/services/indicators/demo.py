"""The demo province's indicators: plausible values for two periods.

The seeded indicators are already in the database (the demo writes them with its plan,
through the plan import); for each, the unit's focal officer (its head when it has none)
reported last period's value weeks ago and a third of this period's already. Most values
are near the target; every third one falls short of it, with a reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.indicators.rules import REPORTERS, meets, ratio_value
from db.models import Indicator, IndicatorKind, IndicatorValue, Official, Role

WEEKS = timedelta(days=20)


async def add_demo_values(
    session: AsyncSession,
    seeds: Any,
    *,
    now: datetime,
    last_period_key: str,
    current_period_key: str,
) -> None:
    """A few values for the demo indicators (last period for most, this one for some)."""
    codes = [seed.code for seed in seeds]
    indicators = {
        i.code: i for i in await session.scalars(select(Indicator).where(Indicator.code.in_(codes)))
    }
    focals: dict[int, int] = {}
    heads: dict[int, int] = {}
    for official_id, unit_id, role in await session.execute(
        select(Official.id, Official.unit_id, Official.role).order_by(Official.id)
    ):
        if role in REPORTERS:
            (focals if role == Role.FOCAL else heads).setdefault(unit_id, official_id)
    # The unit's focal officer reports; its head when it has none.
    people = heads | focals
    for number, seed in enumerate(seeds):
        indicator = indicators.get(seed.code)
        if indicator is None:
            continue
        official_id = people.get(indicator.unit_id)
        if official_id is None:
            continue
        # Last period's values were sent weeks ago; a third of this period's already.
        session.add(_demo_value(indicator, last_period_key, official_id, now - WEEKS, number))
        if number % 3 == 0:
            session.add(_demo_value(indicator, current_period_key, official_id, now, number + 1))


def _demo_value(
    indicator: Indicator, period_key: str, official_id: int, now: datetime, number: int
) -> IndicatorValue:
    """A plausible value: most near the target, every third one short of it with a reason."""
    short = number % 3 == 1
    numerator = denominator = None
    if indicator.kind == IndicatorKind.YES_NO:
        value = 0.0 if short else 1.0
    elif indicator.kind == IndicatorKind.COUNT:
        value = max(0.0, indicator.target - 1) if short else indicator.target + 1
    else:
        denominator = 1000
        share = indicator.target + (-8 if short else 5)
        if indicator.direction == "<=":
            share = indicator.target + (2 if short else -1)
        numerator = round(max(0.0, min(100.0, share)) * denominator / 100)
        value = ratio_value(numerator, denominator)
    good = meets(value, indicator.target, indicator.direction)
    return IndicatorValue(
        indicator_id=indicator.id or 0,
        period_key=period_key,
        value=value,
        numerator=numerator,
        denominator=denominator,
        reason=None if good else "Hạ tầng và thiết bị chưa đồng bộ, đang đề nghị bổ sung kinh phí.",
        official_id=official_id,
        created_at=now,
    )
