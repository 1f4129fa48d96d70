"""The province's weekly digest: counts, pilot models, ranking, longest overdue, silent units.

Like the unit digests, every figure comes from a handful of set-based queries over the
whole province, never one query per unit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.periods import Regime, period_of
from bot.services.dates.timing import days_late
from bot.services.digests.criteria import (
    focal_names,
    has_report,
    is_open,
    local_zone,
    period_bounds,
)
from bot.services.digests.model import (
    STATUSES,
    GroupCount,
    Item,
    ProvinceDigest,
    UnitRef,
    UnitScore,
)
from db.models import Assignment, AssignmentRole, Official, Status, Task, TaskGroup, TaskKind, Unit

LONGEST_OVERDUE = 10


def pilot_status(counts: dict[str, int]) -> str:
    """One pilot model's status from its assignments' statuses (counts by status).

    Done when every assignment is done; maintained when every one is done or maintained
    (and one is maintained); not started when none has started; in progress otherwise.
    """
    total = sum(counts.values())
    done, maintained = counts.get(Status.DONE, 0), counts.get(Status.MAINTAINED, 0)
    if done == total:
        return Status.DONE
    if done + maintained == total:
        return Status.MAINTAINED
    if counts.get(Status.NOT_STARTED, 0) == total:
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


async def _pilot_models(session: AsyncSession) -> dict[str, int]:
    """Pilot models by status, judged on their lead units (all units if a model has no lead)."""
    rows = await session.execute(
        select(col(Assignment.task_id), col(Assignment.role), col(Assignment.status), func.count())
        .join(Task, col(Task.id) == Assignment.task_id)
        .where(col(Task.kind) == TaskKind.PILOT_MODEL)
        .group_by(col(Assignment.task_id), col(Assignment.role), col(Assignment.status))
    )
    lead: dict[int, dict[str, int]] = defaultdict(dict)
    every: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for task_id, role, status, count in rows:
        every[task_id][status] += count
        if role == AssignmentRole.LEAD:
            lead[task_id][status] = count
    result = dict.fromkeys(STATUSES, 0)
    for task_id, counts in every.items():
        result[pilot_status(lead.get(task_id) or counts)] += 1
    return result


async def _ranking(
    session: AsyncSession, today: date, names: dict[int, str]
) -> tuple[UnitScore, ...]:
    """Units by on-time completion, best first; units with nothing due yet are left out."""
    done = col(Assignment.status) == Status.DONE
    on_time = and_(done, func.coalesce(Assignment.done_on, today) <= Assignment.deadline)
    late_open = and_(is_open(), col(Assignment.deadline) < today)
    rows = await session.execute(
        select(
            col(Assignment.unit_id),
            func.sum(case((on_time, 1), else_=0)),
            func.sum(case((or_(done, col(Assignment.deadline) <= today), 1), else_=0)),
            func.sum(case((late_open, 1), else_=0)),
        ).group_by(col(Assignment.unit_id))
    )
    scores = [
        UnitScore(unit_id, names.get(unit_id, ""), int(good or 0), int(considered or 0), int(late))
        for unit_id, good, considered, late in rows
        if considered
    ]
    scores.sort(key=lambda s: (-s.rate, -s.on_time, s.overdue, s.name, s.unit_id))
    return tuple(scores)


async def _longest_overdue(session: AsyncSession, today: date) -> tuple[Item, ...]:
    """The open assignments furthest past their deadline, province-wide."""
    rows = await session.execute(
        select(
            Assignment,
            col(Task.code),
            col(Task.title),
            col(Unit.name),
            col(Official.name),
            col(Official.active),
        )
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .outerjoin(Official, col(Official.id) == Assignment.focal_official_id)
        .where(is_open(), col(Assignment.deadline) < today)
        .order_by(col(Assignment.deadline), col(Assignment.id))
        .limit(LONGEST_OVERDUE)
    )
    found = rows.all()
    focals = await focal_names(session, sorted({a.unit_id for a, *_ in found}))
    return tuple(
        Item(
            assignment_id=a.id or 0,
            unit_id=a.unit_id,
            task_code=code,
            title=title,
            deadline=a.deadline,
            status=a.status,
            progress=a.progress,
            days_late=days_late(a.deadline, today),
            responsible=(person,) if person and active else focals.get(a.unit_id, ()),
            unit_name=unit_name,
        )
        for a, code, title, unit_name, person, active in found
    )


async def province_digest(
    session: AsyncSession,
    today: date,
    week_start: date,
    *,
    regime: Regime = Regime.MONTH,
    zone: ZoneInfo | None = None,
) -> ProvinceDigest:
    """The province's digest as of `today` (local).

    Counts are of assignments (a task given to three units counts three times), by stored
    status and by task group; `overdue` is open work past its deadline. Pilot models are
    counted once each, with the status `pilot_status` derives from their lead assignments.

    Ranking, best first: on-time rate = on_time / considered, where on_time counts `done`
    assignments with done_on <= deadline (no done_on: today, as in timing.py), and
    considered counts assignments done (whatever their deadline) or due so far (deadline
    <= today); open work not yet due does not count. This is the on-time component of
    `bot.services.ranking` (/xephang), so both agree. Ties: more on-time work first, then
    fewer overdue, then the name. Units with nothing considered are not ranked.

    Unreported units: units with open work where no assignment of the unit got a progress
    report in the current period (bounds as in `unit_digests`).
    """
    zone = local_zone(zone)
    period = period_of(regime, today)
    start, end = period_bounds(period, zone)
    names = dict((await session.execute(select(col(Unit.id), col(Unit.name)))).all())
    groups = {
        g.id: g
        for g in await session.scalars(
            select(TaskGroup).order_by(col(TaskGroup.plan_id), col(TaskGroup.id))
        )
    }
    late_open = and_(is_open(), col(Assignment.deadline) < today)
    group_counts: dict[int, dict[str, int]] = defaultdict(dict)
    group_overdue: dict[int, int] = defaultdict(int)
    for group_id, status, count, late in await session.execute(
        select(
            col(Task.group_id),
            col(Assignment.status),
            func.count(),
            func.sum(case((late_open, 1), else_=0)),
        )
        .join(Task, col(Task.id) == Assignment.task_id)
        .group_by(col(Task.group_id), col(Assignment.status))
    ):
        group_counts[group_id][status] = count
        group_overdue[group_id] += int(late or 0)
    group_rows = tuple(
        GroupCount(
            group_id=group_id,
            code=group.code,
            title=group.title,
            by_status={s: group_counts[group_id].get(s, 0) for s in STATUSES},
            overdue=group_overdue[group_id],
        )
        for group_id, group in groups.items()
        if group_id in group_counts
    )
    by_status = {s: sum(g.by_status[s] for g in group_rows) for s in STATUSES}
    reported = has_report(start, end)
    unit_rows = await session.execute(
        select(
            col(Assignment.unit_id),
            func.max(case((is_open(), 1), else_=0)),
            func.max(case((reported, 1), else_=0)),
        ).group_by(col(Assignment.unit_id))
    )
    expected = [(unit_id, bool(seen)) for unit_id, has_open, seen in unit_rows if has_open]
    silent = sorted(
        (UnitRef(unit_id, names.get(unit_id, "")) for unit_id, seen in expected if not seen),
        key=lambda u: (u.name, u.unit_id),
    )
    return ProvinceDigest(
        today=today,
        week_start=week_start,
        period=period,
        by_status=by_status,
        overdue=sum(g.overdue for g in group_rows),
        groups=group_rows,
        pilot_models=await _pilot_models(session),
        ranking=await _ranking(session, today, names),
        longest_overdue=await _longest_overdue(session, today),
        unreported_units=tuple(silent),
        units_expected=len(expected),
    )
