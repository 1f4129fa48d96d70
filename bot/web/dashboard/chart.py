"""The province chart as SVG bars, drawn on the server from the digest chart's own data.

`scheduler.digest.chart.chart_data` decides the bars (tasks and pilot models per group,
each counted once, overdue apart) for the digest's PNG; here the same bars become one small
SVG each, scaled to the biggest group, with the labels and legend as text around them so
that they wrap on a phone and stay legible on paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Translator
from bot.services.figures import Figures
from scheduler.digest.chart import COLOURS, Segment, chart_data, segment_label


@dataclass(frozen=True)
class Rect:
    """One coloured segment of a bar, in counts (the SVG's viewBox is the biggest bar)."""

    x: int
    width: int
    colour: str
    title: str


@dataclass(frozen=True)
class Row:
    """One bar: its label, its total and its segments."""

    label: str
    total: int
    rects: tuple[Rect, ...]


@dataclass(frozen=True)
class Legend:
    """One legend entry: a segment's colour and its name with its count."""

    colour: str
    text: str


@dataclass(frozen=True)
class Chart:
    """What the template draws."""

    title: str
    axis: str
    scale: int  # the viewBox width: the biggest bar's total
    rows: tuple[Row, ...]
    legend: tuple[Legend, ...]


def province_chart(figures: Figures, t: Translator) -> Chart:
    """Stacked horizontal bars of the digest's chart data, a legend below."""
    data = chart_data(figures, t)
    rows = []
    for bar in data.bars:
        x, rects = 0, []
        for segment in Segment:
            count = bar.segments.get(segment, 0)
            if count:
                title = f"{segment_label(t, segment)}: {t.number(count)}"
                rects.append(Rect(x, count, COLOURS[segment], title))
                x += count
        rows.append(Row(bar.label, bar.total, tuple(rects)))
    legend = tuple(Legend(COLOURS[s], text) for s, text in data.legend.items())
    scale = max([bar.total for bar in data.bars] or [1]) or 1
    return Chart(data.title, data.axis, scale, tuple(rows), legend)
