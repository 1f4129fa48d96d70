"""A head's weekly message about the unit: its lists, most urgent first, fitted to its channel."""

from __future__ import annotations

from datetime import date

from bot.i18n import Translator
from bot.messages.figures import (
    Section,
    confirmation_note,
    fit,
    overdue_line,
    pilot_counts,
    shorten,
    task_counts,
    task_title,
)
from bot.messages.ranking import place_line
from bot.services.digests.model import UnitDigest

QUOTE_CHARS = 90


def unit_sections(digest: UnitDigest, t: Translator) -> list[Section]:
    """The head's lists, most urgent first; empty lists are left out."""
    period = digest.period
    sections = [
        Section(
            t._("🔴 Overdue ({count}):", count=t.number(digest.overdue.total)),
            tuple(overdue_line(t, i) for i in digest.overdue.items),
            digest.overdue.total,
        ),
        Section(
            t._("⚠️ Open difficulties ({count}):", count=t.number(digest.blockers.total)),
            tuple(
                t._(
                    "• {code}: {text} ({age} open)",
                    code=b.task_code,
                    text=shorten(b.text, QUOTE_CHARS),
                    age=t.n_("{count} day", "{count} days", b.age_days),
                )
                for b in digest.blockers.items
            ),
            digest.blockers.total,
        ),
        Section(
            t._("📅 Due in the next 7 days ({count}):", count=t.number(digest.due_soon.total)),
            tuple(
                t._(
                    "• {task} — due {deadline}, {progress} done",
                    task=task_title(i),
                    deadline=t.short_date(i.deadline),
                    progress=t.percent(i.progress),
                )
                for i in digest.due_soon.items
            ),
            digest.due_soon.total,
        ),
        Section(
            t._(
                "📝 No report in the period {start}–{end} ({count}):",
                start=t.short_date(period.start),
                end=t.short_date(period.end),
                count=t.number(digest.unreported.total),
            ),
            tuple(f"• {task_title(i)}" for i in digest.unreported.items),
            digest.unreported.total,
        ),
        Section(
            t._("🔄 In progress ({count}):", count=t.number(digest.in_progress.total)),
            tuple(
                t._(
                    "• {task} — {progress}, deadline {deadline}",
                    task=task_title(i),
                    progress=t.percent(i.progress),
                    deadline=t.short_date(i.deadline),
                )
                for i in digest.in_progress.items
            ),
            digest.in_progress.total,
        ),
        Section(
            t._(
                "✅ Reported done this week ({count}):", count=t.number(digest.done_this_week.total)
            ),
            tuple(
                t._(
                    "• {task} — done {day}",
                    task=task_title(i),
                    day=t.short_date(i.done_on or i.deadline),
                )
                if i.confirmed
                else t._(
                    "• {task} — reported done {day}, awaiting confirmation",
                    task=task_title(i),
                    day=t.short_date(i.done_on or i.deadline),
                )
                for i in digest.done_this_week.items
            ),
            digest.done_this_week.total,
        ),
    ]
    return [s for s in sections if s.total]


def render_unit_digest(digest: UnitDigest, t: Translator, today: date, limit: int | None) -> str:
    """A head's weekly message, at most `limit` long (the text limit of the head's channel)."""
    figures = digest.figures
    head = [
        t._("📊 Weekly digest: {unit}", unit=digest.name),
        t._("As of {date}", date=t.date(today)),
        task_counts(t, figures.tasks),
    ]
    if figures.pilot_models.total:
        head.append(pilot_counts(t, figures.pilot_models))
    head.append(confirmation_note(t))
    if digest.place is not None:
        head.append(place_line(t, digest.place, digest.ranked))
    sections = unit_sections(digest, t)
    if not sections:
        head.append(t._("Nothing is overdue, due this week or waiting for a report."))
    return fit(head, sections, t, limit)
