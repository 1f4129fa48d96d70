"""Indicators (chỉ tiêu): a unit's targets, the values it reports each period, achievement.

A ratio is stored as a percentage (numerator × 100 / denominator) with its two counts; a
count as the number; yes/no as 1 or 0. Values are append-only: the newest for a period
counts. Whether a value meets its target depends on the direction (≥ or ≤).

Here are the rules every part shares: who reports, the limits of a value, when it meets
its target, and finding an indicator of a unit. Reading values and achievement is in
`bot.services.indicators.achievement`, recording a value in `bot.services.indicators.values`,
and the demo's indicators in `bot.services.indicators.demo`.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people.identity import Identity
from bot.services.people.permissions import Action, may, roles_that_may
from db.models import Indicator

MAX_REASON = 2000
MAX_COUNT = 10**12
# Values are computed in floating point; 57 × 100 / 100 must still meet a target of 57.
EPSILON = 1e-9
REPORTERS = roles_that_may(Action.REPORT_INDICATORS)


class IndicatorRejected(Exception):
    """The value cannot be stored; `reason` says why (the conversation validates first)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def may_report(identity: Identity) -> bool:
    """Focal officers and heads report their unit's indicators."""
    return may(identity.official, Action.REPORT_INDICATORS)


def meets(value: float, target: float, direction: str) -> bool:
    """Whether a value meets its target: at least it for ≥, at most it for ≤."""
    if direction == "<=":
        return value <= target + EPSILON
    return value >= target - EPSILON


def ratio_value(numerator: int, denominator: int) -> float:
    """A ratio as a percentage (denominator > 0)."""
    return numerator * 100 / denominator


async def find_for_unit(session: AsyncSession, indicator_id: int, unit_id: int) -> Indicator | None:
    """An indicator only if it belongs to the unit."""
    indicator = await session.get(Indicator, indicator_id)
    return indicator if indicator is not None and indicator.unit_id == unit_id else None
