"""Recording an indicator value: a unit's report for the period, checked, stored and audited.

A draft from the conversation stands for a value of the indicator's kind: a numerator and
a denominator for a ratio, a whole number for a count, 1 or 0 for yes/no. A value that
misses the target needs a reason. Only the unit that owns the indicator reports it, and
values are appended: the newest for a period counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.indicators.rules import (
    MAX_COUNT,
    MAX_REASON,
    IndicatorRejected,
    find_for_unit,
    may_report,
    meets,
    ratio_value,
)
from bot.services.people.identity import Identity
from bot.services.text import read_text
from db.models import Indicator, IndicatorKind, IndicatorValue


@dataclass(frozen=True)
class Recorded:
    """A stored value."""

    value_id: int
    code: str
    value: float
    meets: bool
    period_key: str


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
    reason = None if good else read_text(draft.get("reason"), MAX_REASON).value
    if not good and reason is None:
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
        reason=reason,
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
