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
from bot.services.figures import Figures, UnitScore

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
    confirmed: bool = False  # a done result confirmed by the standing office
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
    figures: Figures
    done_this_week: Listing[Item] = field(default_factory=Listing)
    in_progress: Listing[Item] = field(default_factory=Listing)
    due_soon: Listing[Item] = field(default_factory=Listing)
    overdue: Listing[Item] = field(default_factory=Listing)
    blockers: Listing[BlockerItem] = field(default_factory=Listing)
    unreported: Listing[Item] = field(default_factory=Listing)
    place: UnitScore | None = None  # the unit's place in the one ranking
    ranked: int = 0  # how many units are ranked

    @property
    def total(self) -> int:
        """All the unit's assignments."""
        return self.figures.assignments.total


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
    figures: Figures
    ranking: tuple[UnitScore, ...]
    longest_overdue: tuple[Item, ...]
    unreported_units: tuple[UnitRef, ...]
    units_expected: int
    # Filled by the digest job from the indicator and blocker services.
    indicators: tuple[Any, ...] = ()
    stale_blockers: tuple[Any, ...] = ()
    # Filled by the digest job from `bot.services.waiting`: what waits on the standing office.
    claims_waiting: int = 0  # results reported done awaiting confirmation
    requests_waiting: int = 0  # extension requests awaiting a decision
    proposals_waiting: int = 0  # proposals (kiến nghị) awaiting an answer
