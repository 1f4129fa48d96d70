"""The province chart as SVG, drawn on the server from the digest chart's own data.

`scheduler.digest.chart.chart_data` decides the bars (tasks and pilot models per group,
each counted once, overdue apart) for the digest's PNG; here the same bars become
rectangles, so the page and the Monday image show the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Translator
from bot.services.figures import Figures
from scheduler.digest.chart import COLOURS, Segment, chart_data

WIDTH = 600
ROW = 40  # a label line and its bar
BAR = 16
LEGEND_ROW = 22


@dataclass(frozen=True)
class Rect:
    """One coloured segment of a bar, with its count for the tooltip."""

    x: float
    y: float
    width: float
    colour: str
    title: str


@dataclass(frozen=True)
class Row:
    """One bar: its label above, its segments, its total at the end."""

    label: str
    label_y: float
    total: int
    total_x: float
    bar_y: float
    rects: tuple[Rect, ...]


@dataclass(frozen=True)
class Legend:
    """One legend entry."""

    x: float
    y: float
    colour: str
    text: str


@dataclass(frozen=True)
class Chart:
    """What the template draws."""

    title: str
    axis: str
    width: int
    height: int
    bar_height: int
    rows: tuple[Row, ...]
    legend: tuple[Legend, ...]


def province_chart(figures: Figures, t: Translator) -> Chart:
    """Stacked horizontal bars scaled to the biggest group, legend below."""
    data = chart_data(figures, t)
    scale = (WIDTH - 60) / max([bar.total for bar in data.bars] or [1]) or 1
    rows = []
    for index, bar in enumerate(data.bars):
        top = index * ROW
        x, rects = 0.0, []
        for segment in Segment:
            count = bar.segments.get(segment, 0)
            if count:
                width = count * scale
                title = f"{data.legend[segment].rsplit(' (', 1)[0]}: {t.number(count)}"
                rects.append(Rect(round(x, 1), top + 18, round(width, 1), COLOURS[segment], title))
                x += width
        rows.append(Row(bar.label, top + 13, bar.total, round(x + 6, 1), top + 18, tuple(rects)))
    legend_top = len(rows) * ROW + 8
    legend = tuple(
        Legend((i % 2) * (WIDTH / 2), legend_top + (i // 2) * LEGEND_ROW, COLOURS[s], text)
        for i, (s, text) in enumerate(data.legend.items())
    )
    height = legend_top + ((len(legend) + 1) // 2) * LEGEND_ROW
    return Chart(data.title, data.axis, WIDTH, int(height), BAR, tuple(rows), legend)
