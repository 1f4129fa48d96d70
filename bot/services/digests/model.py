"""Weekly digests as plain data: one per unit for its heads, one for the whole province.

Lists are capped per unit when they are loaded (see `bot.services.digests.units`) and carry
their full count, so that a message can say "… and 12 more" without loading what it will
not show. The queries that fill these types are in `bot.services.digests.units` and
`bot.services.digests.province`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from bot.services.dates.periods import Period
from db.models import Status

STATUSES: tuple[str, ...] = tuple(s.value for s in Status)

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
