"""Deciding an extension request: the standing office approves or refuses it, once.

Approving moves `Assignment.deadline` (never `original_deadline`); reminders and overdue
alerts read `deadline`, so they follow the new date without further work. Refusing needs a
reason. A request is decided by a conditional UPDATE on `decision IS NULL`, so a second
decision changes nothing and is told the first one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.extensions.rules import (
    APPROVED,
    REFUSED,
    ExtensionRejected,
    Refusal,
    RequestView,
    find_request,
    may_decide,
)
from bot.services.people.identity import Identity
from bot.services.reports.review import unit_recipients
from bot.services.reports.submission import Recipient
from bot.services.text import read_text
from db.engine import rowcount
from db.models import Assignment, ExtensionRequest


@dataclass(frozen=True)
class Decided:
    """A decision, or the one someone else took first (`decided` False)."""

    decided: bool
    request: RequestView
    recipients: tuple[Recipient, ...] = ()


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
    cleaned = read_text(note).value if note is not None else None
    if not approve and cleaned is None:
        raise ExtensionRejected(Refusal.REASON)
    before = await find_request(session, request_id)
    if before is None:
        raise ExtensionRejected(Refusal.NOT_FOUND)
    decision = APPROVED if approve else REFUSED
    changed = await session.execute(
        update(ExtensionRequest)
        .where(col(ExtensionRequest.id) == request_id, col(ExtensionRequest.decision).is_(None))
        .values(
            decision=decision,
            decided_by=identity.official.id,
            decided_at=now,
            decision_note=cleaned,
        )
        .execution_options(synchronize_session="evaluate")
    )
    if rowcount(changed) != 1:  # decided by someone else first
        latest = await find_request(session, request_id)
        assert latest is not None
        return Decided(False, latest)
    deadline_change = None
    if approve:
        assignment = await session.scalar(
            select(Assignment)
            .where(col(Assignment.id) == before.assignment_id)
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
    recipients = await unit_recipients(session, after.unit_id, now, also=[after.requested_by])
    return Decided(True, after, tuple(recipients))
