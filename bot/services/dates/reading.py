"""Reading a date someone typed: the one reader behind every deadline the bot asks for.

A date is typed as dd/mm/yyyy or d/m/yyyy (also with "." or "-" between the parts),
dd/mm (this year, or next year once the day has passed) or yyyy-mm-dd. What the date may
be (after today, within five years, later than the current deadline) is each domain's own
limit, checked after reading; `DateProblem` names what the conversation then explains.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*(?:[/.\-]\s*(\d{4}))?\s*$", re.ASCII)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$", re.ASCII)
# Longer than any written form: not worth matching.
_LONGEST = 20


class DateProblem(StrEnum):
    """Why a typed date cannot be used: unreadable, not in the calendar, or outside a limit."""

    FORMAT = "format"
    NO_SUCH_DAY = "no_such_day"
    PAST = "past"
    NOT_LATER = "not_later"
    TOO_FAR = "too_far"


def read_date(text: str | None, today: date) -> date | DateProblem:
    """Read dd/mm/yyyy, d/m/yyyy, dd/mm (this year, or next once passed) or yyyy-mm-dd."""
    raw = (text or "").strip()
    if len(raw) > _LONGEST:
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
