"""/tonghop and /quahan in words: a unit's or the province's standing, short for a phone."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages.figures import (
    assignment_counts,
    confirmation_note,
    overdue_line,
    overdue_line_with_unit,
    pilot_counts,
    shorten,
    task_counts,
)
from bot.messages.ranking import components_line, place_line
from bot.services.digests.model import Item, Listing
from bot.services.summaries import Summary

NAME_CHARS = 40


def render_summary(t: Translator, summary: Summary) -> str:
    """The standing: figures, rank, indicators, what waits for a decision, what is overdue."""
    province = summary.unit_id is None
    figures = summary.figures
    head = (
        t._("📊 Summary: the province")
        if province
        else t._("📊 Summary: {unit}", unit=summary.unit_name)
    )
    blocks = ["\n".join([head, t._("As of {date}", date=t.date(summary.today))])]
    counts = [task_counts(t, figures.tasks)]
    if figures.pilot_models.total:
        counts.append(pilot_counts(t, figures.pilot_models))
    if province and figures.assignments.total != figures.tasks.total:
        counts.append(assignment_counts(t, figures.assignments))
    counts.append(confirmation_note(t))
    blocks.append("\n".join(counts))
    blocks.append(_ranking(t, summary))
    if summary.indicators:
        blocks.append(
            t._(
                "🎯 Indicators of the last period: {met} of {total} met, {missing} not reported.",
                met=t.number(summary.indicators_met),
                total=t.number(summary.indicators),
                missing=t.number(summary.indicators - summary.indicators_reported),
            )
        )
    waiting = summary.waiting
    blocks.append(
        t._(
            "⏳ Waiting for a decision: {claims} results awaiting confirmation, {extensions} "
            "extension requests, {blockers} open difficulties.",
            claims=t.number(waiting.claims),
            extensions=t.number(waiting.extensions),
            blockers=t.number(waiting.blockers),
        )
    )
    blocks.append(_overdue(t, summary.overdue, province))
    return "\n\n".join(blocks)


def _ranking(t: Translator, summary: Summary) -> str:
    """The unit's place, or the province's first and last units."""
    if summary.unit_id is not None:
        if summary.place is None:
            return t._("🏅 Not ranked yet: the unit has no assignments.")
        return (
            place_line(t, summary.place, summary.ranked) + "\n" + components_line(t, summary.place)
        )
    if not summary.top:
        return t._("🏅 No unit has assignments yet, so there is no ranking.")
    lines = [t._("🏅 First in the ranking of {count} units:", count=t.number(summary.ranked))]
    lines += [_rank_line(t, s.rank, s.name, s.score) for s in summary.top]
    if summary.bottom:
        lines.append(t._("Last:"))
        lines += [_rank_line(t, s.rank, s.name, s.score) for s in summary.bottom]
    lines.append(t._("/xephang shows the whole ranking with its components."))
    return "\n".join(lines)


def _rank_line(t: Translator, rank: int, name: str, score: float) -> str:
    return t._(
        "{rank}. {name} — {score} points",
        rank=t.number(rank),
        name=shorten(name, NAME_CHARS),
        score=t.number(round(score, 1)),
    )


def _overdue(t: Translator, overdue: Listing[Item], province: bool) -> str:
    """The longest overdue, and where to see them all."""
    if not overdue.total:
        return t._("✅ Nothing is overdue.")
    line = overdue_line_with_unit if province else overdue_line
    lines = [t._("🔴 Overdue ({count}):", count=t.number(overdue.total))]
    lines += [line(t, item) for item in overdue.items]
    if overdue.hidden:
        lines.append(
            t.n_(
                "… and {count} more: /quahan lists them all.",
                "… and {count} more: /quahan lists them all.",
                overdue.hidden,
            )
        )
    return "\n".join(lines)


def render_overdue(
    t: Translator, overdue: Listing[Item], scope: str, page: int, pages: int, province: bool
) -> str:
    """One page of what is overdue in `scope` (a unit's name, or the province)."""
    if not overdue.total:
        return t._("✅ Nothing is overdue in {scope}.", scope=scope)
    header = t._(
        "🔴 Overdue in {scope}, longest first — page {page}/{pages} ({total} in all)",
        scope=scope,
        page=page + 1,
        pages=pages,
        total=t.number(overdue.total),
    )
    line = overdue_line_with_unit if province else overdue_line
    return "\n".join([header, *(line(t, item) for item in overdue.items)])
