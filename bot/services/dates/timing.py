"""Timing is derived, never stored: on time or overdue for open work, done on time or late."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from db.models import Status


class Timing(StrEnum):
    """Where an assignment stands against its deadline."""

    ON_TIME = "on_time"
    OVERDUE = "overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"


def derive_timing(status: str, deadline: date, done_on: date | None, today: date) -> Timing:
    """Compare the work with its deadline as of `today` (the province's calendar day)."""
    if status == Status.DONE:
        finished = done_on or today
        return Timing.DONE_ON_TIME if finished <= deadline else Timing.DONE_LATE
    return Timing.OVERDUE if today > deadline else Timing.ON_TIME


def days_late(deadline: date, today: date) -> int:
    """Whole days past the deadline (0 when not late)."""
    return max(0, (today - deadline).days)
