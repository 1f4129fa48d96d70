"""Weekly digests as plain data: one per unit for its heads, one for the whole province.

Every figure comes from a handful of set-based queries over all units at once (GROUP BY
and window functions), never one query per unit or per assignment: a national deployment
has about 5,000 units and 500,000 assignments. Lists are capped per unit inside SQL (the
first `LIST_LIMIT` items in the order a reader needs them) and carry their full count, so
that a message can say "… and 12 more" without loading what it will not show.

Open work is everything not `done` (a `maintained` pilot model included), the same rule
as `bot.services.timing.derive_timing`, so the digest agrees with /tasks and /overdue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Generic, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.periods import Period, Regime, period_of
from bot.services.timing import days_late
from db.models import (
    Assignment,
    AssignmentRole,
    Blocker,
    Official,
    ProgressReport,
    Role,
    Status,
    Task,
    TaskGroup,
    TaskKind,
    Unit,
)

LIST_LIMIT = 15
"""At most this many items of each list per unit are loaded; the rest are only counted."""
DUE_SOON_DAYS = 7
"""'Due soon' is a deadline from today to this many days ahead, inclusive."""
LONGEST_OVERDUE = 10
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
SECTIONS = ("done_this_week", "in_progress", "due_soon", "overdue", "unreported")
"""A unit digest's lists of assignments (open blockers are listed apart)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """The first items of a list and how many there are in all."""

    items: tuple[T, ...] = ()
    total: int = 0

    @property
    def hidden(self) -> int:
        """How many items were counted but not loaded."""
        return self.total - len(self.items)


class Item(NamedTuple):
    """One assignment as a digest shows it (a tuple: the national digest makes 150,000)."""

    assignment_id: int
    unit_id: int
    task_code: str
    title: str
    deadline: date
    status: str
    progress: int
    done_on: date | None = None
    days_late: int = 0
    responsible: tuple[str, ...] = ()
    unit_name: str = ""


@dataclass(frozen=True)
class BlockerItem:
    """An open difficulty and how long it has waited."""

    blocker_id: int
    assignment_id: int
    task_code: str
    title: str
    text: str
    opened_on: date
    age_days: int


@dataclass(frozen=True)
class UnitDigest:
    """What a head reads on Monday about the unit."""

    unit_id: int
    name: str
    period: Period
    by_status: dict[str, int]
    done_this_week: Listing[Item] = field(default_factory=Listing)
    in_progress: Listing[Item] = field(default_factory=Listing)
    due_soon: Listing[Item] = field(default_factory=Listing)
    overdue: Listing[Item] = field(default_factory=Listing)
    blockers: Listing[BlockerItem] = field(default_factory=Listing)
    unreported: Listing[Item] = field(default_factory=Listing)

    @property
    def total(self) -> int:
        """All the unit's assignments."""
        return sum(self.by_status.values())


@dataclass(frozen=True)
class GroupCount:
    """Assignments of one task group by status."""

    group_id: int
    code: str
    title: str
    by_status: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        """All assignments of the group."""
        return sum(self.by_status.values())


@dataclass(frozen=True)
class UnitScore:
    """A unit's place in the on-time ranking."""

    unit_id: int
    name: str
    on_time: int
    considered: int
    overdue: int

    @property
    def rate(self) -> float:
        """On-time completion in percent (0..100)."""
        return 100.0 * self.on_time / self.considered if self.considered else 0.0


@dataclass(frozen=True)
class UnitRef:
    """A unit by id and name."""

    unit_id: int
    name: str


@dataclass(frozen=True)
class ProvinceDigest:
    """What standing officers and leaders read on Monday about the province."""

    today: date
    week_start: date
    period: Period
    by_status: dict[str, int]
    overdue: int
    groups: tuple[GroupCount, ...]
    pilot_models: dict[str, int]
    ranking: tuple[UnitScore, ...]
    longest_overdue: tuple[Item, ...]
    unreported_units: tuple[UnitRef, ...]
    units_expected: int
    # Filled by the digest job from the indicator and blocker services.
    indicators: tuple[Any, ...] = ()
    stale_blockers: tuple[Any, ...] = ()

    @property
    def total(self) -> int:
        """All assignments."""
        return sum(self.by_status.values())

    @property
    def pilot_total(self) -> int:
        """All pilot models."""
        return sum(self.pilot_models.values())


