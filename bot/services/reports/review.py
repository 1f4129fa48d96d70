"""Verifying results: a result reported done is a claim until the standing office decides.

The standing office confirms a claim (the result counts as done on time or late by the day
the unit reported it done) or returns it with a reason (the work goes back to in progress).
Each claim is decided once: the decision is a conditional UPDATE on `review = 'pending'`,
so of two officers pressing at the same moment only the first changes anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.dates.timing import Timing, derive_timing
from bot.services.people.identity import Identity
from bot.services.people.permissions import Action, may
from bot.services.people.reach import notice_accounts
from bot.services.reports.submission import Recipient
from bot.services.text import read_text
from db.engine import rowcount
from db.models import (
    Assignment,
    Official,
    ProgressReport,
    Review,
    Role,
    Status,
    Task,
    Unit,
)


class ReviewRejected(Exception):
    """The action is not allowed or its input is invalid (handlers check first; a backstop)."""


@dataclass(frozen=True)
class Claim:
    """A result reported done and waiting for the standing office, with the report behind it."""

    assignment_id: int
    report_id: int
    task_code: str
    title: str
    unit_id: int
    unit_name: str
    reporter_id: int
    reporter: str
    reported_at: datetime
    deadline: date
    done_on: date | None
    done_text: str
    difficulty: str | None
    proposal: str | None
    evidence_kind: str | None
    evidence_name: str | None
    evidence_file_id: str | None
    evidence_channel: str | None = None  # a file reference is only valid on its own channel


@dataclass(frozen=True)
class Verdict:
    """What became of a decision: taken, or found already taken by someone else."""

    decided: bool
    claim: Claim | None
    review: str | None  # the assignment's review after this action
    decided_by: str | None  # who decided, when `decided` is False and someone did
    timing: Timing | None = None
    recipients: tuple[Recipient, ...] = ()


def may_review(identity: Identity) -> bool:
    """Only the standing office confirms or returns results."""
    return may(identity.official, Action.REVIEW_RESULTS)


def pending_filter() -> tuple[ColumnElement[bool], ...]:
    """The conditions of a claim still waiting for the standing office."""
    # A claim stops being one if the unit reports again with another status.
    return (col(Assignment.review) == Review.PENDING, col(Assignment.status) == Status.DONE)


async def count_pending(session: AsyncSession) -> int:
    """How many claims wait for a decision."""
    total = await session.scalar(
        select(func.count()).select_from(Assignment).where(*pending_filter())
    )
    return int(total or 0)


async def claim_at(session: AsyncSession, index: int) -> tuple[Claim | None, int]:
    """The claim at `index` in the queue (oldest report first), and the queue's length."""
    total = await count_pending(session)
    if index < 0 or index >= total:
        return None, total
    assignment_id = await session.scalar(
        select(col(Assignment.id))
        .where(*pending_filter())
        .order_by(col(Assignment.last_report_at), col(Assignment.id))
        .offset(index)
        .limit(1)
    )
    claim = await find_claim(session, assignment_id or 0)
    return claim, total


async def find_claim(session: AsyncSession, assignment_id: int) -> Claim | None:
    """One pending claim with its latest done report; None when it is not (or no longer) one."""
    row = (
        await session.execute(
            select(Assignment, Task, Unit)
            .join(Task, col(Task.id) == Assignment.task_id)
            .join(Unit, col(Unit.id) == Assignment.unit_id)
            .where(col(Assignment.id) == assignment_id, *pending_filter())
        )
    ).first()
    if row is None:
        return None
    assignment, task, unit = row
    found = (
        await session.execute(
            select(ProgressReport, Official)
            .join(Official, col(Official.id) == ProgressReport.official_id)
            .where(
                col(ProgressReport.assignment_id) == assignment_id,
                col(ProgressReport.status) == Status.DONE,
            )
            .order_by(col(ProgressReport.created_at).desc(), col(ProgressReport.id).desc())
            .limit(1)
        )
    ).first()
    if found is None:
        return None
    report, reporter = found
    return Claim(
        assignment_id=assignment_id,
        report_id=report.id or 0,
        task_code=task.code,
        title=task.title,
        unit_id=unit.id or 0,
        unit_name=unit.name,
        reporter_id=reporter.id or 0,
        reporter=reporter.name,
        reported_at=report.created_at,
        deadline=assignment.deadline,
        done_on=assignment.done_on,
        done_text=report.done_text,
        difficulty=report.difficulty,
        proposal=report.proposal,
        evidence_kind=report.evidence_kind,
        evidence_name=report.evidence_name,
        evidence_file_id=report.evidence_file_id,
        evidence_channel=report.channel if report.evidence_file_id else None,
    )


