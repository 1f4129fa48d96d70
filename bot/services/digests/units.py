"""Every unit's weekly digest, gathered in five set-based queries over all units at once.

Every figure comes from GROUP BY and window functions over all units, never one query
per unit or per assignment: a national deployment has about 5,000 units and 500,000
assignments. Lists are capped per unit inside SQL (the first `LIST_LIMIT` items in the
order a reader needs them) and carry their full count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
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
from bot.services.digests.model import BlockerItem, Item, Listing, UnitDigest
from bot.services.figures import Figures, figures_by_unit, rank
from bot.services.figures.counting import confirmed
from db.models import Assignment, Blocker, Official, Status, Task, Unit

LIST_LIMIT = 15
"""At most this many items of each list per unit are loaded; the rest are only counted."""
DUE_SOON_DAYS = 7
"""'Due soon' is a deadline from today to this many days ahead, inclusive."""
SECTIONS = ("done_this_week", "in_progress", "due_soon", "overdue", "unreported")
"""A unit digest's lists of assignments (open blockers are listed apart)."""


def _sections(
    today: date, week_start: date, start: datetime, end: datetime
) -> dict[str, ColumnElement[bool]]:
    """Which list an assignment belongs on (it may be on several)."""
    open_work = is_open()
    return {
        "done_this_week": and_(
            col(Assignment.status) == Status.DONE,
            col(Assignment.done_on).between(week_start, today),
        ),
        "in_progress": col(Assignment.status) == Status.IN_PROGRESS,
        "due_soon": and_(
            open_work,
            col(Assignment.deadline).between(today, today + timedelta(days=DUE_SOON_DAYS)),
        ),
        "overdue": and_(open_work, col(Assignment.deadline) < today),
        "unreported": and_(open_work, ~has_report(start, end)),
    }


def _listed(sections: dict[str, ColumnElement[bool]]) -> Select[Any]:
    """One pass over all assignments: each list's first LIST_LIMIT per unit, and its size.

    Every list is ordered by deadline, so one window ranks them all: the running sum of a
    list's flag is an assignment's place in that list. The flags are computed once, in a
    materialised CTE, so the report probe behind "unreported" runs once per assignment;
    the sizes of the lists are a GROUP BY over the same CTE.
    """
    flagged = (
        select(
            col(Assignment.id),
            col(Assignment.unit_id),
            col(Assignment.task_id),
            col(Assignment.focal_official_id),
            col(Assignment.deadline),
            col(Assignment.status),
            col(Assignment.progress),
            col(Assignment.done_on),
            case((confirmed(), 1), else_=0).label("confirmed"),
            *(case((condition, 1), else_=0).label(name) for name, condition in sections.items()),
        )
        .cte("flagged")
        .prefix_with("MATERIALIZED")
    )
    sizes = (
        select(
            flagged.c.unit_id,
            *(func.sum(flagged.c[name]).label(f"{name}_size") for name in sections),
        )
        .group_by(flagged.c.unit_id)
        .subquery("sizes")
    )
    unit, order = flagged.c.unit_id, [flagged.c.deadline, flagged.c.id]
    ranked = select(
        flagged,
        *(
            func.sum(flagged.c[name])
            .over(partition_by=unit, order_by=order, rows=(None, 0))
            .label(f"{name}_place")
            for name in sections
        ),
    ).subquery("ranked")
    kept = or_(
        *(and_(ranked.c[name] == 1, ranked.c[f"{name}_place"] <= LIST_LIMIT) for name in sections)
    )
    # Tasks and names are joined only for the rows kept, not for every assignment.
    return (
        select(
            ranked,
            *(sizes.c[f"{name}_size"] for name in sections),
            col(Task.code),
            col(Task.title),
            col(Official.name),
            col(Official.active),
        )
        .join(sizes, sizes.c.unit_id == ranked.c.unit_id)
        .join(Task, col(Task.id) == ranked.c.task_id)
        .outerjoin(Official, col(Official.id) == ranked.c.focal_official_id)
        .where(kept)
        .order_by(ranked.c.unit_id, ranked.c.deadline, ranked.c.id)
    )


