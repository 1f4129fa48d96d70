"""Indicators (chỉ tiêu): a unit's targets, the values it reports each period, achievement.

A ratio is stored as a percentage (numerator × 100 / denominator) with its two counts; a
count as the number; yes/no as 1 or 0. Values are append-only: the newest for a period
counts. Whether a value meets its target depends on the direction (≥ or ≤).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.accounts import Identity
from db.models import Indicator, IndicatorKind, IndicatorValue, Official, Role, Unit

MAX_REASON = 2000
MAX_COUNT = 10**12
# Values are computed in floating point; 57 × 100 / 100 must still meet a target of 57.
EPSILON = 1e-9
REPORTERS = (Role.FOCAL, Role.HEAD)
WEEKS = timedelta(days=20)


class IndicatorRejected(Exception):
    """The value cannot be stored; `reason` says why (the conversation validates first)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


@dataclass(frozen=True)
class Recorded:
    """A stored value."""

    value_id: int
    code: str
    value: float
    meets: bool
    period_key: str


def may_report(identity: Identity) -> bool:
    """Focal officers and heads report their unit's indicators."""
    return identity.official.role in REPORTERS


def meets(value: float, target: float, direction: str) -> bool:
    """Whether a value meets its target: at least it for ≥, at most it for ≤."""
    if direction == "<=":
        return value <= target + EPSILON
    return value >= target - EPSILON


def ratio_value(numerator: int, denominator: int) -> float:
    """A ratio as a percentage (denominator > 0)."""
    return numerator * 100 / denominator


def _latest_ids(period_key: str) -> Any:
    """The newest value id of each indicator for the period (uses the period index)."""
    return (
        select(func.max(IndicatorValue.id).label("id"))
        .where(IndicatorValue.period_key == period_key)
        .group_by(IndicatorValue.indicator_id)
        .subquery()
    )


async def achievement(
    session: AsyncSession, period_key: str, unit_id: int | None = None
) -> list[Achievement]:
    """Every indicator (of one unit, or all) with its latest value for the period, by unit and code.

    Two set-based queries whatever the number of indicators; an indicator with no value for
    the period has value None and meets None.
    """
    where = [] if unit_id is None else [Indicator.unit_id == unit_id]
    indicators = (
        await session.execute(
            select(Indicator, Unit.name)
            .join(Unit, Unit.id == Indicator.unit_id)
            .where(*where)
            .order_by(Unit.name, Indicator.code)
        )
    ).all()
    latest = _latest_ids(period_key)
    values_query = select(IndicatorValue).join(latest, latest.c.id == IndicatorValue.id)
    if unit_id is not None:
        values_query = values_query.join(
            Indicator, Indicator.id == IndicatorValue.indicator_id
        ).where(Indicator.unit_id == unit_id)
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


async def find_for_unit(session: AsyncSession, indicator_id: int, unit_id: int) -> Indicator | None:
    """An indicator only if it belongs to the unit."""
    indicator = await session.get(Indicator, indicator_id)
    return indicator if indicator is not None and indicator.unit_id == unit_id else None


def _value_of(indicator: Indicator, draft: dict[str, Any]) -> tuple[float, int | None, int | None]:
    """The value a draft stands for, checked against the indicator's kind."""
    kind = indicator.kind
    if kind == IndicatorKind.RATIO:
        numerator, denominator = draft.get("numerator"), draft.get("denominator")
        if not isinstance(numerator, int) or not isinstance(denominator, int):
            raise IndicatorRejected("ratio")
        if not 0 <= numerator <= denominator or not 0 < denominator <= MAX_COUNT:
            raise IndicatorRejected("ratio")
        return ratio_value(numerator, denominator), numerator, denominator
    value = draft.get("value")
    if kind == IndicatorKind.COUNT:
        if not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            raise IndicatorRejected("count")
        return float(value), None, None
    if kind == IndicatorKind.YES_NO:
        if value not in (0, 1):
            raise IndicatorRejected("yes_no")
        return float(value), None, None
    raise IndicatorRejected("kind")


async def record(
    session: AsyncSession,
    identity: Identity,
    indicator_id: int,
    draft: dict[str, Any],
    *,
    period_key: str,
    now: datetime,
    actor_account: str = "",
) -> Recorded:
    """Store one value for the period from the unit that owns the indicator."""
    if not may_report(identity):
        raise IndicatorRejected("role")
    indicator = await find_for_unit(session, indicator_id, identity.unit.id or 0)
    if indicator is None:
        raise IndicatorRejected("indicator")
    value, numerator, denominator = _value_of(indicator, draft)
    good = meets(value, indicator.target, indicator.direction)
    reason = draft.get("reason")
    if not good and (not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON):
        raise IndicatorRejected("reason")
    before = await session.scalar(
        select(IndicatorValue.value)
        .where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.period_key == period_key)
        .order_by(IndicatorValue.id.desc())
        .limit(1)
    )
    row = IndicatorValue(
        indicator_id=indicator_id,
        period_key=period_key,
        value=value,
        numerator=numerator,
        denominator=denominator,
        reason=reason.strip() if isinstance(reason, str) and not good else None,
        official_id=identity.official.id or 0,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        now=now,
        action="indicator.reported",
        actor_official_id=identity.official.id,
        actor_account=actor_account,
        entity="indicator",
        entity_id=indicator_id,
        before=None if before is None else {"period": period_key, "value": before},
        after={
            "period": period_key,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "meets": good,
            "value_id": row.id,
        },
    )
    return Recorded(row.id or 0, indicator.code, value, good, period_key)


async def load_demo(
    session: AsyncSession,
    seeds: Any,
    *,
    now: datetime,
    last_period_key: str,
    current_period_key: str,
) -> None:
    """Create the demo indicators and a few values (last period for most, this one for some)."""
    units = dict((await session.execute(select(Unit.code, Unit.id))).all())
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
        unit_id = units.get(seed.unit)
        if unit_id is None:
            continue
        indicator = Indicator(
            code=seed.code,
            title=seed.title,
            kind=seed.kind,
            unit_id=unit_id,
            target=seed.target,
            direction=seed.direction,
        )
        session.add(indicator)
        await session.flush()
        official_id = people.get(unit_id)
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
