"""Deadline extensions: a unit asks for a later deadline, the standing office decides once.

Approving moves `Assignment.deadline` (never `original_deadline`); reminders and overdue
alerts read `deadline`, so they follow the new date without further work. A request is
decided by a conditional UPDATE on `decision IS NULL`, so a second decision changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.accounts import Identity
from bot.services.reports import MAX_TEXT, Recipient
from bot.services.review import standing_recipients, unit_recipients
from db.models import Assignment, ExtensionRequest, Official, Role, Status, Task, Unit

APPROVED = "approved"
REFUSED = "refused"

_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*(?:[/.\-]\s*(\d{4}))?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class DateProblem(StrEnum):
    """Why a typed date cannot be the new deadline."""

    FORMAT = "format"
    NO_SUCH_DAY = "no_such_day"
    PAST = "past"
    NOT_LATER = "not_later"
    TOO_FAR = "too_far"


class Refusal(StrEnum):
    """Why an extension request or decision cannot go ahead."""

    ROLE = "role"
    NOT_FOUND = "not_found"
    OTHER_UNIT = "other_unit"
    CLOSED = "closed"
    OPEN_REQUEST = "open_request"
    DATE = "date"
    REASON = "reason"


class ExtensionRejected(Exception):
    """The request or decision is not allowed (handlers check first; this is the backstop)."""

    def __init__(self, why: Refusal) -> None:
        super().__init__(why.value)
        self.why = why


@dataclass(frozen=True)
class RequestView:
    """One extension request as people see it."""

    id: int
    assignment_id: int
    task_code: str
    title: str
    unit_id: int
    unit_name: str
    requested_by: int
    requester: str
    current_deadline: date
    requested_deadline: date
    reason: str
    created_at: datetime
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


@dataclass(frozen=True)
class Target:
    """An assignment a unit may ask to extend, and its open request if it has one."""

    assignment_id: int
    task_code: str
    title: str
    deadline: date
    original_deadline: date
    open_request: RequestView | None


@dataclass(frozen=True)
class Requested:
    """A stored request and the standing officers to ask."""

    request: RequestView
    deciders: tuple[Recipient, ...]


@dataclass(frozen=True)
class Decided:
    """A decision, or the one someone else took first (`decided` False)."""

    decided: bool
    request: RequestView
    recipients: tuple[Recipient, ...] = ()


def may_request(identity: Identity) -> bool:
    """Focal officers and heads ask for extensions of their unit's work."""
    return identity.official.role in (Role.FOCAL, Role.HEAD)


def may_decide(identity: Identity) -> bool:
    """Only the standing office decides extensions."""
    return identity.official.role == Role.STANDING


def refuse(
    session: AsyncSession, identity: Identity, *, now: datetime, who: str, what: str
) -> None:
    """Record an attempt by someone who may not do this."""
    audit.record(
        session,
        now=now,
        action="extension.refused",
        actor_official_id=identity.official.id,
        actor_account=who,
        detail=f"role {identity.official.role}: {what}"[:500],
    )


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


def read_reason(text: str | None) -> str | None:
    """A reason in words within the limit, or None."""
    cleaned = (text or "").strip()
    if not cleaned or len(cleaned) > MAX_TEXT or not any(ch.isalnum() for ch in cleaned):
        return None
    return cleaned


