"""Working days and quiet hours: Vietnamese public holidays (Tết included) plus local changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property

import holidays

from bot.config import Settings


class WorkCalendar:
    """Which days are working days in the province, and when the bot must stay quiet."""

    def __init__(
        self,
        *,
        extra_days_off: list[date] | None = None,
        make_up_working_days: list[date] | None = None,
        quiet_start: time = time(21, 0),
        quiet_end: time = time(7, 0),
    ) -> None:
        self.extra_days_off = frozenset(extra_days_off or ())
        self.make_up_working_days = frozenset(make_up_working_days or ())
        self.quiet_start, self.quiet_end = quiet_start, quiet_end

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkCalendar:
        """The calendar an operator configured."""
        return cls(
            extra_days_off=settings.extra_days_off,
            make_up_working_days=settings.make_up_working_days,
            quiet_start=settings.quiet_hours_start,
            quiet_end=settings.quiet_hours_end,
        )

    @cached_property
    def _public(self) -> holidays.HolidayBase:
        # Years are filled in lazily by the package as dates are asked about.
        return holidays.country_holidays("VN")

    def is_working_day(self, day: date) -> bool:
        """A weekday that is no public holiday or extra day off, or a make-up working day."""
        if day in self.make_up_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return self._public.is_working_day(day)

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        for _ in range(60):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within 60 days")

    def working_days_between(self, first: date, last: date) -> int:
        """Working days in (first, last]: how many working days `last` is after `first`."""
        count, day = 0, first
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def is_quiet(self, local: datetime) -> bool:
        """Whether a local time falls in quiet hours (which may span midnight)."""
        moment = local.time()
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= moment < self.quiet_end
        return moment >= self.quiet_start or moment < self.quiet_end
