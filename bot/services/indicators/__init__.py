"""Indicators (chỉ tiêu): targets, the values units report each period, and achievement."""

from __future__ import annotations

from bot.services.indicators.achievement import Achievement, IndicatorView, for_unit
from bot.services.indicators.demo import add_demo_values
from bot.services.indicators.rules import (
    MAX_COUNT,
    MAX_REASON,
    IndicatorRejected,
    find_for_unit,
    may_report,
    meets,
    ratio_value,
)
from bot.services.indicators.values import record

__all__ = [
    "MAX_COUNT",
    "MAX_REASON",
    "Achievement",
    "IndicatorRejected",
    "IndicatorView",
    "add_demo_values",
    "find_for_unit",
    "for_unit",
    "may_report",
    "meets",
    "ratio_value",
    "record",
]
