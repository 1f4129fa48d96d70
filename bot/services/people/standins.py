"""Stand-ins: for a period (nghỉ phép, đi công tác) someone else receives an official's notices.

The rule itself is one SQL expression, `addressee`, read by the one rule of who a notice
reaches (`bot.services.people.reach`): every reminder, alert, digest and directive follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.i18n import N_
from bot.services import audit
from bot.services.people.directory import DirectoryError, official_with_unit
from db.models import Official, StandIn


@dataclass(frozen=True)
class Period:
    """A stand-in as the operator asked for it."""

    id: int
    official_id: int
    stand_in_id: int
    first_day: date
    last_day: date


def addressee(official: Any, now: datetime) -> Any:
    """Who a notice to `official` goes to at `now`: an active stand-in of theirs, else them."""
    stand_in = aliased(Official)
    current = (
        select(col(StandIn.stand_in_id))
        .join(stand_in, col(stand_in.id) == StandIn.stand_in_id)
        .where(
            col(StandIn.official_id) == official.id,
            col(StandIn.starts_at) <= now,
            col(StandIn.ends_at) > now,
            col(stand_in.active),
        )
        .order_by(col(StandIn.id).desc())
        .limit(1)
        .correlate(official)
        .scalar_subquery()
    )
    return func.coalesce(current, official.id)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """The instant a calendar day of the province begins."""
    return datetime.combine(day, time(0), zone)


async def add_stand_in(
    session: AsyncSession,
    official_id: int,
    *,
    stand_in_id: int,
    first_day: date,
    last_day: date,
    zone: ZoneInfo,
    now: datetime,
    actor: str = "cli",
) -> Period:
    """From `first_day` to `last_day` (inclusive, in the province's zone) notices meant for
    the official go to the stand-in; audited."""
    official, _ = await official_with_unit(session, official_id)
    other, _ = await official_with_unit(session, stand_in_id)
    if official_id == stand_in_id:
        raise DirectoryError(N_("an official cannot stand in for themselves"))
    if not official.active or not other.active:
        raise DirectoryError(N_("both officials must be active"))
    if last_day < first_day:
        raise DirectoryError(
            N_("the period ends ({last}) before it starts ({first})"),
            last=last_day,
            first=first_day,
        )
    starts_at = _midnight(first_day, zone)
    ends_at = _midnight(last_day + timedelta(days=1), zone)
    if ends_at <= now:
        raise DirectoryError(N_("the period ended already ({last})"), last=last_day)
    overlap = await session.scalar(
        select(col(StandIn.id)).where(
            col(StandIn.official_id) == official_id,
            col(StandIn.starts_at) < ends_at,
            col(StandIn.ends_at) > starts_at,
        )
    )
    if overlap is not None:
        raise DirectoryError(
            N_("official {id} has a stand-in in that period already"), id=official_id
        )
    chained = await session.scalar(
        select(col(StandIn.id)).where(
            col(StandIn.official_id) == stand_in_id,
            col(StandIn.starts_at) < ends_at,
            col(StandIn.ends_at) > starts_at,
        )
    )
    if chained is not None:
        raise DirectoryError(N_("official {id} is away themselves in that period"), id=stand_in_id)
    row = StandIn(
        official_id=official_id,
        stand_in_id=stand_in_id,
        first_day=first_day,
        last_day=last_day,
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        now=now,
        action="official.stand_in",
        actor_account=actor,
        entity="official",
        entity_id=official_id,
        after={
            "stand_in": stand_in_id,
            "from": first_day.isoformat(),
            "to": last_day.isoformat(),
        },
    )
    return Period(row.id, official_id, stand_in_id, first_day, last_day)
