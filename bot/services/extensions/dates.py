"""Reading a typed date as a new deadline, and the limits a new deadline must keep.

A date is typed as dd/mm/yyyy, d/m/yyyy, dd/mm (this year, or next once passed) or
yyyy-mm-dd; a new deadline must be today or later, after the current one, and at most a
year from the current deadline (or from today, when the deadline has passed). Anything
else is a `DateProblem` the conversation explains.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*(?:[/.\-]\s*(\d{4}))?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class DateProblem(StrEnum):
    """Why a typed date cannot be the new deadline."""

    FORMAT = "format"
    NO_SUCH_DAY = "no_such_day"
    PAST = "past"
    NOT_LATER = "not_later"
    TOO_FAR = "too_far"


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def latest_allowed(current: date, today: date) -> date:
    """The latest new deadline one may ask for: one year from the current deadline or today."""
    return one_year_after(max(current, today))


def parse_date(text: str | None, today: date) -> date | DateProblem:
    """Read dd/mm/yyyy, d/m/yyyy, dd/mm (this year, or next once passed) or yyyy-mm-dd."""
    raw = (text or "").strip()
    if len(raw) > 20:
        return DateProblem.FORMAT
    iso = _ISO.match(raw)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return _valid(year, month, day) or DateProblem.NO_SUCH_DAY
    match = _DAY_MONTH.match(raw)
    if match is None:
        return DateProblem.FORMAT
    day, month = int(match.group(1)), int(match.group(2))
    if match.group(3):
        return _valid(int(match.group(3)), month, day) or DateProblem.NO_SUCH_DAY
    # No year: this year's day unless it has passed, then next year's.
    this_year = _valid(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _valid(today.year + 1, month, day) or DateProblem.NO_SUCH_DAY


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def check_new_deadline(requested: date, current: date, today: date) -> DateProblem | None:
    """A new deadline must be today or later, after the current one, and within a year."""
    if requested < today:
        return DateProblem.PAST
    if requested <= current:
        return DateProblem.NOT_LATER
    if requested > latest_allowed(current, today):
        return DateProblem.TOO_FAR
    return None
