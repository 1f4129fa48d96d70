"""Counting the figures: a couple of GROUP BY queries, whatever the size of the province.

Every place that shows a count (the digests, the chart, /xephang, the export) reads it from
here, so that one figure means one thing everywhere. See `bot.services.figures.model` for
what is counted and how a claim differs from a confirmed result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.periods import Period
from bot.services.figures.model import Counts, Figures, GroupFigures, State, task_state
from db.models import Assignment, AssignmentRole, Review, Status, Task, TaskGroup, TaskKind


def confirmed() -> ColumnElement[bool]:
    """Whether an assignment is done and its result confirmed by the standing office."""
    return and_(col(Assignment.status) == Status.DONE, col(Assignment.review) == Review.CONFIRMED)


def state_column() -> ColumnElement[str]:
    """An assignment's `State`: its stored status, with done split into done and claimed."""
    return case(
        (confirmed(), State.DONE.value),
        (col(Assignment.status) == Status.DONE, State.CLAIMED.value),
        else_=col(Assignment.status),
    )


def overdue(today: date) -> ColumnElement[bool]:
    """Open work (anything not reported done) past its deadline."""
    return and_(col(Assignment.status) != Status.DONE, col(Assignment.deadline) < today)


def finished_late(today: date) -> ColumnElement[bool]:
    """Confirmed work finished after its deadline (no completion day: today, as in timing.py)."""
    return and_(confirmed(), func.coalesce(Assignment.done_on, today) > Assignment.deadline)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


@dataclass
class _Tally:
    """Counts being added up."""

    by_state: dict[State, int] = field(default_factory=lambda: defaultdict(int))
    overdue_by_state: dict[State, int] = field(default_factory=lambda: defaultdict(int))
    done_late: int = 0
    done_in_period: int = 0

    def add(self, state: State, count: int, late: bool, done_late: bool, in_period: bool) -> None:
        self.by_state[state] += count
        if late:
            self.overdue_by_state[state] += count
        if done_late:
            self.done_late += count
        if in_period:
            self.done_in_period += count

    def counts(self) -> Counts:
        return Counts(
            {s: self.by_state.get(s, 0) for s in State},
            {s: n for s, n in self.overdue_by_state.items() if n},
            self.done_late,
            self.done_in_period,
        )


def _done_in(period: Period | None) -> ColumnElement[bool]:
    """Confirmed work finished inside `period` (never, without one)."""
    if period is None:
        return false()
    return and_(confirmed(), col(Assignment.done_on).between(period.start, period.end))


def _assignment_rows(today: date, period: Period | None, unit_id: int | None) -> Any:
    """Assignments counted by unit, kind, group, state and timing."""
    in_period = _done_in(period)
    inner: Any = select(
        col(Assignment.unit_id).label("unit_id"),
        col(Task.kind).label("kind"),
        col(Task.group_id).label("group_id"),
        state_column().label("state"),
        _flag(overdue(today)).label("late"),
        _flag(finished_late(today)).label("done_late"),
        _flag(in_period).label("in_period"),
    ).join(Task, col(Task.id) == Assignment.task_id)
    if unit_id is not None:
        inner = inner.where(col(Assignment.unit_id) == unit_id)
    rows = inner.subquery("assigned")
    keys = [rows.c[name] for name in ("unit_id", "kind", "group_id", "state", "late")]
    keys += [rows.c.done_late, rows.c.in_period]
    return select(*keys, func.count()).group_by(*keys)


def _task_rows(today: date, period: Period | None) -> Any:
    """Assignments counted by task, lead or not, state and timing, with the last finish day.

    The one scan of every assignment behind the province's figures. Without a join: a
    task's kind and group come from `_task_kinds` (thousands of rows, not 500,000 lookups).
    """
    inner: Any = select(
        col(Assignment.task_id).label("task_id"),
        _flag(col(Assignment.role) == AssignmentRole.LEAD).label("lead"),
        state_column().label("state"),
        _flag(overdue(today)).label("late"),
        _flag(finished_late(today)).label("done_late"),
        _flag(_done_in(period)).label("in_period"),
        col(Assignment.done_on).label("done_on"),
    )
    rows = inner.subquery("assigned")
    keys = [rows.c[name] for name in ("task_id", "lead", "state", "late", "done_late")]
    keys.append(rows.c.in_period)
    return select(*keys, func.count(), func.max(rows.c.done_on)).group_by(*keys)


async def _task_kinds(session: AsyncSession) -> dict[int, tuple[str, int]]:
    """Every task's kind and group, by id."""
    rows = await session.execute(select(col(Task.id), col(Task.kind), col(Task.group_id)))
    return {task_id: (kind, group_id) for task_id, kind, group_id in rows}


async def _groups(session: AsyncSession) -> list[tuple[int, str, str]]:
    """Every task group in plan order: id, code, title."""
    rows = await session.execute(
        select(col(TaskGroup.id), col(TaskGroup.code), col(TaskGroup.title)).order_by(
            col(TaskGroup.plan_id), col(TaskGroup.id)
        )
    )
    return [(group_id, code, title) for group_id, code, title in rows]


def _group_figures(
    groups: list[tuple[int, str, str]], tallies: dict[int, _Tally]
) -> tuple[GroupFigures, ...]:
    return tuple(
        GroupFigures(group_id, code, title, tallies[group_id].counts())
        for group_id, code, title in groups
        if group_id in tallies
    )