async def confirm(
    session: AsyncSession,
    identity: Identity,
    assignment_id: int,
    *,
    now: datetime,
    today: date,
    who: str,
) -> Verdict:
    """Confirm a claim: the result counts as done, on time or late by the day it was reported."""
    if not may_review(identity):
        raise ReviewRejected("role")
    claim = await find_claim(session, assignment_id)
    if claim is None:
        return await _already(session, assignment_id)
    changed = await session.execute(
        update(Assignment)
        .where(col(Assignment.id) == assignment_id, *pending_filter())
        .values(review=Review.CONFIRMED, reviewed_by=identity.official.id, reviewed_at=now)
        .execution_options(synchronize_session="evaluate")
    )
    if rowcount(changed) != 1:  # another officer decided between our read and our write
        return await _already(session, assignment_id)
    timing = derive_timing(Status.DONE, claim.deadline, claim.done_on, today)
    audit.record(
        session,
        now=now,
        action="review.confirmed",
        actor_official_id=identity.official.id,
        actor_account=who,
        entity="assignment",
        entity_id=assignment_id,
        before={"status": Status.DONE.value, "review": Review.PENDING.value},
        after={
            "status": Status.DONE.value,
            "review": Review.CONFIRMED.value,
            "report_id": claim.report_id,
            "done_on": claim.done_on.isoformat() if claim.done_on else None,
            "timing": timing.value,
        },
    )
    recipients = await unit_recipients(session, claim.unit_id, now, also=[claim.reporter_id])
    return Verdict(True, claim, Review.CONFIRMED, None, timing, tuple(recipients))


async def return_result(
    session: AsyncSession,
    identity: Identity,
    assignment_id: int,
    reason: str,
    *,
    now: datetime,
    who: str,
) -> Verdict:
    """Return a claim with a reason: the work is in progress again and the unit is told why."""
    if not may_review(identity):
        raise ReviewRejected("role")
    cleaned = read_text(reason).value
    if cleaned is None:
        raise ReviewRejected("reason")
    reason = cleaned
    claim = await find_claim(session, assignment_id)
    if claim is None:
        return await _already(session, assignment_id)
    changed = await session.execute(
        update(Assignment)
        .where(col(Assignment.id) == assignment_id, *pending_filter())
        .values(
            status=Status.IN_PROGRESS,
            done_on=None,
            review=Review.RETURNED,
            review_note=reason,
            reviewed_by=identity.official.id,
            reviewed_at=now,
        )
        .execution_options(synchronize_session="evaluate")
    )
    if rowcount(changed) != 1:
        return await _already(session, assignment_id)
    audit.record(
        session,
        now=now,
        action="review.returned",
        actor_official_id=identity.official.id,
        actor_account=who,
        entity="assignment",
        entity_id=assignment_id,
        before={
            "status": Status.DONE.value,
            "review": Review.PENDING.value,
            "done_on": claim.done_on.isoformat() if claim.done_on else None,
        },
        after={
            "status": Status.IN_PROGRESS.value,
            "review": Review.RETURNED.value,
            "review_note": reason,
            "report_id": claim.report_id,
        },
    )
    recipients = await unit_recipients(session, claim.unit_id, now, also=[claim.reporter_id])
    return Verdict(True, claim, Review.RETURNED, None, None, tuple(recipients))


async def _already(session: AsyncSession, assignment_id: int) -> Verdict:
    """The claim is no longer pending: say what it is now and who decided it."""
    row = (
        await session.execute(
            select(col(Assignment.review), col(Official.name))
            .outerjoin(Official, col(Official.id) == Assignment.reviewed_by)
            .where(col(Assignment.id) == assignment_id)
        )
    ).first()
    if row is None:
        return Verdict(False, None, None, None)
    review, name = row
    return Verdict(False, None, review, name)


async def unit_recipients(
    session: AsyncSession, unit_id: int, now: datetime, also: Iterable[int] = ()
) -> list[Recipient]:
    """The unit's focal officers and heads (plus `also`), on every reachable account."""
    extra = [i for i in also if i]
    people = list(
        await session.scalars(
            select(Official).where(
                col(Official.active),
                or_(
                    and_(
                        col(Official.unit_id) == unit_id,
                        col(Official.role).in_([Role.FOCAL, Role.HEAD]),
                    ),
                    col(Official.id).in_(extra),
                ),
            )
        )
    )
    return await _on_accounts(session, people, now)


async def standing_recipients(session: AsyncSession, now: datetime) -> list[Recipient]:
    """Every active standing officer, on every reachable account."""
    people = list(
        await session.scalars(
            select(Official).where(col(Official.active), col(Official.role) == Role.STANDING)
        )
    )
    return await _on_accounts(session, people, now)


async def _on_accounts(
    session: AsyncSession, people: list[Official], now: datetime
) -> list[Recipient]:
    by_id = {p.id: p for p in people}
    accounts = await notice_accounts(session, [p.id for p in people if p.id is not None], now)
    return [Recipient(a, by_id[o].locale, by_id[o].name) for o, a in accounts]
