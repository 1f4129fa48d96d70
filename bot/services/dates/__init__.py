"""Dates: working days and quiet hours, reporting periods, on time or late, and typed dates."""

from __future__ import annotations

from bot.services.dates.calendar import WorkCalendar
from bot.services.dates.periods import (
    Period,
    Regime,
    make_period,
    period_of,
    periods_between,
    submission_deadline,
)
from bot.services.dates.reading import DateProblem, read_date
from bot.services.dates.timing import Timing, days_late, derive_timing

__all__ = [
    "DateProblem",
    "Period",
    "Regime",
    "Timing",
    "WorkCalendar",
    "days_late",
    "derive_timing",
    "make_period",
    "period_of",
    "periods_between",
    "read_date",
    "submission_deadline",
]