@dataclass
class _TaskSeen:
    """One task's assignments as counted: all of them, and its lead units' only."""

    kind: str
    group_id: int
    every: dict[State, int] = field(default_factory=lambda: defaultdict(int))
    lead: dict[State, int] = field(default_factory=lambda: defaultdict(int))
    every_late: bool = False
    lead_late: bool = False
    every_done_late: bool = False
    lead_done_late: bool = False
    every_last: date | None = None
    lead_last: date | None = None


async def province_figures(
    session: AsyncSession, today: date, period: Period | None = None
) -> Figures:
    """The province's figures as of `today` (local); `done_in_period` for `period` if given.

    Assignments: every assignment by state. Tasks and pilot models: each once, in the state
    `task_state` derives from its lead assignments (all its assignments if it has no lead);
    overdue when it is not done and a lead assignment is open past its deadline; done late
    when it is done and a lead unit finished after its deadline; done in the period when it
    is done and its last lead unit finished inside the period. Groups count their tasks and
    pilot models the same way. One GROUP BY over the assignments, and the tasks and groups.
    """
    assignments = _Tally()
    kinds = await _task_kinds(session)
    seen: dict[int, _TaskSeen] = {}
    rows = await session.execute(_task_rows(today, period))
    for task_id, lead, state, late, done_late, in_period, count, last in rows:
        assignments.add(State(state), count, bool(late), bool(done_late), bool(in_period))
        task = seen.setdefault(task_id, _TaskSeen(*kinds[task_id]))
        task.every[State(state)] += count
        task.every_late |= bool(late)
        task.every_done_late |= bool(done_late)
        task.every_last = max(filter(None, (task.every_last, last)), default=None)
        if lead:
            task.lead[State(state)] += count
            task.lead_late |= bool(late)
            task.lead_done_late |= bool(done_late)
            task.lead_last = max(filter(None, (task.lead_last, last)), default=None)
    by_kind: dict[str, _Tally] = defaultdict(_Tally)
    by_group: dict[int, _Tally] = defaultdict(_Tally)
    for task in seen.values():
        has_lead = bool(task.lead)
        state = task_state(task.lead if has_lead else task.every)
        late = state != State.DONE and (task.lead_late if has_lead else task.every_late)
        done = state == State.DONE
        done_late = done and (task.lead_done_late if has_lead else task.every_done_late)
        last = task.lead_last if has_lead else task.every_last
        in_period = done and period is not None and last is not None and period.contains(last)
        for tally in (by_kind[task.kind], by_group[task.group_id]):
            tally.add(state, 1, late, done_late, in_period)
    return Figures(
        today=today,
        unit_id=None,
        assignments=assignments.counts(),
        tasks=by_kind[TaskKind.TASK].counts(),
        pilot_models=by_kind[TaskKind.PILOT_MODEL].counts(),
        groups=_group_figures(await _groups(session), by_group),
    )


def _by_unit(rows: Any, with_groups: bool) -> dict[int, dict[str, Any]]:
    """Tallies per unit: all its assignments, by kind and (if asked) by group."""
    units: dict[int, dict[str, Any]] = {}
    for unit_id, kind, group_id, state, late, done_late, in_period, count in rows:
        unit = units.setdefault(
            unit_id,
            {"every": _Tally(), "kinds": defaultdict(_Tally), "groups": defaultdict(_Tally)},
        )
        tallies = [unit["every"], unit["kinds"][kind]]
        if with_groups:
            tallies.append(unit["groups"][group_id])
        for tally in tallies:
            tally.add(State(state), count, bool(late), bool(done_late), bool(in_period))
    return units


def _unit_scope(
    today: date,
    unit_id: int,
    tallies: dict[str, Any] | None,
    groups: tuple[GroupFigures, ...] = (),
) -> Figures:
    kinds = tallies["kinds"] if tallies else {}
    return Figures(
        today=today,
        unit_id=unit_id,
        assignments=tallies["every"].counts() if tallies else Counts(),
        tasks=kinds[TaskKind.TASK].counts() if TaskKind.TASK in kinds else Counts(),
        pilot_models=(
            kinds[TaskKind.PILOT_MODEL].counts() if TaskKind.PILOT_MODEL in kinds else Counts()
        ),
        groups=groups,
    )


async def unit_figures(
    session: AsyncSession, today: date, unit_id: int, period: Period | None = None
) -> Figures:
    """One unit's figures as of `today`: its assignments, by kind and by group.

    In a unit's scope each task is the unit's own assignment of it, in that assignment's
    state.
    """
    rows = await session.execute(_assignment_rows(today, period, unit_id))
    tallies = _by_unit(rows, with_groups=True).get(unit_id)
    groups = _group_figures(await _groups(session), tallies["groups"]) if tallies else ()
    return _unit_scope(today, unit_id, tallies, groups)


async def figures_by_unit(session: AsyncSession, today: date) -> dict[int, Figures]:
    """Every unit's figures (without groups) in one GROUP BY; units without work: absent."""
    rows = await session.execute(_assignment_rows(today, None, None))
    return {
        unit_id: _unit_scope(today, unit_id, tallies)
        for unit_id, tallies in _by_unit(rows, with_groups=False).items()
    }
