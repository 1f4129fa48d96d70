"""The province's weekly message: a caption for the chart and, when it is too long, a text."""

from __future__ import annotations

from collections.abc import Sequence

from bot.channels.base import text_length
from bot.channels.limits import Limits
from bot.i18n import Translator
from bot.services.digests.model import ProvinceDigest, UnitScore
from bot.services.indicators.achievement import Achievement
from db.models import IndicatorKind, Status
from scheduler.digest.text import (
    TITLE_CHARS,
    Section,
    fit,
    lateness,
    responsible,
    shorten,
    status_counts,
    task_title,
)

UNIT_CHARS = 60
RANKED = 5
"""Units shown at the top and at the bottom of the ranking."""


def _pilot_line(t: Translator, digest: ProvinceDigest) -> str | None:
    counts = digest.pilot_models
    parts = [
        text
        for status, text in [
            (Status.DONE, t._("{count} done", count=t.number(counts[Status.DONE]))),
            (
                Status.MAINTAINED,
                t._("{count} maintained", count=t.number(counts[Status.MAINTAINED])),
            ),
            (
                Status.IN_PROGRESS,
                t._("{count} in progress", count=t.number(counts[Status.IN_PROGRESS])),
            ),
            (
                Status.NOT_STARTED,
                t._("{count} not started", count=t.number(counts[Status.NOT_STARTED])),
            ),
        ]
        if counts[status]
    ]
    if not parts:
        return None
    return t._(
        "Pilot models: {parts} of {total}.",
        parts=", ".join(parts),
        total=t.number(digest.pilot_total),
    )


def province_head(digest: ProvinceDigest, t: Translator) -> list[str]:
    """The province's headline figures: what the chart's caption says."""
    lines = [
        t._("📊 Province weekly digest, {date}", date=t.date(digest.today)),
        status_counts(t, digest.by_status),
        t.n_("{count} assignment is overdue.", "{count} assignments are overdue.", digest.overdue),
    ]
    pilot = _pilot_line(t, digest)
    if pilot:
        lines.append(pilot)
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


def province_sections(digest: ProvinceDigest, t: Translator) -> list[Section]:
    """Groups, ranking, longest overdue and silent units; empty lists are left out."""

    def ranked(start: int, scores: Sequence[UnitScore]) -> tuple[str, ...]:
        return tuple(
            t._(
                "{rank}. {unit} — {rate} ({on_time} of {considered} on time)",
                rank=t.number(start + n),
                unit=shorten(s.name, UNIT_CHARS),
                rate=t.percent(s.rate),
                on_time=t.number(s.on_time),
                considered=t.number(s.considered),
            )
            for n, s in enumerate(scores)
        )

    best = digest.ranking[:RANKED]
    worst_from = max(RANKED, len(digest.ranking) - RANKED)
    worst = digest.ranking[worst_from:]
    sections = [
        Section(
            t._("By task group:"),
            tuple(
                t._(
                    "• {group}: {done} of {total} done, {overdue} overdue",
                    group=shorten(f"{g.code} {g.title}", TITLE_CHARS),
                    done=t.number(g.by_status[Status.DONE]),
                    total=t.number(g.total),
                    overdue=t.number(g.overdue),
                )
                for g in digest.groups
            ),
            len(digest.groups),
        ),
        Section(t._("🏆 Best on-time completion:"), ranked(1, best), len(best)),
        Section(t._("🐢 Lowest on-time completion:"), ranked(worst_from + 1, worst), len(worst)),
        Section(
            t._("🔴 Longest overdue:"),
            tuple(
                t._(
                    "• {unit}: {task} — {late}; responsible: {people}",
                    unit=shorten(i.unit_name, UNIT_CHARS),
                    task=task_title(i),
                    late=lateness(t, i.days_late),
                    people=responsible(t, i.responsible),
                )
                for i in digest.longest_overdue
            ),
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
    ]
    return [s for s in sections if s.total]


def _indicator_line(t: Translator, a: Achievement) -> str:
    """One indicator against its target, e.g. '• Hồ sơ trực tuyến (Sở Tư pháp): 72% / ≥ 70% ✅'."""

    def shown(value: float) -> str:
        if a.kind == IndicatorKind.RATIO:
            return t.percent(value)
        if a.kind == IndicatorKind.YES_NO:
            return t._("yes") if value >= 1 else t._("no")
        return t.number(value)

    direction = "≥" if a.direction == ">=" else "≤"
    value = t._("no report") if a.value is None else shown(a.value)
    mark = "" if a.meets is None else " ✅" if a.meets else " ❌"
    return t._(
        "• {title} ({unit}): {value} / {direction} {target}{mark}",
        title=shorten(a.title, TITLE_CHARS),
        unit=shorten(a.unit_name, UNIT_CHARS),
        value=value,
        direction=direction,
        target=shown(a.target),
        mark=mark,
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
