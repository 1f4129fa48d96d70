"""Tests for reporting periods per Nghị định 09/2019/NĐ-CP, Điều 12."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.dates.periods import (
    Period,
    Regime,
    make_period,
    period_of,
    periods_between,
    submission_deadline,
)

DAYS = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))
REGIMES = st.sampled_from(list(Regime))
ONE_DAY = timedelta(days=1)


def weekday_only(day: date) -> bool:
    """Treat Monday-Friday as working days."""
    return day.weekday() < 5


# --- worked examples -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "day", "key", "start", "end"),
    [
        (Regime.MONTH, date(2026, 11, 15), "2026-M12", date(2026, 11, 15), date(2026, 12, 14)),
        (Regime.MONTH, date(2026, 11, 14), "2026-M11", date(2026, 10, 15), date(2026, 11, 14)),
        (Regime.MONTH, date(2026, 1, 1), "2026-M01", date(2025, 12, 15), date(2026, 1, 14)),
        (Regime.MONTH, date(2026, 12, 20), "2027-M01", date(2026, 12, 15), date(2027, 1, 14)),
        (Regime.MONTH, date(2024, 2, 29), "2024-M03", date(2024, 2, 15), date(2024, 3, 14)),
        (Regime.QUARTER, date(2026, 3, 14), "2026-Q1", date(2025, 12, 15), date(2026, 3, 14)),
        (Regime.QUARTER, date(2026, 3, 15), "2026-Q2", date(2026, 3, 15), date(2026, 6, 14)),
        (Regime.QUARTER, date(2026, 7, 1), "2026-Q3", date(2026, 6, 15), date(2026, 9, 14)),
        (Regime.QUARTER, date(2026, 12, 14), "2026-Q4", date(2026, 9, 15), date(2026, 12, 14)),
        (Regime.QUARTER, date(2026, 12, 20), "2027-Q1", date(2026, 12, 15), date(2027, 3, 14)),
        (Regime.HALF_YEAR, date(2026, 6, 14), "2026-H1", date(2025, 12, 15), date(2026, 6, 14)),
        (Regime.HALF_YEAR, date(2026, 6, 15), "2026-H2", date(2026, 6, 15), date(2026, 12, 14)),
        (Regime.HALF_YEAR, date(2026, 12, 20), "2027-H1", date(2026, 12, 15), date(2027, 6, 14)),
        (Regime.YEAR, date(2026, 12, 14), "2026-Y", date(2025, 12, 15), date(2026, 12, 14)),
        (Regime.YEAR, date(2026, 12, 20), "2027-Y", date(2026, 12, 15), date(2027, 12, 14)),
    ],
)
def test_worked_examples(regime: Regime, day: date, key: str, start: date, end: date) -> None:
    """Dates from the decree's cut-off rules map to the expected periods."""
    period = period_of(regime, day)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert period.contains(day)


def test_year_2027_spans_from_december_2026() -> None:
    """20/12/2026 belongs to the year-2027 period, Q1/2027, month 01/2027 and half 1/2027."""
    day = date(2026, 12, 20)
    assert period_of(Regime.YEAR, day).year == 2027
    assert period_of(Regime.QUARTER, day).key == "2027-Q1"
    assert period_of(Regime.MONTH, day).key == "2027-M01"
    assert period_of(Regime.HALF_YEAR, day).key == "2027-H1"


def test_make_period_rejects_bad_index() -> None:
    """Out-of-range indices are rejected."""
    with pytest.raises(ValueError):
        make_period(Regime.QUARTER, 2026, 5)
    with pytest.raises(ValueError):
        make_period(Regime.MONTH, 2026, 0)


def test_periods_between_examples() -> None:
    """Every overlapping period is listed in order."""
    keys = [p.key for p in periods_between(Regime.QUARTER, date(2026, 1, 1), date(2026, 12, 31))]
    assert keys == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert periods_between(Regime.MONTH, date(2026, 2, 1), date(2026, 1, 1)) == []
    assert [p.key for p in periods_between(Regime.YEAR, date(2026, 5, 5), date(2026, 5, 5))] == [
        "2026-Y"
    ]