def _zone(zone: ZoneInfo | None) -> ZoneInfo:
    return zone or ZoneInfo(DEFAULT_ZONE)


def period_bounds(period: Period, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The period as UTC instants [start, end): local midnight of its first day, after its last."""
    start = datetime.combine(period.start, time(0), zone).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(0), zone).astimezone(UTC)
    return start, end


def _open() -> ColumnElement[bool]:
    return Assignment.status != Status.DONE


def _reported(start: datetime, end: datetime) -> Any:
    """Whether the outer assignment has a report in [start, end) (uses the report index)."""
    return exists().where(
        ProgressReport.assignment_id == Assignment.id,
        ProgressReport.created_at >= start,
        ProgressReport.created_at < end,
    )


def _sections(
    today: date, week_start: date, start: datetime, end: datetime
) -> dict[str, ColumnElement[bool]]:
    """Which list an assignment belongs on (it may be on several)."""
    open_work = _open()
    return {
        "done_this_week": and_(
            Assignment.status == Status.DONE, Assignment.done_on.between(week_start, today)
        ),
        "in_progress": Assignment.status == Status.IN_PROGRESS,
        "due_soon": and_(
            open_work, Assignment.deadline.between(today, today + timedelta(days=DUE_SOON_DAYS))
        ),
        "overdue": and_(open_work, Assignment.deadline < today),
        "unreported": and_(open_work, ~_reported(start, end)),
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
            Assignment.id,
            Assignment.unit_id,
            Assignment.task_id,
            Assignment.focal_official_id,
            Assignment.deadline,
            Assignment.status,
            Assignment.progress,
            Assignment.done_on,
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
    running = {"partition_by": flagged.c.unit_id, "order_by": [flagged.c.deadline, flagged.c.id]}
    ranked = select(
        flagged,
        *(
            func.sum(flagged.c[name]).over(**running, rows=(None, 0)).label(f"{name}_place")
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
            Task.code,
            Task.title,
            Official.name,
            Official.active,
        )
        .join(sizes, sizes.c.unit_id == ranked.c.unit_id)
        .join(Task, Task.id == ranked.c.task_id)
        .outerjoin(Official, Official.id == ranked.c.focal_official_id)
        .where(kept)
        .order_by(ranked.c.unit_id, ranked.c.deadline, ranked.c.id)
    )


async def _focal_names(
    session: AsyncSession, unit_ids: list[int] | None = None
) -> dict[int, tuple[str, ...]]:
    """Active focal officers' names per unit: who answers when an assignment names nobody."""
    query = select(Official.unit_id, Official.name).where(
        Official.role == Role.FOCAL, Official.active
    )
    if unit_ids is not None:
        query = query.where(Official.unit_id.in_(unit_ids))
    names: dict[int, list[str]] = defaultdict(list)
    for unit_id, name in await session.execute(query.order_by(Official.id)):
        names[unit_id].append(name)
    return {unit: tuple(found) for unit, found in names.items()}


async def _blockers(
    session: AsyncSession, today: date, zone: ZoneInfo
) -> dict[int, Listing[BlockerItem]]:
    """Open blockers per unit, oldest first, capped like the other lists."""
    ranked = (
        select(
            Blocker.id,
            Blocker.assignment_id,
            Blocker.text,
            Blocker.opened_at,
            Assignment.unit_id,
            Assignment.task_id,
            func.row_number()
            .over(partition_by=Assignment.unit_id, order_by=[Blocker.opened_at, Blocker.id])
            .label("rn"),
            func.count().over(partition_by=Assignment.unit_id).label("n"),
        )
        .join(Assignment, Assignment.id == Blocker.assignment_id)
        .where(Blocker.resolved_at.is_(None))
        .subquery()
    )
    query = (
        select(ranked, Task.code, Task.title)
        .join(Task, Task.id == ranked.c.task_id)
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
) -> dict[int, UnitDigest]:
    """Every unit's digest as of `today` (local), done work counted from `week_start`.

    Done this week: `done` with done_on in [week_start, today]. In progress: status
    `in_progress`. Due soon: open with a deadline in [today, today + 7]. Overdue: open
    with a deadline before today, with the assignment's focal officer or else the unit's
    focal officers. Unreported: open assignments with no progress report created in the
    current reporting period of `regime` (local midnight of its first day to local
    midnight after its last day, compared in UTC). Every list is ordered by deadline, so
    the longest overdue come first. Five queries in all, whatever the number of units.
    """
    zone = _zone(zone)
    period = period_of(regime, today)
    start, end = period_bounds(period, zone)
    focals = await _focal_names(session)
    units = (await session.execute(select(Unit.id, Unit.name))).all()
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, status, count in await session.execute(
        select(Assignment.unit_id, Assignment.status, func.count()).group_by(
            Assignment.unit_id, Assignment.status
        )
    ):
        by_status[unit_id][status] = count
    listed: dict[int, dict[str, list[Item]]] = {}
    sizes: dict[int, dict[str, int]] = {}
    count = len(SECTIONS)
    rows = await session.execute(_listed(_sections(today, week_start, start, end)))
    # Positional unpacking: at national scale this loop sees some 150,000 rows.
    for aid, unit_id, _, _, deadline, status, progress, done_on, *rest in rows:
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
            by_status={s: by_status[unit_id].get(s, 0) for s in STATUSES},
            done_this_week=listing(unit_id, "done_this_week"),
            in_progress=listing(unit_id, "in_progress"),
            due_soon=listing(unit_id, "due_soon"),
            overdue=listing(unit_id, "overdue"),
            blockers=blockers.get(unit_id, Listing()),
            unreported=listing(unit_id, "unreported"),
        )
        for unit_id, name in units
    }


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
        select(Assignment.task_id, Assignment.role, Assignment.status, func.count())
        .join(Task, Task.id == Assignment.task_id)
        .where(Task.kind == TaskKind.PILOT_MODEL)
        .group_by(Assignment.task_id, Assignment.role, Assignment.status)
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
    done = Assignment.status == Status.DONE
    on_time = and_(done, func.coalesce(Assignment.done_on, today) <= Assignment.deadline)
    late_open = and_(_open(), Assignment.deadline < today)
    rows = await session.execute(
        select(
            Assignment.unit_id,
            func.sum(case((on_time, 1), else_=0)),
            func.sum(case((or_(done, Assignment.deadline <= today), 1), else_=0)),
            func.sum(case((late_open, 1), else_=0)),
        ).group_by(Assignment.unit_id)
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
        select(Assignment, Task.code, Task.title, Unit.name, Official.name, Official.active)
        .join(Task, Task.id == Assignment.task_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .outerjoin(Official, Official.id == Assignment.focal_official_id)
        .where(_open(), Assignment.deadline < today)
        .order_by(Assignment.deadline, Assignment.id)
        .limit(LONGEST_OVERDUE)
    )
    found = rows.all()
    focals = await _focal_names(session, sorted({a.unit_id for a, *_ in found}))
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
    zone = _zone(zone)
    period = period_of(regime, today)
    start, end = period_bounds(period, zone)
    names = dict((await session.execute(select(Unit.id, Unit.name))).all())
    groups = {
        g.id: g
        for g in await session.scalars(select(TaskGroup).order_by(TaskGroup.plan_id, TaskGroup.id))
    }
    late_open = and_(_open(), Assignment.deadline < today)
    group_counts: dict[int, dict[str, int]] = defaultdict(dict)
    group_overdue: dict[int, int] = defaultdict(int)
    for group_id, status, count, late in await session.execute(
        select(
            Task.group_id,
            Assignment.status,
            func.count(),
            func.sum(case((late_open, 1), else_=0)),
        )
        .join(Task, Task.id == Assignment.task_id)
        .group_by(Task.group_id, Assignment.status)
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
    reported = _reported(start, end)
    unit_rows = await session.execute(
        select(
            Assignment.unit_id,
            func.max(case((_open(), 1), else_=0)),
            func.max(case((reported, 1), else_=0)),
        ).group_by(Assignment.unit_id)
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
