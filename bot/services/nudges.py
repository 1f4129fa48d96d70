"""Periodic reporting (Nghị định 09/2019/NĐ-CP, Điều 12): who has not reported in a period.

Before a period's cut-off the focal officers of units with no report in it are nudged;
after it the standing office gets the list of units that did not report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import Settings
from bot.services.dates.calendar import WorkCalendar
from bot.services.dates.periods import Period, Regime, period_of
from bot.services.people.reach import reaches
from db.models import Assignment, ChatAccount, Official, ProgressReport, Role, Status, Unit

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

    period: Period
    nudge: list[Addressee]
    previous: Period
    missing_units: list[str]
    standing: list[Addressee]


def _utc_start(day: date, settings: Settings) -> datetime:
    return datetime.combine(day, time(0), settings.zone).astimezone(UTC)


async def silent_units(session: AsyncSession, period: Period, settings: Settings) -> list[int]:
    """Units with open work and no progress report at all within the period."""
    start = _utc_start(period.start, settings)
    end = _utc_start(period.end + timedelta(days=1), settings)
    reported = (
        select(col(Assignment.unit_id))
        .join(ProgressReport, col(ProgressReport.assignment_id) == Assignment.id)
        .where(col(ProgressReport.created_at) >= start, col(ProgressReport.created_at) < end)
    )
    rows = await session.scalars(
        select(col(Assignment.unit_id))
        .where(col(Assignment.status) != Status.DONE, col(Assignment.unit_id).not_in(reported))
        .distinct()
    )
    return sorted(rows)


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
    """What to say today about the current and the previous reporting period."""
    local = now.astimezone(settings.zone)
    today = local.date()
    period = period_of(Regime(settings.period_regime), today)
    previous = period.previous()
    quiet = (
        not calendar.is_working_day(today)
        or local.time() < settings.period_check_time
        or calendar.is_quiet(local)
    )
    if quiet:
        return PeriodCheck(period, [], previous, [], [])
    nudge: list[Addressee] = []
    if calendar.working_days_between(today, period.end) < settings.period_nudge_working_days:
        silent = await silent_units(session, period, settings)
        if silent:
            nudge = await _addressees(
                session, now, col(Official.role) == Role.FOCAL, col(Official.unit_id).in_(silent)
            )
    missing: list[str] = []
    standing: list[Addressee] = []
    if (today - previous.end).days <= REPORT_BACK_DAYS:
        silent = await silent_units(session, previous, settings)
        if silent:
            names = await session.scalars(select(col(Unit.name)).where(col(Unit.id).in_(silent)))
            missing = sorted(names)
            standing = await _addressees(session, now, col(Official.role) == Role.STANDING)
    return PeriodCheck(period, nudge, previous, missing, standing)
