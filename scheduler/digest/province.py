"""The province's weekly message: a caption for the chart and, when it is too long, a text."""

from __future__ import annotations

from collections.abc import Sequence

from bot.channels.base import text_length
from bot.channels.limits import Limits
from bot.i18n import Translator
from bot.messages.figures import (
    TITLE_CHARS,
    Section,
    assignment_counts,
    confirmation_note,
    fit,
    overdue_line_with_unit,
    pilot_counts,
    shorten,
    task_counts,
)
from bot.messages.ranking import ranking_line
from bot.services.digests.model import ProvinceDigest
from bot.services.figures import GroupFigures, UnitScore
from bot.services.indicators.achievement import Achievement
from db.models import IndicatorKind

UNIT_CHARS = 60
RANKED = 5
"""Units shown at the top and at the bottom of the ranking."""


def province_head(digest: ProvinceDigest, t: Translator) -> list[str]:
    """The province's headline figures: what the chart's caption says."""
    figures = digest.figures
    lines = [
        t._("📊 Province weekly digest, {date}", date=t.date(digest.today)),
        task_counts(t, figures.tasks),
    ]
    if figures.pilot_models.total:
        lines.append(pilot_counts(t, figures.pilot_models))
    lines += [assignment_counts(t, figures.assignments), confirmation_note(t)]
    if digest.units_expected:
        lines.append(
            t._(
                "Units without a report in the period {start}–{end}: {count} of {expected}.",
                start=t.short_date(digest.period.start),
                end=t.short_date(digest.period.end),
                count=t.number(len(digest.unreported_units)),
                expected=t.number(digest.units_expected),
            )
        )
    return lines


def group_line(t: Translator, group: GroupFigures) -> str:
    """One task group: its tasks and pilot models done, awaiting confirmation, overdue."""
    work = group.work
    return t._(
        "• {group}: {done} of {total} done, {claimed} awaiting confirmation, {overdue} overdue",
        group=shorten(f"{group.code} {group.label}", TITLE_CHARS),
        done=t.number(work.done),
        total=t.number(work.total),
        claimed=t.number(work.claimed),
        overdue=t.number(work.overdue),
    )


def province_sections(digest: ProvinceDigest, t: Translator) -> list[Section]:
    """Groups, ranking, longest overdue and silent units; empty lists are left out."""

    def ranked(scores: Sequence[UnitScore]) -> tuple[str, ...]:
        return tuple(ranking_line(t, s) for s in scores)

    best = digest.ranking[:RANKED]
    worst = digest.ranking[max(RANKED, len(digest.ranking) - RANKED) :]
    sections = [
        Section(
            t._("By task group (tasks and pilot models, each counted once):"),
            tuple(group_line(t, g) for g in digest.figures.groups),
            len(digest.figures.groups),
        ),
        Section(
            t._("🏆 Ranking of units, highest scores:"),
            ranked(best),
            len(best),
        ),
        Section(t._("Lowest scores:"), ranked(worst), len(worst)),
        Section(
            t._("🔴 Longest overdue:"),
            tuple(overdue_line_with_unit(t, i) for i in digest.longest_overdue),
            len(digest.longest_overdue),
        ),
        Section(
            t._(
                "📝 Units without a report in the period {start}–{end} ({count}):",
                start=t.short_date(digest.period.start),
                end=t.short_date(digest.period.end),
                count=t.number(len(digest.unreported_units)),
            ),
            tuple(f"• {shorten(u.name, UNIT_CHARS)}" for u in digest.unreported_units[:100]),
            len(digest.unreported_units),
        ),
    ]
    sections += [
        Section(
            t._("🎯 Indicators, last period:"),
            tuple(_indicator_line(t, a) for a in digest.indicators),
            len(digest.indicators),
        ),
        Section(
            t._("⚠️ Blockers open for a long time:"),
            tuple(
                t._(
                    "• {unit}: [{code}] {text} — {age}",
                    unit=shorten(b.unit_name, UNIT_CHARS),
                    code=b.task_code,
                    text=shorten(b.text, TITLE_CHARS),
                    age=t.n_("open {count} day", "open {count} days", b.age_days),
                )
                for b in digest.stale_blockers
            ),
            len(digest.stale_blockers),
        ),
        _waiting(digest, t),
    ]
    return [s for s in sections if s.total]


def _waiting(digest: ProvinceDigest, t: Translator) -> Section:
    """What waits on the standing office: results to confirm, extension requests to decide,
    proposals to answer."""
    lines = []
    if digest.claims_waiting:
        lines.append(
            t.n_(
                "• {count} result reported done awaiting confirmation (/xacnhan)",
                "• {count} results reported done awaiting confirmation (/xacnhan)",
                digest.claims_waiting,
            )
        )
    if digest.requests_waiting:
        lines.append(
            t.n_(
                "• {count} extension request awaiting a decision (/xetgiahan)",
                "• {count} extension requests awaiting a decision (/xetgiahan)",
                digest.requests_waiting,
            )
        )
    if digest.proposals_waiting:
        lines.append(
            t.n_(
                "• {count} proposal awaiting an answer (/kiennghi)",
                "• {count} proposals awaiting an answer (/kiennghi)",
                digest.proposals_waiting,
            )
        )
    return Section(t._("⏳ Waiting for the standing office:"), tuple(lines), len(lines))


def _indicator_line(t: Translator, a: Achievement) -> str:
    """One indicator against its target, e.g. '• Hồ sơ trực tuyến (Sở Tư pháp): 72% / ≥ 70% ✅'.

    A yes/no indicator has no number to compare: it is achieved or not yet.
    """
    title, unit = shorten(a.title, TITLE_CHARS), shorten(a.unit_name, UNIT_CHARS)
    if a.value is None:
        return t._("• {title} ({unit}): no report", title=title, unit=unit)
    if a.kind == IndicatorKind.YES_NO:
        verdict = t._("achieved ✅") if a.meets else t._("not achieved ❌")
        return t._("• {title} ({unit}): {verdict}", title=title, unit=unit, verdict=verdict)

    def shown(value: float) -> str:
        return t.percent(value) if a.kind == IndicatorKind.RATIO else t.number(value)

    return t._(
        "• {title} ({unit}): {value} / {direction} {target}{mark}",
        title=title,
        unit=unit,
        value=shown(a.value),
        direction="≥" if a.direction == ">=" else "≤",
        target=shown(a.target),
        mark=" ✅" if a.meets else " ❌",
    )


def render_province_digest(
    digest: ProvinceDigest, t: Translator, limits: Limits
) -> tuple[str, str | None]:
    """The chart's caption and, when everything does not fit in it, a text, within `limits`."""
    head = province_head(digest, t)
    sections = province_sections(digest, t)
    everything = fit(head, sections, t, None)
    if limits.caption is None or text_length(everything) <= limits.caption:
        return everything, None
    caption = fit(head, [], t, limits.caption)
    details_head = [t._("Province weekly digest, {date}: details", date=t.date(digest.today))]
    return caption, fit(details_head, sections, t, limits.text)
