"""The units table: every unit with its figures and place in the ranking, filtered and sorted.

`unit_rows` is three set-based queries whatever the size (the units, `figures_by_unit`, the
ranking); `unit_table` filters them (with a group filter, one query for the units that have
work in that group), sorts them and cuts a page in memory (5,000 units at national size).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import Settings
from bot.services.figures import Counts, State, UnitScore, figures_by_unit, rank_units
from db.models import Assignment, Task, TaskGroup, Unit

PAGE_SIZE = 50


class Timing(StrEnum):
    """Whether a unit has overdue work."""

    OVERDUE = "overdue"
    ON_TIME = "on_time"


class Sort(StrEnum):
    """Orders of the table."""

    RANK = "rank"
    NAME = "name"
    OVERDUE = "overdue"
    DONE = "done"
    ASSIGNMENTS = "assignments"


@dataclass(frozen=True)
class Filters:
    """What the person asked for in the query string (already checked)."""

    kind: str | None = None
    group_id: int | None = None
    state: State | None = None
    timing: Timing | None = None
    sort: Sort = Sort.RANK
    descending: bool = False
    page: int = 0


@dataclass(frozen=True)
class UnitRow:
    """One unit in the table."""

    unit_id: int
    code: str
    name: str
    kind: str
    work: Counts
    score: UnitScore | None


@dataclass(frozen=True)
class GroupOption:
    """A task group to filter by."""

    group_id: int
    code: str
    title: str


@dataclass(frozen=True)
class UnitTable:
    """One page of the table, how many units matched, and the filter options."""

    rows: tuple[UnitRow, ...]
    matched: int
    page: int
    pages: int
    groups: tuple[GroupOption, ...]
    kinds: tuple[str, ...]


def _keep(row: UnitRow, filters: Filters, in_group: set[int] | None) -> bool:
    """Whether a unit passes the filters."""
    if filters.kind and row.kind != filters.kind:
        return False
    if in_group is not None and row.unit_id not in in_group:
        return False
    if filters.state is not None and not row.work.of(filters.state):
        return False
    if filters.timing is Timing.OVERDUE and not row.work.overdue:
        return False
    return not (filters.timing is Timing.ON_TIME and (row.work.overdue or not row.work.open))


def _key(sort: Sort) -> Callable[[UnitRow], tuple[Any, ...]]:
    """The sort key of an order (ascending; unranked units last by rank)."""
    keys: dict[Sort, Callable[[UnitRow], tuple[Any, ...]]] = {
        Sort.RANK: lambda r: (r.score.rank if r.score else 10**9, r.name),
        Sort.NAME: lambda r: (r.name, r.unit_id),
        Sort.OVERDUE: lambda r: (r.work.overdue, r.name),
        Sort.DONE: lambda r: (r.work.done_percent, r.name),
        Sort.ASSIGNMENTS: lambda r: (r.work.total, r.name),
    }
    return keys[sort]


async def _groups(session: AsyncSession) -> tuple[GroupOption, ...]:
    """Every task group in plan order."""
    rows = await session.execute(
        select(col(TaskGroup.id), col(TaskGroup.code), col(TaskGroup.title)).order_by(
            col(TaskGroup.plan_id), col(TaskGroup.id)
        )
    )
    return tuple(GroupOption(*row) for row in rows)


async def _units_in_group(session: AsyncSession, group_id: int) -> set[int]:
    """The units with an assignment in a task group."""
    rows = await session.scalars(
        select(col(Assignment.unit_id))
        .join(Task, col(Task.id) == Assignment.task_id)
        .where(col(Task.group_id) == group_id)
        .distinct()
    )
    return set(rows)


@dataclass(frozen=True)
class UnitRows:
    """Every unit with its figures and score (what the table filters), and the options."""

    rows: tuple[UnitRow, ...]
    groups: tuple[GroupOption, ...]
    kinds: tuple[str, ...]


async def unit_rows(
    session: AsyncSession,
    today: date,
    settings: Settings,
    ranking: Awaitable[list[UnitScore]] | None = None,
) -> UnitRows:
    """Every unit with its assignments' figures and its place in the ranking, by name
    (`ranking`: the same ranking, counted meanwhile elsewhere)."""
    units = (
        await session.execute(
            select(col(Unit.id), col(Unit.code), col(Unit.name), col(Unit.kind)).order_by(
                col(Unit.name)
            )
        )
    ).all()
    figures = await figures_by_unit(session, today)
    scores = {s.unit_id: s for s in await (ranking or rank_units(session, today, settings))}
    rows = tuple(
        UnitRow(
            unit_id,
            code,
            name,
            kind,
            figures[unit_id].assignments if unit_id in figures else Counts(),
            scores.get(unit_id),
        )
        for unit_id, code, name, kind in units
    )
    kinds = tuple(sorted({kind for *_, kind in units}))
    return UnitRows(rows, await _groups(session), kinds)


async def unit_table(session: AsyncSession, every: UnitRows, filters: Filters) -> UnitTable:
    """The page of units the filters ask for, sorted."""
    in_group = (
        await _units_in_group(session, filters.group_id) if filters.group_id is not None else None
    )
    kept = [r for r in every.rows if _keep(r, filters, in_group)]
    kept.sort(key=_key(filters.sort), reverse=filters.descending)
    pages = max(1, -(-len(kept) // PAGE_SIZE))
    page = min(filters.page, pages - 1)
    return UnitTable(
        rows=tuple(kept[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]),
        matched=len(kept),
        page=page,
        pages=pages,
        groups=every.groups,
        kinds=every.kinds,
    )
