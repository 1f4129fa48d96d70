"""A revised plan imported again: the tasks it has already are updated by code.

A task's title, deliverable, deadline and units follow the file; new groups, tasks and
indicators are added; tasks missing from the file are left as they are. A deadline moves
the open assignments' `deadline` only (`original_deadline` stays as first given), and a
deadline the file repeats as first given leaves an extension granted since in place. A
unit taken off a task loses its assignment only if it has not reported on it or asked for
an extension; otherwise the file is refused. Every change is computed and checked before
anything is written, and each changed task gets its own audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.plan.checks import TaskRow
from bot.services.plan.rows import Checker
from bot.services.plan.template import TASK_SHEET
from db.models import (
    Assignment,
    AssignmentRole,
    ExtensionRequest,
    ProgressReport,
    Status,
    Task,
    TaskGroup,
    Unit,
)


@dataclass(frozen=True)
class Change:
    """One field of one task, before and after, as the operator reads it."""

    task: str
    what: str
    before: str
    after: str

    def __str__(self) -> str:
        """'NV-02: thời hạn: 19/11/2026 → 30/11/2026'."""
        return f"{self.task}: {self.what}: {self.before or '—'} → {self.after or '—'}"


@dataclass
class Revision:
    """What re-importing a plan changes."""

    plan_code: str
    groups_added: list[str] = field(default_factory=list)
    tasks_added: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class _Plan:
    """One existing task's update, worked out before writing."""

    task: Task
    row: TaskRow
    assignments: dict[int, Assignment]  # unit id → its assignment of the task
    changes: list[Change]
    deadline: date | None  # the new deadline, when it moves


_ROLE: dict[str, str] = {AssignmentRole.LEAD: "chủ trì", AssignmentRole.SUPPORT: "phối hợp"}


def _day(day: date) -> str:
    """A date as the template writes it."""
    return day.strftime("%d/%m/%Y")


async def compare(
    session: AsyncSession,
    plan_id: int,
    plan_code: str,
    groups: dict[str, str],
    tasks: list[TaskRow],
    check: Checker,
) -> tuple[Revision, list[_Plan], list[TaskRow]]:
    """The changes the file makes to the plan, and its new tasks; refusals go to `check`."""
    revision = Revision(plan_code)
    known_groups = set(
        await session.scalars(select(col(TaskGroup.code)).where(col(TaskGroup.plan_id) == plan_id))
    )
    revision.groups_added = [code for code in groups if code not in known_groups]
    existing = {
        task.code: task
        for task in await session.scalars(
            select(Task)
            .join(TaskGroup, col(TaskGroup.id) == Task.group_id)
            .where(col(TaskGroup.plan_id) == plan_id)
        )
    }
    code_of = {i: c for i, c in (await session.execute(select(col(Unit.id), col(Unit.code))))}
    updates: list[_Plan] = []
    new: list[TaskRow] = []
    for row in tasks:
        task = existing.get(row.code)
        if task is None:
            new.append(row)
            continue
        assignments = {
            a.unit_id: a
            for a in await session.scalars(
                select(Assignment).where(col(Assignment.task_id) == task.id)
            )
        }
        update = _Plan(task, row, assignments, [], None)
        _fields(update)
        await _units(session, update, code_of, check)
        if update.changes:
            updates.append(update)
            revision.changes += update.changes
        else:
            revision.unchanged += 1
    revision.tasks_added = [row.code for row in new]
    return revision, updates, new


def _fields(update: _Plan) -> None:
    """Title, deliverable and deadline."""
    task, row = update.task, update.row
    for what, before, after in [
        ("tên", task.title, row.title),
        ("sản phẩm", task.deliverable, row.deliverable),
    ]:
        if before != after:
            update.changes.append(Change(row.code, what, before, after))
    lead = next((a for a in update.assignments.values() if a.role == AssignmentRole.LEAD), None)
    if lead is None:
        return
    if row.deadline not in (lead.deadline, lead.original_deadline):
        update.deadline = row.deadline
        update.changes.append(Change(row.code, "thời hạn", _day(lead.deadline), _day(row.deadline)))


async def _units(
    session: AsyncSession, update: _Plan, code_of: dict[int, str], check: Checker
) -> None:
    """Lead and support units: roles switched, units added, units taken off if they may be."""
    row = update.row
    wanted = {row.lead: AssignmentRole.LEAD, **{u: AssignmentRole.SUPPORT for u in row.support}}
    for unit_id, role in wanted.items():
        current = update.assignments.get(unit_id)
        if current is None:
            label = "thêm đơn vị chủ trì" if role == AssignmentRole.LEAD else "thêm đơn vị phối hợp"
            update.changes.append(Change(row.code, label, "", code_of[unit_id]))
        elif current.role != role:
            update.changes.append(
                Change(
                    row.code, f"vai trò của {code_of[unit_id]}", _ROLE[current.role], _ROLE[role]
                )
            )
    for unit_id, assignment in update.assignments.items():
        if unit_id in wanted:
            continue
        if await _has_history(session, assignment.id):
            check.add(
                TASK_SHEET,
                row.row,
                f'đơn vị "{code_of[unit_id]}" đã báo cáo hoặc xin gia hạn nhiệm vụ '
                f'"{row.code}": không bỏ đơn vị này được',
            )
        update.changes.append(Change(row.code, "bỏ đơn vị", code_of[unit_id], ""))


async def _has_history(session: AsyncSession, assignment_id: int) -> bool:
    """Whether an assignment has a report or an extension request."""
    for model in (ProgressReport, ExtensionRequest):
        found = await session.scalar(
            select(col(model.id)).where(col(model.assignment_id) == assignment_id).limit(1)
        )
        if found is not None:
            return True
    return False


async def apply(
    session: AsyncSession,
    updates: list[_Plan],
    *,
    now: datetime,
    actor_account: str,
) -> None:
    """Write the checked updates of existing tasks, one audit entry per task."""
    for update in updates:
        task, row = update.task, update.row
        before = {"title": task.title, "deliverable": task.deliverable}
        task.title, task.deliverable = row.title, row.deliverable
        wanted = {
            row.lead: AssignmentRole.LEAD,
            **{u: AssignmentRole.SUPPORT for u in row.support},
        }
        for unit_id, assignment in update.assignments.items():
            if unit_id not in wanted:
                await session.execute(delete(Assignment).where(col(Assignment.id) == assignment.id))
                continue
            assignment.role = wanted[unit_id]
            if update.deadline is not None and assignment.status != Status.DONE:
                assignment.deadline = update.deadline
        for unit_id, role in wanted.items():
            if unit_id not in update.assignments:
                deadline = update.deadline or row.deadline
                session.add(
                    Assignment(
                        task_id=task.id,
                        unit_id=unit_id,
                        role=role,
                        deadline=deadline,
                        original_deadline=deadline,
                    )
                )
        audit.record(
            session,
            now=now,
            action="task.revised",
            actor_account=actor_account,
            entity="task",
            entity_id=task.id,
            before=before,
            after={
                "title": row.title,
                "deliverable": row.deliverable,
                "changes": [str(change) for change in update.changes],
            },
        )
    await session.flush()
