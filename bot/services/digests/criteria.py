"""What both weekly digests count by: open work, the reporting period, and who answers.

Open work is everything not `done` (a `maintained` pilot model included), the same rule
as `bot.services.dates.timing.derive_timing`, so the digest agrees with /tasks and /overdue.
A period's reports are those created from local midnight of its first day to local
midnight after its last, compared in UTC.

Nghị định 09/2019/NĐ-CP, Điều 12: a unit has reported in a period when each of its open
assignments has a report in it; one report among sixteen assignments is not a report of
the unit. Units with no open work are not expected to report.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.periods import period_bounds
from db.models import Assignment, Official, ProgressReport, Role, Status

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
__all__ = [
    "focal_names",
    "has_report",
    "is_open",
    "local_zone",
    "period_bounds",
    "unreported_units",
]


def local_zone(zone: ZoneInfo | None) -> ZoneInfo:
    """The given time zone, or the province's default when none is given."""
    return zone or ZoneInfo(DEFAULT_ZONE)


def is_open() -> ColumnElement[bool]:
    """Whether an assignment is open work: anything not `done`."""
    return col(Assignment.status) != Status.DONE


def has_report(start: datetime, end: datetime) -> Any:
    """Whether the outer assignment has a report in [start, end) (uses the report index)."""
    return exists().where(
        col(ProgressReport.assignment_id) == Assignment.id,
        col(ProgressReport.created_at) >= start,
        col(ProgressReport.created_at) < end,
    )


async def unreported_units(session: AsyncSession, start: datetime, end: datetime) -> list[int]:
    """Units that have not reported in [start, end): some open assignment has no report."""
    rows = await session.scalars(
        select(col(Assignment.unit_id)).where(is_open(), ~has_report(start, end)).distinct()
    )
    return sorted(rows)


async def focal_names(
    session: AsyncSession, unit_ids: list[int] | None = None
) -> dict[int, tuple[str, ...]]:
    """Active focal officers' names per unit: who answers when an assignment names nobody."""
    query = select(col(Official.unit_id), col(Official.name)).where(
        col(Official.role) == Role.FOCAL, col(Official.active)
    )
    if unit_ids is not None:
        query = query.where(col(Official.unit_id).in_(unit_ids))
    names: dict[int, list[str]] = defaultdict(list)
    for unit_id, name in await session.execute(query.order_by(col(Official.id))):
        names[unit_id].append(name)
    return {unit: tuple(found) for unit, found in names.items()}
