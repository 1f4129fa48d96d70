"""The chart of the province digest: assignments by status per task group, as a small PNG."""

from __future__ import annotations

import io

from bot.i18n import Translator
from bot.services.digests.model import GroupCount, ProvinceDigest
from db.models import Status

MAX_GROUPS = 12
"""Bars drawn; smaller groups beyond these are merged into one 'other groups' bar."""
LABEL_CHARS = 48
# Done reads as green, work under way as blue, live pilot models as teal, untouched as grey.
COLOURS: dict[str, str] = {
    Status.DONE: "#2e7d32",
    Status.MAINTAINED: "#00897b",
    Status.IN_PROGRESS: "#1e88e5",
    Status.NOT_STARTED: "#bdbdbd",
}


def status_label(t: Translator, status: str) -> str:
    """A stored status as a chart legend shows it."""
    return {
        Status.DONE: t._("Done"),
        Status.MAINTAINED: t._("Maintained"),
        Status.IN_PROGRESS: t._("In progress"),
        Status.NOT_STARTED: t._("Not started"),
    }[Status(status)]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chart_rows(digest: ProvinceDigest, t: Translator) -> list[tuple[str, dict[str, int]]]:
    """(label, counts by status) per bar: the biggest groups in plan order, the rest merged."""
    groups = [g for g in digest.groups if g.total]
    if len(groups) > MAX_GROUPS:
        biggest = sorted(groups, key=lambda g: -g.total)[: MAX_GROUPS - 1]
        kept = {g.group_id for g in biggest}
        rest = [g for g in groups if g.group_id not in kept]
        merged = {s: sum(g.by_status[s] for g in rest) for s in COLOURS}
        rows = [_row(g) for g in groups if g.group_id in kept]
        rows.append((t.n_("{count} other group", "{count} other groups", len(rest)), merged))
        return rows
    return [_row(g) for g in groups]


def _row(group: GroupCount) -> tuple[str, dict[str, int]]:
    return _shorten(f"{group.code} {group.title}", LABEL_CHARS), dict(group.by_status)


def draw_status_chart(digest: ProvinceDigest, t: Translator) -> bytes:
    """A PNG of stacked horizontal bars: assignments by status for each task group."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; chosen here, never at import time
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = chart_rows(digest, t) or [(t._("No assignments"), dict.fromkeys(COLOURS, 0))]
    # A Figure without pyplot belongs to no global registry: nothing to leak between runs.
    figure = Figure(figsize=(8, 1.6 + 0.42 * len(rows)), dpi=90)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]  # first group on top
    left = [0] * len(rows)
    for status, colour in COLOURS.items():
        widths = [counts.get(status, 0) for _, counts in rows]
        axes.barh(
            positions,
            widths,
            left=left,
            color=colour,
            height=0.7,
            label=f"{status_label(t, status)} ({t.number(sum(widths))})",
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for position, total in zip(positions, left, strict=True):
        axes.text(total, position, f" {t.number(total)}", va="center", fontsize=8)
    axes.set_yticks(positions, [label for label, _ in rows], fontsize=8)
    axes.set_xlim(0, max([*left, 1]) * 1.12)
    axes.set_xlabel(t._("Assignments"), fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=len(COLOURS),
        fontsize=8,
        frameon=False,
    )
    axes.set_title(
        t._("Assignments by status and task group, {date}", date=t.short_date(digest.today)),
        fontsize=10,
        pad=24,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    figure.clear()
    return buffer.getvalue()