async def _blockers(
    session: AsyncSession, today: date, zone: ZoneInfo
) -> dict[int, Listing[BlockerItem]]:
    """Open blockers per unit, oldest first, capped like the other lists."""
    ranked = (
        select(
            col(Blocker.id),
            col(Blocker.assignment_id),
            col(Blocker.text),
            col(Blocker.opened_at),
            col(Assignment.unit_id),
            col(Assignment.task_id),
            func.row_number()
            .over(
                partition_by=col(Assignment.unit_id),
                order_by=[col(Blocker.opened_at), col(Blocker.id)],
            )
            .label("rn"),
            func.count().over(partition_by=col(Assignment.unit_id)).label("n"),
        )
        .join(Assignment, col(Assignment.id) == Blocker.assignment_id)
        .where(col(Blocker.resolved_at).is_(None))
        .subquery()
    )
    query = (
        select(ranked, col(Task.code), col(Task.title))
        .join(Task, col(Task.id) == ranked.c.task_id)
        .where(ranked.c.rn <= LIST_LIMIT)
        .order_by(ranked.c.unit_id, ranked.c.rn)
    )
    items: dict[int, list[BlockerItem]] = defaultdict(list)
    totals: dict[int, int] = {}
    for row in (await session.execute(query)).mappings():
        opened_at: datetime = row["opened_at"]
        if opened_at.tzinfo is None:  # a subquery column may lose the UTC decoration
            opened_at = opened_at.replace(tzinfo=UTC)
        opened_on = opened_at.astimezone(zone).date()
        totals[row["unit_id"]] = row["n"]
        items[row["unit_id"]].append(
            BlockerItem(
                blocker_id=row["id"],
                assignment_id=row["assignment_id"],
                task_code=row["code"],
                title=row["title"],
                text=row["text"],
                opened_on=opened_on,
                age_days=max(0, (today - opened_on).days),
            )
        )
    return {unit: Listing(tuple(found), totals[unit]) for unit, found in items.items()}


async def unit_digests(
    session: AsyncSession,
    today: date,
    week_start: date,
    *,
    regime: Regime = Regime.MONTH,
    zone: ZoneInfo | None = None,
    weights: Mapping[str, float] | None = None,
) -> dict[int, UnitDigest]:
    """Every unit's digest as of `today` (local), done work counted from `week_start`.

    Done this week: `done` with done_on in [week_start, today]. In progress: status
    `in_progress`. Due soon: open with a deadline in [today, today + 7]. Overdue: open
    with a deadline before today, with the assignment's focal officer or else the unit's
    focal officers. Unreported: open assignments with no progress report created in the
    current reporting period of `regime` (local midnight of its first day to local
    midnight after its last day, compared in UTC). Every list is ordered by deadline, so
    the longest overdue come first. Counts by state are `bot.services.figures`' (a
    result counts as done once confirmed), the place in the ranking is
    `bot.services.figures.rank`'s with `weights`. Six queries in all, whatever the number
    of units.
    """
    zone = local_zone(zone)
    period = period_of(regime, today)
    start, end = period_bounds(period, zone)
    focals = await focal_names(session)
    units = (await session.execute(select(col(Unit.id), col(Unit.name)))).all()
    figures = await figures_by_unit(session, today)
    scores = await rank(session, today, regime=regime, zone=zone, weights=weights)
    standing = {s.unit_id: s for s in scores}
    listed: dict[int, dict[str, list[Item]]] = {}
    sizes: dict[int, dict[str, int]] = {}
    count = len(SECTIONS)
    rows = await session.execute(_listed(_sections(today, week_start, start, end)))
    # Positional unpacking: at national scale this loop sees some 150,000 rows.
    for aid, unit_id, _, _, deadline, status, progress, done_on, good, *rest in rows:
        flags, places = rest[:count], rest[count : 2 * count]
        code, title, person, active = rest[3 * count :]
        if unit_id not in listed:
            listed[unit_id] = {name: [] for name in SECTIONS}
            sizes[unit_id] = dict(zip(SECTIONS, map(int, rest[2 * count : 3 * count]), strict=True))
        item = Item(
            assignment_id=aid,
            unit_id=unit_id,
            task_code=code,
            title=title,
            deadline=deadline,
            status=status,
            progress=progress,
            done_on=done_on,
            confirmed=bool(good),
            days_late=days_late(deadline, today) if status != Status.DONE else 0,
            responsible=(person,) if person is not None and active else focals.get(unit_id, ()),
        )
        lists = listed[unit_id]
        for name, flag, place in zip(SECTIONS, flags, places, strict=True):
            if flag and place <= LIST_LIMIT:
                lists[name].append(item)
    blockers = await _blockers(session, today, zone)
    empty: dict[str, int] = dict.fromkeys(SECTIONS, 0)

    def listing(unit_id: int, name: str) -> Listing[Item]:
        found = listed[unit_id][name] if unit_id in listed else []
        return Listing(tuple(found), sizes.get(unit_id, empty)[name])

    return {
        unit_id: UnitDigest(
            unit_id=unit_id,
            name=name,
            period=period,
            figures=figures.get(unit_id) or Figures.empty(today, unit_id),
            done_this_week=listing(unit_id, "done_this_week"),
            in_progress=listing(unit_id, "in_progress"),
            due_soon=listing(unit_id, "due_soon"),
            overdue=listing(unit_id, "overdue"),
            blockers=blockers.get(unit_id, Listing()),
            unreported=listing(unit_id, "unreported"),
            place=standing.get(unit_id),
            ranked=len(scores),
        )
        for unit_id, name in units
    }
