"""One assignment's page: the task, its units, the deadline's history, every report in order
with its evidence, and the standing office's review decisions (from the audit log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.services.dates.timing import Timing, derive_timing
from db.models import (
    Assignment,
    AuditLog,
    ExtensionRequest,
    Official,
    ProgressReport,
    Task,
    TaskGroup,
    Unit,
)

REVIEW_ACTIONS = ("review.confirmed", "review.returned")


@dataclass(frozen=True)
class Party:
    """A unit the task was given to, as lead or support, with its assignment's state."""

    assignment_id: int
    unit_id: int
    unit_name: str
    role: str
    status: str
    review: str | None


@dataclass(frozen=True)
class Report:
    """A progress report with who sent it and its evidence (by report id)."""

    report_id: int
    official_name: str
    status: str
    progress: int
    done_text: str
    difficulty: str | None
    proposal: str | None
    evidence_kind: str | None
    evidence_name: str | None
    channel: str
    created_at: datetime


@dataclass(frozen=True)
class Decision:
    """A review decision: confirmed or returned, by whom, when, why."""

    action: str
    official_name: str
    at: datetime
    note: str | None


@dataclass(frozen=True)
class DeadlineChange:
    """A deadline extension request and what was decided."""

    current_deadline: date
    requested_deadline: date
    reason: str
    requested_by: str
    created_at: datetime
    decision: str | None
    decided_at: datetime | None
    decision_note: str | None


@dataclass(frozen=True)
class AssignmentPage:
    """Everything an assignment's page shows."""

    assignment: Assignment
    task: Task
    group: TaskGroup
    unit: Unit
    timing: Timing
    parties: tuple[Party, ...]
    reports: tuple[Report, ...]
    decisions: tuple[Decision, ...]
    deadline_changes: tuple[DeadlineChange, ...]


async def assignment_unit(session: AsyncSession, assignment_id: int) -> int | None:
    """The unit an assignment belongs to (to authorise before reading more), or None."""
    return await session.scalar(
        select(col(Assignment.unit_id)).where(col(Assignment.id) == assignment_id)
    )


async def _parties(session: AsyncSession, task_id: int) -> tuple[Party, ...]:
    """Every unit the assignment's task was given to, lead units first."""
    rows = await session.execute(
        select(Assignment, col(Unit.name))
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .where(col(Assignment.task_id) == task_id)
        .order_by(col(Assignment.role), col(Unit.name))
    )
    return tuple(
        Party(a.id or 0, a.unit_id, name, a.role, a.status, a.review) for a, name in rows.all()
    )


async def _reports(session: AsyncSession, assignment_id: int) -> tuple[Report, ...]:
    """Every report on the assignment, oldest first."""
    rows = await session.execute(
        select(ProgressReport, col(Official.name))
        .join(Official, col(Official.id) == ProgressReport.official_id)
        .where(col(ProgressReport.assignment_id) == assignment_id)
        .order_by(col(ProgressReport.created_at), col(ProgressReport.id))
    )
    return tuple(
        Report(
            r.id or 0,
            name,
            r.status,
            r.progress,
            r.done_text,
            r.difficulty,
            r.proposal,
            r.evidence_kind if r.evidence_file_id else None,
            r.evidence_name,
            r.channel,
            r.created_at,
        )
        for r, name in rows.all()
    )


async def _decisions(session: AsyncSession, assignment_id: int) -> tuple[Decision, ...]:
    """The review decisions on the assignment, from the audit log, oldest first."""
    rows = await session.execute(
        select(AuditLog, col(Official.name))
        .outerjoin(Official, col(Official.id) == AuditLog.actor_official_id)
        .where(
            col(AuditLog.entity) == "assignment",
            col(AuditLog.entity_id) == assignment_id,
            col(AuditLog.action).in_(REVIEW_ACTIONS),
        )
        .order_by(col(AuditLog.at), col(AuditLog.id))
    )
    return tuple(
        Decision(entry.action, name or "", entry.at, (entry.after or {}).get("review_note"))
        for entry, name in rows.all()
    )


async def _deadline_changes(
    session: AsyncSession, assignment_id: int
) -> tuple[DeadlineChange, ...]:
    """The extension requests of the assignment and their decisions, oldest first."""
    requester = aliased(Official)
    rows = await session.execute(
        select(ExtensionRequest, col(requester.name))
        .join(requester, col(requester.id) == ExtensionRequest.requested_by)
        .where(col(ExtensionRequest.assignment_id) == assignment_id)
        .order_by(col(ExtensionRequest.created_at), col(ExtensionRequest.id))
    )
    return tuple(
        DeadlineChange(
            e.current_deadline,
            e.requested_deadline,
            e.reason,
            name,
            e.created_at,
            e.decision,
            e.decided_at,
            e.decision_note,
        )
        for e, name in rows.all()
    )


async def assignment_page(
    session: AsyncSession, assignment_id: int, today: date
) -> AssignmentPage | None:
    """The assignment's page as of `today` (local), or None when there is none (callers
    authorise with `assignment_unit` first)."""
    row = (
        await session.execute(
            select(Assignment, Task, TaskGroup, Unit)
            .join(Task, col(Task.id) == Assignment.task_id)
            .join(TaskGroup, col(TaskGroup.id) == Task.group_id)
            .join(Unit, col(Unit.id) == Assignment.unit_id)
            .where(col(Assignment.id) == assignment_id)
        )
    ).first()
    if row is None:
        return None
    assignment, task, group, unit = row
    return AssignmentPage(
        assignment=assignment,
        task=task,
        group=group,
        unit=unit,
        timing=derive_timing(assignment.status, assignment.deadline, assignment.done_on, today),
        parties=await _parties(session, task.id or 0),
        reports=await _reports(session, assignment_id),
        decisions=await _decisions(session, assignment_id),
        deadline_changes=await _deadline_changes(session, assignment_id),
    )
