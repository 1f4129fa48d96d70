"""Periodic reporting periods per Nghị định 09/2019/NĐ-CP, Điều 12 (thời gian chốt số liệu).

Cut-off rules (chốt số liệu):

* monthly: from the 15th of the previous month to the 14th of the reporting month;
* quarterly: from the 15th of the month before the quarter to the 14th of its last month;
* half-yearly: 15/12 (previous year) - 14/06 and 15/06 - 14/12;
* yearly: 15/12 of the previous year - 14/12 of the reporting year.

Consequently a day after 14/12 belongs to the periods of the *next* year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

CUTOFF_DAY = 14
"""Day of month on which every period ends (ngày chốt số liệu)."""


class Regime(StrEnum):
    """Reporting frequency (kỳ báo cáo)."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


_MONTHS: dict[Regime, int] = {
    Regime.MONTH: 1,
    Regime.QUARTER: 3,
    Regime.HALF_YEAR: 6,
    Regime.YEAR: 12,
}


def _span(regime: Regime) -> int:
    """Return the number of months covered by one period of ``regime``."""
    return _MONTHS[regime]


def _count(regime: Regime) -> int:
    """Return how many periods of ``regime`` fall in one reporting year."""
    return 12 // _span(regime)


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period; ``start`` and ``end`` are inclusive, ``end`` is the cut-off day."""

    regime: Regime
    year: int
    index: int
    start: date
    end: date

    def contains(self, day: date) -> bool:
        """Return True if ``day`` lies within this period (inclusive bounds)."""
        return self.start <= day <= self.end

    @property
    def key(self) -> str:
        """Return a stable ASCII identifier such as ``2026-M03``, ``2026-Q1``, ``2026-Y``."""
        if self.regime is Regime.MONTH:
            return f"{self.year}-M{self.index:02d}"
        if self.regime is Regime.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.regime is Regime.HALF_YEAR:
            return f"{self.year}-H{self.index}"
        return f"{self.year}-Y"

    def next(self) -> Period:
        """Return the period immediately following this one."""
        if self.index < _count(self.regime):
            return make_period(self.regime, self.year, self.index + 1)
        return make_period(self.regime, self.year + 1, 1)

    def previous(self) -> Period:
        """Return the period immediately preceding this one."""
        if self.index > 1:
            return make_period(self.regime, self.year, self.index - 1)
        return make_period(self.regime, self.year - 1, _count(self.regime))


def make_period(regime: Regime, year: int, index: int) -> Period:
    """Build the period number ``index`` (1-based) of ``regime`` in reporting ``year``."""
    regime = Regime(regime)
    if not 1 <= index <= _count(regime):
        raise ValueError(f"index {index} out of range for regime {regime.value}")
    end_month = index * _span(regime)
    start_month = end_month - _span(regime)  # month holding the start day; 0 = December before
    start_year = year if start_month >= 1 else year - 1
    start = date(start_year, start_month if start_month >= 1 else 12, CUTOFF_DAY + 1)
    end = date(year, end_month, CUTOFF_DAY)
    return Period(regime=regime, year=year, index=index, start=start, end=end)


def period_of(regime: Regime, day: date) -> Period:
    """Return the period of ``regime`` that contains ``day``."""
    year, month = day.year, day.month
    if day.day > CUTOFF_DAY:  # after the cut-off the day counts towards the next month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return make_period(regime, year, (month - 1) // _span(Regime(regime)) + 1)


def periods_between(regime: Regime, first: date, last: date) -> list[Period]:
    """Return every period of ``regime`` overlapping ``[first, last]``, in chronological order."""
    if last < first:
        return []
    current = period_of(regime, first)
    result: list[Period] = []
    while current.start <= last:
        result.append(current)
        current = current.next()
    return result


def submission_deadline(
    period: Period, working_days_after: int, is_working_day: Callable[[date], bool]
) -> date:
    """Return the ``working_days_after``-th working day strictly after ``period.end``."""
    if working_days_after < 1:
        raise ValueError("working_days_after must be >= 1")
    day, found, checked = period.end, 0, 0
    while found < working_days_after:
        day += timedelta(days=1)
        checked += 1
        if checked > 366 * (working_days_after + 1):
            raise ValueError("is_working_day never returns True in a reasonable horizon")
        if is_working_day(day):
            found += 1
    return day


def period_bounds(period: Period, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The period as UTC instants [start, end): local midnight of its first day, after its last."""
    start = datetime.combine(period.start, time(0), zone).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end
