"""Submitting a progress report: append it, update the assignment, open blockers and
proposals, tell the head."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.files import keeping
from bot.services.people.identity import Identity
from bot.services.people.reach import notice_accounts
from bot.services.reports.empty_answers import means_none
from bot.services.text import read_text
from db.models import (
    Assignment,
    Blocker,
    ChatAccount,
    Official,
    ProgressReport,
    Proposal,
    Review,
    Role,
    Status,
)


class ReportRejected(Exception):
    """The draft is not a valid report (the conversation validates first; this is the backstop)."""


@dataclass(frozen=True)
class Recipient:
    """Someone to tell, on one account, in their language."""

    account: ChatAccount
    locale: str | None
    name: str


@dataclass(frozen=True)
class Submitted:
    """The stored report and who must be told about it."""

    report_id: int
    assignment_id: int
    status: str
    progress: int
    blocker_opened: bool
    heads: list[Recipient]


def _check(draft: dict[str, Any]) -> None:
    if draft.get("status") not in {s.value for s in Status}:
        raise ReportRejected("status")
    progress = draft.get("progress")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ReportRejected("progress")
    if read_text(draft.get("done_text")).problem is not None:
        raise ReportRejected("done_text")
    for optional in ("difficulty", "proposal"):
        value = draft.get(optional)
        if value is not None and read_text(value).problem is not None:
            raise ReportRejected(optional)


async def submit(
    session: AsyncSession,
    identity: Identity,
    assignment_id: int,
    draft: dict[str, Any],
    *,
    channel: str,
    now: datetime,
    today: date,
) -> Submitted:
    """Store one report from the unit that owns the assignment."""
    _check(draft)
    # "Không", "chưa có", "Bỏ qua"… at an optional question mean none: no blocker, no proposal.
    difficulty, proposal = (
        None if means_none(draft.get(k)) else draft[k] for k in ("difficulty", "proposal")
    )
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None or assignment.unit_id != identity.unit.id:
        raise ReportRejected("assignment")
    before = {"status": assignment.status, "progress": assignment.progress}
    status = draft["status"]
    progress = 100 if status == Status.DONE else draft["progress"]
    report = ProgressReport(
        assignment_id=assignment_id,
        official_id=identity.official.id or 0,
        status=status,
        progress=progress,
        done_text=draft["done_text"].strip(),
        difficulty=difficulty,
        proposal=proposal,
        evidence_kind=draft.get("evidence_kind"),
        evidence_file_id=draft.get("evidence_file_id"),
        evidence_name=draft.get("evidence_name"),
        channel=channel,
        created_at=now,
    )
    session.add(report)
    await session.flush()
    await keeping.keep(session, report.evidence_file_id)  # evidence is kept with the report
    assignment.status = status
    assignment.progress = progress
    assignment.last_report_at = now
    assignment.done_on = today if status == Status.DONE else None
    if status == Status.DONE:
        # A result reported done is a claim until the standing office confirms it.
        assignment.review = Review.PENDING
        assignment.reviewed_by = assignment.reviewed_at = assignment.review_note = None
    if report.difficulty:
        session.add(
            Blocker(
                assignment_id=assignment_id,
                report_id=report.id or 0,
                text=report.difficulty,
                opened_at=now,
            )
        )
    if report.proposal:
        # Tracked until the standing office answers it (bot.services.proposals).
        session.add(
            Proposal(
                assignment_id=assignment_id,
                report_id=report.id or 0,
                proposed_by=identity.official.id or 0,
                text=report.proposal,
                opened_at=now,
            )
        )
    audit.record(
        session,
        now=now,
        action="report.submitted",
        actor_official_id=identity.official.id,
        actor_account=f"{channel}:{identity.account.user_key}",
        entity="assignment",
        entity_id=assignment_id,
        before=before,
        after={"status": status, "progress": progress, "report_id": report.id},
    )
    tell_head = bool(report.difficulty) or status == Status.DONE
    heads = await _heads_of(session, identity, now) if tell_head else []
    return Submitted(
        report.id or 0, assignment_id, status, progress, bool(report.difficulty), heads
    )


async def _heads_of(session: AsyncSession, identity: Identity, now: datetime) -> list[Recipient]:
    """The unit's heads, other than the reporter, on every account they have."""
    heads = list(
        await session.scalars(
            select(Official).where(
                col(Official.unit_id) == identity.unit.id,
                col(Official.role) == Role.HEAD,
                col(Official.active),
                col(Official.id) != identity.official.id,
            )
        )
    )
    by_id = {h.id: h for h in heads}
    accounts = await notice_accounts(session, [h.id for h in heads if h.id is not None], now)
    return [Recipient(a, by_id[o].locale, by_id[o].name) for o, a in accounts]
