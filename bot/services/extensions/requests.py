"""Asking for a later deadline: the assignment to extend, and storing the request.

A focal officer or head may ask only for an open assignment of their own unit, and only
while no other request for it is waiting (a partial unique index is the last word on
that). The request is checked again when it is stored, audited, and returned with the
standing officers to ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.extensions.dates import check_new_deadline
from bot.services.extensions.rules import (
    ExtensionRejected,
    Refusal,
    RequestView,
    find_request,
    may_request,
)
from bot.services.people.identity import Identity
from bot.services.reports.review import standing_recipients
from bot.services.reports.submission import Recipient
from bot.services.text import read_text
from db.models import Assignment, ExtensionRequest, Status, Task


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


async def _open_request_id(session: AsyncSession, assignment_id: int) -> int | None:
    return await session.scalar(
        select(col(ExtensionRequest.id))
        .where(
            col(ExtensionRequest.assignment_id) == assignment_id,
            col(ExtensionRequest.decision).is_(None),
        )
        .order_by(col(ExtensionRequest.id))
        .limit(1)
    )


async def waiting_assignments(session: AsyncSession, unit_id: int) -> set[int]:
    """The unit's assignments that have a request waiting for the standing office."""
    rows = await session.scalars(
        select(col(ExtensionRequest.assignment_id))
        .join(Assignment, col(Assignment.id) == ExtensionRequest.assignment_id)
        .where(col(Assignment.unit_id) == unit_id, col(ExtensionRequest.decision).is_(None))
    )
    return set(rows)


async def target(
    session: AsyncSession, identity: Identity, assignment_id: int, *, lock: bool = False
) -> Target:
    """The unit's open assignment to extend; ExtensionRejected for anything else."""
    if not may_request(identity):
        raise ExtensionRejected(Refusal.ROLE)
    query = (
        select(Assignment, Task)
        .join(Task, col(Task.id) == Assignment.task_id)
        .where(col(Assignment.id) == assignment_id)
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
        raise ExtensionRejected(Refusal.OPEN_REQUEST, found.open_request)
    if check_new_deadline(requested, found.deadline, today) is not None:
        raise ExtensionRejected(Refusal.DATE)
    cleaned = read_text(reason).value
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
    return Requested(view, tuple(await standing_recipients(session, now)))
