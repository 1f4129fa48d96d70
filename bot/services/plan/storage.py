"""A checked plan written to the database, with what was created counted and audited.

The plan, its groups, its tasks and pilot models with a lead and support assignments each,
and its indicators are inserted in the caller's transaction, ids coming back from batched
inserts; one "plan.imported" audit entry records the plan and the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.plan.checks import IndicatorRow, TaskRow
from db.models import Assignment, AssignmentRole, Indicator, Plan, Task, TaskGroup, TaskKind


@dataclass(frozen=True)
class Imported:
    """What an import created."""

    plan_id: int
    plan_code: str
    groups: int
    tasks: int
    pilot_models: int
    lead_assignments: int
    support_assignments: int
    indicators: int


async def write(
    session: AsyncSession,
    plan_row: tuple[str, str],
    groups: dict[str, str],
    tasks: list[TaskRow],
    indicators: list[IndicatorRow],
    now: datetime,
    actor_account: str,
) -> Imported:
    """Insert everything checked; ids come back from batched inserts, not row by row."""
    plan = Plan(code=plan_row[0], title=plan_row[1])
    session.add(plan)
    await session.flush()
    plan_id = plan.id or 0
    added = await add(session, plan_id, groups, tasks, indicators)
    pilots = sum(1 for t in tasks if t.kind == TaskKind.PILOT_MODEL)
    supports = sum(len(t.support) for t in tasks)
    result = Imported(
        plan_id=plan_id,
        plan_code=plan.code,
        groups=added,
        tasks=len(tasks) - pilots,
        pilot_models=pilots,
        lead_assignments=len(tasks),
        support_assignments=supports,
        indicators=len(indicators),
    )
    audit.record(
        session,
        now=now,
        action="plan.imported",
        actor_account=actor_account,
        entity="plan",
        entity_id=plan_id,
        after={"code": plan.code, "title": plan.title, **_counts(result)},
    )
    return result


async def add(
    session: AsyncSession,
    plan_id: int,
    groups: dict[str, str],
    tasks: list[TaskRow],
    indicators: list[IndicatorRow],
) -> int:
    """Add groups the plan lacks, then tasks (with their assignments) and indicators to it;
    how many groups were added."""
    known = {
        group.code: group
        for group in await session.scalars(
            select(TaskGroup).where(col(TaskGroup.plan_id) == plan_id)
        )
    }
    new_groups = {
        code: TaskGroup(plan_id=plan_id, code=code, title=t)
        for code, t in groups.items()
        if code not in known
    }
    session.add_all(new_groups.values())
    await session.flush()
    group_rows = known | new_groups
    task_rows = [
        Task(
            group_id=group_rows[t.group].id or 0,
            code=t.code,
            title=t.title,
            kind=t.kind,
            deliverable=t.deliverable,
        )
        for t in tasks
    ]
    session.add_all(task_rows)
    await session.flush()
    assignments = []
    for source, task in zip(tasks, task_rows, strict=True):
        for unit_id, role in [
            (source.lead, AssignmentRole.LEAD),
            *((u, AssignmentRole.SUPPORT) for u in source.support),
        ]:
            assignments.append(
                Assignment(
                    task_id=task.id or 0,
                    unit_id=unit_id,
                    role=role,
                    deadline=source.deadline,
                    original_deadline=source.deadline,
                )
            )
    session.add_all(assignments)
    session.add_all(
        Indicator(
            code=i.code,
            title=i.title,
            kind=i.kind,
            unit_id=i.unit,
            target=i.target,
            direction=i.direction,
            plan_id=plan_id,
        )
        for i in indicators
    )
    await session.flush()
    return len(new_groups)


def _counts(result: Imported) -> dict[str, int]:
    """The created counts of an import, for the audit entry."""
    return {
        "groups": result.groups,
        "tasks": result.tasks,
        "pilot_models": result.pilot_models,
        "lead_assignments": result.lead_assignments,
        "support_assignments": result.support_assignments,
        "indicators": result.indicators,
    }
