"""The figures every place shows, as plain data: work by state and timing, per group and unit.

Two things are counted, and every label says which:
  * an assignment ("lượt giao cho đơn vị") is one task given to one unit: a task given to a
    lead and two support units is three assignments;
  * a task ("nhiệm vụ") or a pilot model ("mô hình điểm") is counted once, with the state
    `task_state` derives from its lead units' assignments.

A result reported done is a claim until the standing office confirms it (Thanh Hóa's rule,
docs/DESIGN.md §2): only a confirmed result is `done`; a claim is `claimed` ("chờ xác nhận").
A claim is not open work (the unit has finished; the standing office is checking), so it is
never overdue, but it does not count as done either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class State(StrEnum):
    """What a piece of work counts as: its stored status, with done split by confirmation."""

    DONE = "done"  # reported done and confirmed by the standing office
    CLAIMED = "claimed"  # reported done, waiting for the standing office's confirmation
    MAINTAINED = "maintained"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


OPEN_STATES: tuple[State, ...] = (State.MAINTAINED, State.IN_PROGRESS, State.NOT_STARTED)
"""States of open work, the only work that can be overdue."""


def task_state(counts: Mapping[State, int]) -> State:
    """A task's or pilot model's state from its (lead) assignments' states, counted.

    Done when every assignment is confirmed done; claimed when every one is done and some
    wait for confirmation; maintained when every one is done or maintained; not started
    when none has started; in progress otherwise.
    """
    total = sum(counts.values())
    done, claimed = counts.get(State.DONE, 0), counts.get(State.CLAIMED, 0)
    if done == total:
        return State.DONE
    if done + claimed == total:
        return State.CLAIMED
    if done + claimed + counts.get(State.MAINTAINED, 0) == total:
        return State.MAINTAINED
    if counts.get(State.NOT_STARTED, 0) == total:
        return State.NOT_STARTED
    return State.IN_PROGRESS


@dataclass(frozen=True)
class Counts:
    """Work (assignments, or tasks) by state, with how much of the open work is overdue.

    `overdue_by_state` counts open work past its deadline, by state (a subset of
    `by_state`); `done_late` counts confirmed work finished after its deadline;
    `done_in_period` confirmed work finished inside the reporting period asked for.
    """

    by_state: Mapping[State, int] = field(default_factory=dict)
    overdue_by_state: Mapping[State, int] = field(default_factory=dict)
    done_late: int = 0
    done_in_period: int = 0

    def of(self, state: State) -> int:
        """How much work is in this state."""
        return self.by_state.get(state, 0)

    def overdue_of(self, state: State) -> int:
        """How much work in this (open) state is past its deadline."""
        return self.overdue_by_state.get(state, 0)

    def on_time_of(self, state: State) -> int:
        """How much work in this state is not overdue."""
        return self.of(state) - self.overdue_of(state)

    @property
    def total(self) -> int:
        """All the work counted."""
        return sum(self.by_state.values())

    @property
    def done(self) -> int:
        """Confirmed done."""
        return self.of(State.DONE)

    @property
    def claimed(self) -> int:
        """Reported done, waiting for confirmation."""
        return self.of(State.CLAIMED)

    @property
    def open(self) -> int:
        """Open work: maintained, in progress, not started."""
        return sum(self.of(s) for s in OPEN_STATES)

    @property
    def overdue(self) -> int:
        """Open work past its deadline."""
        return sum(self.overdue_by_state.values())

    @property
    def done_on_time(self) -> int:
        """Confirmed done by the deadline."""
        return self.done - self.done_late

    @property
    def done_percent(self) -> int:
        """Confirmed done as a whole percentage of all, rounded half up."""
        return (200 * self.done + self.total) // (2 * self.total) if self.total else 0


@dataclass(frozen=True)
class GroupFigures:
    """One task group: its tasks and pilot models (each counted once) by state."""

    group_id: int
    code: str
    title: str
    work: Counts

    @property
    def label(self) -> str:
        """The group's title without the "Nhóm nhiệm vụ" every group repeats."""
        return group_label(self.title)


@dataclass(frozen=True)
class Figures:
    """The figures of one scope: the province (`unit_id` None) or one unit.

    In a unit's scope a task is the unit's own assignment of it, so `tasks` and
    `pilot_models` add up to `assignments`.
    """

    today: date
    unit_id: int | None
    assignments: Counts
    tasks: Counts
    pilot_models: Counts
    groups: tuple[GroupFigures, ...] = ()

    @classmethod
    def empty(cls, today: date, unit_id: int | None) -> Figures:
        """The figures of a scope with no work at all."""
        return cls(today, unit_id, Counts(), Counts(), Counts())

    @property
    def claimed(self) -> int:
        """Tasks and pilot models reported done and waiting for confirmation."""
        return self.tasks.claimed + self.pilot_models.claimed


_PREFIX = re.compile(r"^\s*nhóm(\s+nhiệm\s+vụ)?\s+", re.IGNORECASE)


def group_label(title: str) -> str:
    """A group's title without its leading "Nhóm nhiệm vụ" (or "Nhóm"), capitalised."""
    rest = _PREFIX.sub("", title, count=1)
    return rest[:1].upper() + rest[1:] if rest else title