async def find_request(session: AsyncSession, request_id: int) -> RequestView | None:
    """One request with its task, unit and people."""
    row = (
        await session.execute(
            select(ExtensionRequest, Task, Unit, Official)
            .join(Assignment, Assignment.id == ExtensionRequest.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Official, Official.id == ExtensionRequest.requested_by)
            .where(ExtensionRequest.id == request_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        return None
    request, task, unit, requester = row
    decider = await session.get(Official, request.decided_by) if request.decided_by else None
    return RequestView(
        id=request.id or 0,
        assignment_id=request.assignment_id,
        task_code=task.code,
        title=task.title,
        unit_id=unit.id or 0,
        unit_name=unit.name,
        requested_by=requester.id or 0,
        requester=requester.name,
        current_deadline=request.current_deadline,
        requested_deadline=request.requested_deadline,
        reason=request.reason,
        created_at=request.created_at,
        decision=request.decision,
        decided_by=decider.name if decider else None,
        decided_at=request.decided_at,
        decision_note=request.decision_note,
    )


async def _open_request_id(session: AsyncSession, assignment_id: int) -> int | None:
    return await session.scalar(
        select(ExtensionRequest.id)
        .where(ExtensionRequest.assignment_id == assignment_id, ExtensionRequest.decision.is_(None))
        .order_by(ExtensionRequest.id)
        .limit(1)
    )


async def target(
    session: AsyncSession, identity: Identity, assignment_id: int, *, lock: bool = False
) -> Target:
    """The unit's open assignment to extend; ExtensionRejected for anything else."""
    if not may_request(identity):
        raise ExtensionRejected(Refusal.ROLE)
    query = (
        select(Assignment, Task)
        .join(Task, Task.id == Assignment.task_id)
        .where(Assignment.id == assignment_id)
    )
    if lock:
        # Serialises two requests for one assignment on PostgreSQL (SQLite has one writer).
        query = query.with_for_update(of=Assignment)
    row = (await session.execute(query)).first()
    if row is None:
        raise ExtensionRejected(Refusal.NOT_FOUND)
    assignment, task = row
    if assignment.unit_id != identity.unit.id:
        raise ExtensionRejected(Refusal.OTHER_UNIT)
    if assignment.status == Status.DONE:
        raise ExtensionRejected(Refusal.CLOSED)
    open_id = await _open_request_id(session, assignment_id)
    return Target(
        assignment_id=assignment_id,
        task_code=task.code,
        title=task.title,
        deadline=assignment.deadline,
        original_deadline=assignment.original_deadline,
        open_request=await find_request(session, open_id) if open_id else None,
    )


async def submit(
    session: AsyncSession,
    identity: Identity,
    assignment_id: int,
    requested: date,
    reason: str,
    *,
    now: datetime,
    today: date,
    who: str,
) -> Requested:
    """Store a request after checking it again, and name the standing officers to ask."""
    found = await target(session, identity, assignment_id, lock=True)
    if found.open_request is not None:
        raise ExtensionRejected(Refusal.OPEN_REQUEST)
    if check_new_deadline(requested, found.deadline, today) is not None:
        raise ExtensionRejected(Refusal.DATE)
    cleaned = read_reason(reason)
    if cleaned is None:
        raise ExtensionRejected(Refusal.REASON)
    request = ExtensionRequest(
        assignment_id=assignment_id,
        requested_by=identity.official.id or 0,
        current_deadline=found.deadline,
        requested_deadline=requested,
        reason=cleaned,
        created_at=now,
    )
    try:
        async with session.begin_nested():  # the index refuses a second open request
            session.add(request)
            await session.flush()
    except IntegrityError as error:
        raise ExtensionRejected(Refusal.OPEN_REQUEST) from error
    audit.record(
        session,
        now=now,
        action="extension.requested",
        actor_official_id=identity.official.id,
        actor_account=who,
        entity="extensionrequest",
        entity_id=request.id,
        before=None,
        after={
            "assignment_id": assignment_id,
            "current_deadline": found.deadline.isoformat(),
            "requested_deadline": requested.isoformat(),
            "reason": cleaned,
        },
    )
    view = await find_request(session, request.id or 0)
    assert view is not None
    return Requested(view, tuple(await standing_recipients(session)))


async def decide(
    session: AsyncSession,
    identity: Identity,
    request_id: int,
    *,
    approve: bool,
    note: str | None,
    now: datetime,
    who: str,
) -> Decided:
    """Approve (move the deadline) or refuse (with a reason) a request that is still open."""
    if not may_decide(identity):
        raise ExtensionRejected(Refusal.ROLE)
    cleaned = read_reason(note) if note is not None else None
    if not approve and cleaned is None:
        raise ExtensionRejected(Refusal.REASON)
    before = await find_request(session, request_id)
    if before is None:
        raise ExtensionRejected(Refusal.NOT_FOUND)
    decision = APPROVED if approve else REFUSED
    changed = await session.execute(
        update(ExtensionRequest)
        .where(ExtensionRequest.id == request_id, ExtensionRequest.decision.is_(None))
        .values(
            decision=decision,
            decided_by=identity.official.id,
            decided_at=now,
            decision_note=cleaned,
        )
        .execution_options(synchronize_session="evaluate")
    )
    if changed.rowcount != 1:  # decided by someone else first
        latest = await find_request(session, request_id)
        assert latest is not None
        return Decided(False, latest)
    deadline_change = None
    if approve:
        assignment = await session.scalar(
            select(Assignment)
            .where(Assignment.id == before.assignment_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert assignment is not None
        # Never shorten: a deadline already later than the one asked for stays as it is.
        if before.requested_deadline > assignment.deadline:
            deadline_change = {
                "before": assignment.deadline.isoformat(),
                "after": before.requested_deadline.isoformat(),
            }
            assignment.deadline = before.requested_deadline
    audit.record(
        session,
        now=now,
        action="extension.decided",
        actor_official_id=identity.official.id,
        actor_account=who,
        entity="extensionrequest",
        entity_id=request_id,
        before={"decision": None, "assignment_id": before.assignment_id},
        after={
            "decision": decision,
            "decision_note": cleaned,
            "deadline": deadline_change,
        },
    )
    after = await find_request(session, request_id)
    assert after is not None
    recipients = await unit_recipients(session, after.unit_id, also=[after.requested_by])
    return Decided(True, after, tuple(recipients))
