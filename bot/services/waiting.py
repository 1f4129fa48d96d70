"""What waits on the standing office: results awaiting confirmation and extension requests
awaiting a decision, oldest first, with how many working days each has waited.

`/xacnhan` and `/xetgiahan` page through these queues, the `queues` job recalls what has
waited too long, and the weekly digest counts both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.calendar import WorkCalendar
from bot.services.extensions.rules import RequestView, find_request
from bot.services.reports.review import pending_filter, standing_recipients
from bot.services.reports.submission import Recipient
from db.models import Assignment, ExtensionRequest, Official, ProgressReport, Task, Unit


@dataclass(frozen=True)
class WaitingClaim:
    """A result reported done, as the queue of /xacnhan lists it."""

    assignment_id: int
    task_code: str
    title: str
    unit_name: str
    reporter: str
    since: date  # the local day it was reported done
    working_days: int  # working days it has waited since


@dataclass(frozen=True)
class WaitingRequest:
    """An extension request awaiting a decision, and the working days it has waited."""

    request: RequestView
    since: date
    working_days: int


@dataclass(frozen=True)
class Queues:
    """How much waits on the standing office, and what has waited too long."""

    claims: int
    requests: int
    late_claims: list[WaitingClaim]
    late_requests: list[WaitingRequest]
    recipients: list[Recipient]


def _local_day(instant: datetime, zone: ZoneInfo) -> date:
    # Some drivers hand back naive values from joined queries; stored times are UTC.
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    return aware.astimezone(zone).date()


async def counts(session: AsyncSession) -> tuple[int, int]:
    """Results awaiting confirmation and extension requests awaiting a decision."""
    claims = await session.scalar(
        select(func.count()).select_from(Assignment).where(*pending_filter())
    )
    requests = await session.scalar(
        select(func.count())
        .select_from(ExtensionRequest)
        .where(col(ExtensionRequest.decision).is_(None))
    )
    return int(claims or 0), int(requests or 0)


async def claims(
    session: AsyncSession,
    today: date,
    calendar: WorkCalendar,
    zone: ZoneInfo,
    *,
    offset: int = 0,
    limit: int | None = 5,
) -> tuple[list[WaitingClaim], int]:
    """One page of the results awaiting confirmation, oldest report first, and how many."""
    total, _ = await counts(session)
    reporter = (
        select(col(Official.name))
        .join(ProgressReport, col(ProgressReport.official_id) == Official.id)
        .where(col(ProgressReport.assignment_id) == Assignment.id)
        .order_by(col(ProgressReport.created_at).desc(), col(ProgressReport.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Assignment, col(Task.code), col(Task.title), col(Unit.name), reporter)
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .where(*pending_filter())
        .order_by(col(Assignment.last_report_at), col(Assignment.id))
        .offset(offset)
        .limit(limit)
    )
    found = []
    for assignment, code, title, unit_name, name in rows.all():
        reported = assignment.last_report_at
        since = _local_day(reported, zone) if reported is not None else today
        found.append(
            WaitingClaim(
                assignment_id=assignment.id or 0,
                task_code=code,
                title=title,
                unit_name=unit_name,
                reporter=name or "—",
                since=since,
                working_days=calendar.working_days_between(since, today),
            )
        )
    return found, total


async def requests(
    session: AsyncSession,
    today: date,
    calendar: WorkCalendar,
    zone: ZoneInfo,
    *,
    offset: int = 0,
    limit: int | None = 5,
) -> tuple[list[WaitingRequest], int]:
    """One page of the extension requests awaiting a decision, oldest first, and how many."""
    _, total = await counts(session)
    ids = await session.scalars(
        select(col(ExtensionRequest.id))
        .where(col(ExtensionRequest.decision).is_(None))
        .order_by(col(ExtensionRequest.created_at), col(ExtensionRequest.id))
        .offset(offset)
        .limit(limit)
    )
    found = []
    for request_id in list(ids):
        view = await find_request(session, request_id)
        if view is None:
            continue
        since = _local_day(view.created_at, zone)
        found.append(WaitingRequest(view, since, calendar.working_days_between(since, today)))
    return found, total


async def overdue_queues(
    session: AsyncSession, now: datetime, calendar: WorkCalendar, zone: ZoneInfo, working_days: int
) -> Queues:
    """Both queues' sizes, what has waited `working_days` or more, and the standing office
    (or their stand-ins) as of `now`."""
    today = now.astimezone(zone).date()
    claim_count, request_count = await counts(session)
    all_claims, _ = await claims(session, today, calendar, zone, limit=None)
    all_requests, _ = await requests(session, today, calendar, zone, limit=None)
    return Queues(
        claims=claim_count,
        requests=request_count,
        late_claims=[c for c in all_claims if c.working_days >= working_days],
        late_requests=[r for r in all_requests if r.working_days >= working_days],
        recipients=await standing_recipients(session, now) if all_claims or all_requests else [],
    )
