"""Periodic reporting (Nghị định 09/2019/NĐ-CP, Điều 12): who has not reported in a period.

A unit has reported when each of its open assignments has a report in the period
(`bot.services.digests.criteria.unreported_units`). Reports count for a period until its
submission deadline, the `period_submission_working_days`-th working day after the cut-off:
the report on the month ending the 14th is due a few working days later. Focal officers of
units that have not reported are nudged as that deadline nears; once it has passed the
standing office gets the list of units that did not report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import Settings
from bot.services.dates.calendar import WorkCalendar
from bot.services.dates.periods import Period, Regime, period_of, submission_deadline
from bot.services.digests.criteria import unreported_units
from bot.services.people.reach import reaches
from db.models import ChatAccount, Official, Role, Unit

REPORT_BACK_DAYS = 7  # after this many days a missed period is no longer news


@dataclass(frozen=True)
class Addressee:
    """One reachable account of an official."""

    official_id: int
    name: str
    locale: str | None
    account_id: int
    channel: str
    chat_key: str
    unit_name: str


@dataclass(frozen=True)
class PeriodCheck:
    """Nudges due now in the current period, and the report-back on the previous one."""

    period: Period  # the period being reported on: the previous one until its deadline
    due: date  # its submission deadline
    nudge: list[Addressee]
    previous: Period
    missing_units: list[str]
    standing: list[Addressee]


def _utc_start(day: date, settings: Settings) -> datetime:
    return datetime.combine(day, time(0), settings.zone).astimezone(UTC)


def due_on(period: Period, settings: Settings, calendar: WorkCalendar) -> date:
    """The last day a period's report may be submitted (hạn gửi báo cáo)."""
    return submission_deadline(
        period, settings.period_submission_working_days, calendar.is_working_day
    )


async def silent_units(
    session: AsyncSession, period: Period, due: date, settings: Settings
) -> list[int]:
    """Units that have not reported for the period by `due`."""
    start = _utc_start(period.start, settings)
    end = _utc_start(due + timedelta(days=1), settings)
    return await unreported_units(session, start, end)


async def _addressees(
    session: AsyncSession, now: datetime, *where: ColumnElement[bool]
) -> list[Addressee]:
    rows = await session.execute(
        select(Official, ChatAccount, Unit)
        .join(Unit, col(Unit.id) == Official.unit_id)
        .join(ChatAccount, reaches(now))
        .where(col(Official.active), *where)
        .order_by(col(Official.id), col(ChatAccount.id))
    )
    return [
        Addressee(o.id, o.name, o.locale, a.id, a.channel, a.chat_key, u.name) for o, a, u in rows
    ]


async def plan_period_check(
    session: AsyncSession, now: datetime, settings: Settings, calendar: WorkCalendar
) -> PeriodCheck:
    """What to say today about the period being reported on and the previous one."""
    local = now.astimezone(settings.zone)
    today = local.date()
    period = period_of(Regime(settings.period_regime), today)
    previous = period.previous()
    # Between a cut-off and its submission deadline the period still being reported on is
    # the previous one.
    previous_due = due_on(previous, settings, calendar)
    open_period = previous if today <= previous_due else period
    due = due_on(open_period, settings, calendar)
    quiet = (
        not calendar.is_working_day(today)
        or local.time() < settings.period_check_time
        or calendar.is_quiet(local)
    )
    if quiet:
        return PeriodCheck(open_period, due, [], previous, [], [])
    nudge: list[Addressee] = []
    if calendar.working_days_between(today, due) < settings.period_nudge_working_days:
        silent = await silent_units(session, open_period, due, settings)
        if silent:
            nudge = await _addressees(
                session, now, col(Official.role) == Role.FOCAL, col(Official.unit_id).in_(silent)
            )
    missing: list[str] = []
    standing: list[Addressee] = []
    if 0 < (today - previous_due).days <= REPORT_BACK_DAYS:
        silent = await silent_units(session, previous, previous_due, settings)
        if silent:
            names = await session.scalars(select(col(Unit.name)).where(col(Unit.id).in_(silent)))
            missing = sorted(names)
            standing = await _addressees(session, now, col(Official.role) == Role.STANDING)
    return PeriodCheck(open_period, due, nudge, previous, missing, standing)
