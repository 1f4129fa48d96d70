"""The limits a new deadline must keep, for a date read by `bot.services.dates.reading`.

A new deadline must be today or later, after the current one, and at most a year from the
current deadline (or from today, when the deadline has passed). Anything else is a
`DateProblem` the conversation explains.
"""

from __future__ import annotations

from datetime import date

from bot.services.dates.reading import DateProblem, read_date


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def latest_allowed(current: date, today: date) -> date:
    """The latest new deadline one may ask for: one year from the current deadline or today."""
    return one_year_after(max(current, today))


def check_new_deadline(requested: date, current: date, today: date) -> DateProblem | None:
    """A new deadline must be today or later, after the current one, and within a year."""
    if requested < today:
        return DateProblem.PAST
    if requested <= current:
        return DateProblem.NOT_LATER
    if requested > latest_allowed(current, today):
        return DateProblem.TOO_FAR
    return None


def read_new_deadline(text: str | None, current: date, today: date) -> date | DateProblem:
    """A typed new deadline that keeps the limits, or why it cannot be one."""
    read = read_date(text, today)
    if isinstance(read, DateProblem):
        return read
    return check_new_deadline(read, current, today) or read
