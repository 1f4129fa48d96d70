"""The chart of the province digest: tasks and pilot models per group, overdue in red.

`chart_data` is what the chart is drawn from (and what a test compares with the database);
`draw_status_chart` draws it as a small PNG. Each task and each pilot model is counted
once, in its state (`bot.services.figures`), so the pilot models' bar counts models, not
the units they were given to. Overdue work is taken out of its state's segment and drawn
in red, so every bar's segments add up to the group's work.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import Translator
from bot.services.figures import Counts, Figures, GroupFigures, State

MAX_GROUPS = 12
"""Bars drawn; smaller groups beyond these are merged into one 'other groups' bar."""
LABEL_WIDTH = 34
"""A label wraps onto further lines past this many characters; it is never cut."""


class Segment(StrEnum):
    """A part of a bar: a state's work that is not overdue, or all the overdue work."""

    DONE = "done"
    CLAIMED = "claimed"
    MAINTAINED = "maintained"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    OVERDUE = "overdue"


# Confirmed work reads as green, claims as light green, work under way as blue, live pilot
# models as teal, untouched as grey, and overdue as red: what a leader looks for first.
COLOURS: dict[Segment, str] = {
    Segment.DONE: "#2e7d32",
    Segment.CLAIMED: "#a5d6a7",
    Segment.MAINTAINED: "#00897b",
    Segment.IN_PROGRESS: "#1e88e5",
    Segment.NOT_STARTED: "#bdbdbd",
    Segment.OVERDUE: "#d32f2f",
}


@dataclass(frozen=True)
class Bar:
    """One bar: a group's label and its work by segment."""

    label: str
    segments: dict[Segment, int]

    @property
    def total(self) -> int:
        """All the work of the bar."""
        return sum(self.segments.values())


@dataclass(frozen=True)
class ChartData:
    """Everything the chart shows: title, axis, legend and bars, first bar on top."""

    title: str
    axis: str
    legend: dict[Segment, str]
    bars: tuple[Bar, ...]


def segments_of(work: Counts) -> dict[Segment, int]:
    """Work split into the chart's segments: overdue apart from each open state."""
    return {
        Segment.DONE: work.done,
        Segment.CLAIMED: work.claimed,
        Segment.MAINTAINED: work.on_time_of(State.MAINTAINED),
        Segment.IN_PROGRESS: work.on_time_of(State.IN_PROGRESS),
        Segment.NOT_STARTED: work.on_time_of(State.NOT_STARTED),
        Segment.OVERDUE: work.overdue,
    }


def segment_label(t: Translator, segment: Segment) -> str:
    """A segment as the legend names it."""
    return {
        Segment.DONE: t._("Done"),
        Segment.CLAIMED: t._("Awaiting confirmation"),
        Segment.MAINTAINED: t._("Maintained"),
        Segment.IN_PROGRESS: t._("In progress"),
        Segment.NOT_STARTED: t._("Not started"),
        Segment.OVERDUE: t._("Overdue"),
    }[segment]


def _bars(figures: Figures, t: Translator) -> list[Bar]:
    """The biggest groups in plan order, the rest merged into one bar."""
    groups = [g for g in figures.groups if g.work.total]
    if len(groups) <= MAX_GROUPS:
        return [_bar(g) for g in groups]
    biggest = sorted(groups, key=lambda g: -g.work.total)[: MAX_GROUPS - 1]
    kept = {g.group_id for g in biggest}
    rest = [segments_of(g.work) for g in groups if g.group_id not in kept]
    merged = {s: sum(r[s] for r in rest) for s in Segment}
    bars = [_bar(g) for g in groups if g.group_id in kept]
    bars.append(Bar(t.n_("{count} other group", "{count} other groups", len(rest)), merged))
    return bars


def _bar(group: GroupFigures) -> Bar:
    return Bar(f"{group.code} {group.label}", segments_of(group.work))


def chart_data(figures: Figures, t: Translator) -> ChartData:
    """What the province chart shows, from the figures every other place shows too."""
    bars = _bars(figures, t)
    totals = {s: sum(b.segments[s] for b in bars) for s in Segment}
    return ChartData(
        title=t._("Tasks and pilot models by task group, {date}", date=t.short_date(figures.today)),
        axis=t._("Tasks and pilot models (each counted once)"),
        legend={s: f"{segment_label(t, s)} ({t.number(totals[s])})" for s in Segment},
        bars=tuple(bars),
    )


def draw_status_chart(figures: Figures, t: Translator) -> bytes:
    """A PNG of stacked horizontal bars: each group's work by segment, overdue in red."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; chosen here, never at import time
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    data = chart_data(figures, t)
    bars = list(data.bars) or [Bar(t._("No tasks"), dict.fromkeys(Segment, 0))]
    labels = [textwrap.fill(b.label, LABEL_WIDTH) for b in bars]
    lines = sum(label.count("\n") + 1 for label in labels)
    # A Figure without pyplot belongs to no global registry: nothing to leak between runs.
    figure = Figure(figsize=(9, 1.8 + 0.3 * lines + 0.15 * len(bars)), dpi=90)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(bars)))[::-1]  # first group on top
    left = [0] * len(bars)
    for segment, colour in COLOURS.items():
        widths = [b.segments.get(segment, 0) for b in bars]
        axes.barh(
            positions, widths, left=left, color=colour, height=0.7, label=data.legend[segment]
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for position, total in zip(positions, left, strict=True):
        axes.text(total, position, f" {t.number(total)}", va="center", fontsize=8)
    axes.set_yticks(positions, labels, fontsize=8)
    axes.set_xlim(0, max([*left, 1]) * 1.12)
    axes.set_xlabel(data.axis, fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize=8, frameon=False)
    axes.set_title(data.title, fontsize=10, pad=40)
    buffer = io.BytesIO()
    # A tight bounding box grows the image to hold the longest label: nothing is cut.
    figure.savefig(buffer, format="png", bbox_inches="tight")
    figure.clear()
    return buffer.getvalue()