def test_submission_deadline_example() -> None:
    """Q1/2026 ends Sat 14/03/2026; the 2nd weekday after is Tue 17/03/2026."""
    period = make_period(Regime.QUARTER, 2026, 1)
    assert submission_deadline(period, 1, weekday_only) == date(2026, 3, 16)
    assert submission_deadline(period, 2, weekday_only) == date(2026, 3, 17)
    with pytest.raises(ValueError):
        submission_deadline(period, 0, weekday_only)


# --- properties ------------------------------------------------------------------------


@given(REGIMES, DAYS)
def test_period_of_contains_day_and_neighbours_do_not(regime: Regime, day: date) -> None:
    """A day lies in exactly the period period_of returns, not in its neighbours."""
    period = period_of(regime, day)
    assert period.contains(day)
    assert not period.next().contains(day)
    assert not period.previous().contains(day)
    assert period.end.day == 14
    assert period.start.day == 15


@given(REGIMES, DAYS)
def test_periods_tile_time(regime: Regime, day: date) -> None:
    """Consecutive periods leave no gap and do not overlap."""
    period = period_of(regime, day)
    assert period.next().start == period.end + ONE_DAY
    assert period.previous().end == period.start - ONE_DAY
    assert period.start <= period.end
    assert period_of(regime, period.end + ONE_DAY) == period.next()
    assert period_of(regime, period.start - ONE_DAY) == period.previous()
    assert period_of(regime, period.start) == period == period_of(regime, period.end)


@given(REGIMES, DAYS)
def test_next_previous_inverse(regime: Regime, day: date) -> None:
    """next and previous are mutual inverses and move forward/backward in time."""
    period = period_of(regime, day)
    assert period.next().previous() == period
    assert period.previous().next() == period
    assert period.next() > period > period.previous()


def _union(parts: list[Period]) -> tuple[date, date]:
    """Return the span covered by contiguous ``parts``, asserting they are contiguous."""
    for left, right in pairwise(parts):
        assert right.start == left.end + ONE_DAY
    return parts[0].start, parts[-1].end


@pytest.mark.parametrize(
    ("coarse", "fine", "count"),
    [
        (Regime.QUARTER, Regime.MONTH, 3),
        (Regime.HALF_YEAR, Regime.QUARTER, 2),
        (Regime.YEAR, Regime.HALF_YEAR, 2),
        (Regime.YEAR, Regime.MONTH, 12),
    ],
)
@given(day=DAYS)
def test_coarse_period_is_union_of_fine(
    coarse: Regime, fine: Regime, count: int, day: date
) -> None:
    """Quarters are 3 months, halves 2 quarters, years 2 halves (and 12 months)."""
    big = period_of(coarse, day)
    parts = periods_between(fine, big.start, big.end)
    assert len(parts) == count
    assert _union(parts) == (big.start, big.end)
    assert all(p.year == big.year for p in parts)
    assert period_of(fine, day) in parts


@given(REGIMES, DAYS, st.integers(min_value=0, max_value=800))
def test_periods_between_covers_range(regime: Regime, first: date, length: int) -> None:
    """periods_between returns contiguous periods exactly covering the range's periods."""
    last = first + timedelta(days=length)
    parts = periods_between(regime, first, last)
    assert parts[0] == period_of(regime, first)
    assert parts[-1] == period_of(regime, last)
    _union(parts)
    assert parts == sorted(parts)


@given(
    REGIMES,
    DAYS,
    st.integers(min_value=1, max_value=30),
    st.frozensets(st.integers(min_value=0, max_value=6), min_size=1, max_size=7),
)
def test_submission_deadline_properties(
    regime: Regime, day: date, n: int, working_weekdays: frozenset[int]
) -> None:
    """The deadline is after the cut-off, on a working day, with exactly n working days."""
    period = period_of(regime, day)

    def is_working(d: date) -> bool:
        return d.weekday() in working_weekdays

    deadline = submission_deadline(period, n, is_working)
    assert deadline > period.end
    assert is_working(deadline)
    span = (deadline - period.end).days
    counted = sum(is_working(period.end + timedelta(days=i)) for i in range(1, span + 1))
    assert counted == n
