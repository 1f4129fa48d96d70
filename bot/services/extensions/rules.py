"""Deadline extensions: a unit asks for a later deadline, the standing office decides once.

Here is what asking and deciding share: who may do which, the typed reason, and a stored
request as people see it. Asking is in
`bot.services.extensions.requests`, deciding in `bot.services.extensions.decisions`, and
checking the new date in `bot.services.extensions.dates`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.people.identity import Identity
from bot.services.people.permissions import Action, may
from db.models import Assignment, ExtensionRequest, Official, Task, Unit

APPROVED = "approved"
REFUSED = "refused"


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

    def __init__(self, why: Refusal, request: RequestView | None = None) -> None:
        super().__init__(why.value)
        self.why = why
        self.request = request  # the request already waiting, for OPEN_REQUEST


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


def may_request(identity: Identity) -> bool:
    """Focal officers and heads ask for extensions of their unit's work."""
    return may(identity.official, Action.REQUEST_EXTENSION)


def may_decide(identity: Identity) -> bool:
    """Only the standing office decides extensions."""
    return may(identity.official, Action.DECIDE_EXTENSION)


async def find_request(session: AsyncSession, request_id: int) -> RequestView | None:
    """One request with its task, unit and people."""
    row = (
        await session.execute(
            select(ExtensionRequest, Task, Unit, Official)
            .join(Assignment, col(Assignment.id) == ExtensionRequest.assignment_id)
            .join(Task, col(Task.id) == Assignment.task_id)
            .join(Unit, col(Unit.id) == Assignment.unit_id)
            .join(Official, col(Official.id) == ExtensionRequest.requested_by)
            .where(col(ExtensionRequest.id) == request_id)
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
