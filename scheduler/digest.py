"""The weekly digest job: heads get their unit's week; standing officers and leaders, the province.

The job reads every digest from one read-only snapshot, renders each message in its
reader's language (off the event loop: text for thousands of heads and a chart take CPU),
and queues them all in one transaction. Dedupe keys carry the ISO week of the local day,
so a second run in the same week, or a catch-up run, queues nothing new.

Telegram takes at most 4096 characters of text and 1024 of photo caption; lists are cut
to fit with "… and N more", showing the same number of items from every list.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import Outbound
from bot.config import Settings
from bot.i18n import Translator, translator_for
from bot.services.blockers import stale_blockers
from bot.services.digests import (
    BlockerItem,
    Item,
    ProvinceDigest,
    UnitDigest,
    UnitScore,
    province_digest,
    unit_digests,
)
from bot.services.indicators import Achievement, achievement
from bot.services.outbox import Envelope, enqueue_many
from bot.services.periods import Regime, period_of
from db.models import ChatAccount, IndicatorKind, Official, OutboxMessage, Role, Status
from scheduler.chart import draw_status_chart
from scheduler.jobs import Job, JobContext

MAX_TEXT = 4096
MAX_CAPTION = 1024
TITLE_CHARS = 70
QUOTE_CHARS = 90
UNIT_CHARS = 60
RANKED = 5
"""Units shown at the top and at the bottom of the ranking."""
KEY_CHUNK = 500


class RememberingTranslator(Translator):
    """A translator that formats each date and number once.

    Thousands of digests repeat the same few hundred deadlines, percentages and counts, and
    Babel takes tens of microseconds for each; remembering them makes rendering 5,000 heads'
    digests several times faster.
    """

    def __init__(self, locale: str, zone: ZoneInfo) -> None:
        super().__init__(locale, zone)
        self._formatted: dict[tuple[str, object], str] = {}

    def _remember(self, kind: str, value: object, formatter: Callable[[Any], str]) -> str:
        key = (kind, value)
        text = self._formatted.get(key)
        if text is None:
            text = self._formatted[key] = formatter(value)
        return text

    def number(self, value: float) -> str:
        """As Translator.number, remembered."""
        return self._remember("number", value, super().number)

    def percent(self, value: float) -> str:
        """As Translator.percent, remembered."""
        return self._remember("percent", value, super().percent)

    def date(self, day: date) -> str:
        """As Translator.date, remembered."""
        return self._remember("date", day, super().date)

    def short_date(self, day: date) -> str:
        """As Translator.short_date, remembered."""
        return self._remember("short_date", day, super().short_date)


def translators(default: str, zone: ZoneInfo) -> Callable[[str | None], Translator]:
    """One remembering translator per language, picked as `translator_for` picks it."""
    made: dict[str, Translator] = {}
    chosen: dict[str | None, Translator] = {}

    def pick(language: str | None) -> Translator:
        if language not in chosen:
            locale = translator_for(language, default, zone).locale
            if locale not in made:
                made[locale] = RememberingTranslator(locale, zone)
            chosen[language] = made[locale]
        return chosen[language]

    return pick


def week_key(today: date) -> str:
    """The ISO week of a local day, e.g. '2026-W47'."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def size(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Section:
    """A titled list; `total` may exceed the lines at hand (the rest is only counted)."""

    header: str
    lines: tuple[str, ...]
    total: int


def fit(head: Sequence[str], sections: Sequence[Section], t: Translator, limit: int) -> str:
    """Head lines then sections, each list cut to the same length so that the text fits."""

    def render(shown: int) -> str:
        blocks = ["\n".join(head)] if head else []
        for section in sections:
            lines = [section.header, *section.lines[:shown]]
            hidden = section.total - min(shown, len(section.lines))
            if hidden > 0:
                lines.append(t.n_("… and {count} more", "… and {count} more", hidden))
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    low, high = 0, max((len(s.lines) for s in sections), default=0)
    if size(render(high)) <= limit:
        return render(high)
    while low < high:  # the largest number of items per list that still fits
        middle = (low + high + 1) // 2
        if size(render(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    text = render(low)
    while size(text) > limit:  # only when even the headers alone are too long
        text = text[: len(text) - (size(text) - limit) - 1] + "…"
    return text


def _people(t: Translator, names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else t._("no focal officer named")


def _late(t: Translator, days: int) -> str:
    return t.n_("{count} day late", "{count} days late", days)


def _title(item: Item | BlockerItem) -> str:
    return f"{item.task_code} {_shorten(item.title, TITLE_CHARS)}"


def _status_counts(t: Translator, by_status: dict[str, int]) -> str:
    return t._(
        "Assignments ({total}): {done} done, {in_progress} in progress, "
        "{not_started} not started, {maintained} maintained.",
        total=t.number(sum(by_status.values())),
        done=t.number(by_status.get(Status.DONE, 0)),
        in_progress=t.number(by_status.get(Status.IN_PROGRESS, 0)),
        not_started=t.number(by_status.get(Status.NOT_STARTED, 0)),
        maintained=t.number(by_status.get(Status.MAINTAINED, 0)),
    )


def unit_sections(digest: UnitDigest, t: Translator) -> list[Section]:
    """The head's lists, most urgent first; empty lists are left out."""
    period = digest.period
    sections = [
        Section(
            t._("🔴 Overdue ({count}):", count=t.number(digest.overdue.total)),
            tuple(
                t._(
                    "• {task} — {late} (deadline {deadline}); responsible: {people}",
                    task=_title(i),
                    late=_late(t, i.days_late),
                    deadline=t.short_date(i.deadline),
                    people=_people(t, i.responsible),
                )
                for i in digest.overdue.items
            ),
            digest.overdue.total,
        ),
        Section(
            t._("⚠️ Open difficulties ({count}):", count=t.number(digest.blockers.total)),
            tuple(
                t._(
                    "• {code}: {text} ({age} open)",
                    code=b.task_code,
                    text=_shorten(b.text, QUOTE_CHARS),
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
                    task=_title(i),
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
            tuple(f"• {_title(i)}" for i in digest.unreported.items),
            digest.unreported.total,
        ),
        Section(
            t._("🔄 In progress ({count}):", count=t.number(digest.in_progress.total)),
            tuple(
                t._(
                    "• {task} — {progress}, deadline {deadline}",
                    task=_title(i),
                    progress=t.percent(i.progress),
                    deadline=t.short_date(i.deadline),
                )
                for i in digest.in_progress.items
            ),
            digest.in_progress.total,
        ),
        Section(
            t._("✅ Done this week ({count}):", count=t.number(digest.done_this_week.total)),
            tuple(
                t._(
                    "• {task} — done {day}",
                    task=_title(i),
                    day=t.short_date(i.done_on or i.deadline),
                )
                for i in digest.done_this_week.items
            ),
            digest.done_this_week.total,
        ),
    ]
    return [s for s in sections if s.total]


def render_unit_digest(digest: UnitDigest, t: Translator, today: date) -> str:
    """A head's weekly message, at most 4096 characters."""
    head = [
        t._("📊 Weekly digest: {unit}", unit=digest.name),
        t._("As of {date}", date=t.date(today)),
        _status_counts(t, digest.by_status),
    ]
    sections = unit_sections(digest, t)
    if not sections:
        head.append(t._("Nothing is overdue, due this week or waiting for a report."))
    return fit(head, sections, t, MAX_TEXT)


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
        _status_counts(t, digest.by_status),
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
                unit=_shorten(s.name, UNIT_CHARS),
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
                    group=_shorten(f"{g.code} {g.title}", TITLE_CHARS),
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
                    unit=_shorten(i.unit_name, UNIT_CHARS),
                    task=_title(i),
                    late=_late(t, i.days_late),
                    people=_people(t, i.responsible),
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
            tuple(f"• {_shorten(u.name, UNIT_CHARS)}" for u in digest.unreported_units[:100]),
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
                    unit=_shorten(b.unit_name, UNIT_CHARS),
                    code=b.task_code,
                    text=_shorten(b.text, TITLE_CHARS),
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
        title=_shorten(a.title, TITLE_CHARS),
        unit=_shorten(a.unit_name, UNIT_CHARS),
        value=value,
        direction=direction,
        target=shown(a.target),
        mark=mark,
    )


def render_province_digest(digest: ProvinceDigest, t: Translator) -> tuple[str, str | None]:
    """The chart's caption (≤ 1024) and, when everything does not fit in it, a text (≤ 4096)."""
    head = province_head(digest, t)
    sections = province_sections(digest, t)
    everything = fit(head, sections, t, sys.maxsize)
    if size(everything) <= MAX_CAPTION:
        return everything, None
    caption = fit(head, [], t, MAX_CAPTION)
    details_head = [t._("Province weekly digest, {date}: details", date=t.date(digest.today))]
    return caption, fit(details_head, sections, t, MAX_TEXT)


@dataclass(frozen=True)
class Recipient:
    """One official on one reachable chat account."""

    official_id: int
    role: str
    unit_id: int
    locale: str | None
    account_id: int
    channel: str
    chat_key: str

    def key(self, week: str, part: str = "") -> str:
        """The dedupe key of this person's digest on this account for one week."""
        base = f"digest:{self.official_id}:{week}:{self.account_id}"
        return f"{base}:{part}" if part else base


async def recipients(session: AsyncSession, roles: Sequence[str]) -> list[Recipient]:
    """Active officials with these roles on every account that can still be reached."""
    rows = await session.execute(
        select(Official, ChatAccount)
        .join(ChatAccount, ChatAccount.official_id == Official.id)
        .where(
            Official.role.in_(list(roles)),
            Official.active,
            ChatAccount.unreachable_at.is_(None),
        )
        .order_by(Official.id, ChatAccount.id)
    )
    return [
        Recipient(
            official_id=o.id or 0,
            role=o.role,
            unit_id=o.unit_id,
            locale=o.locale,
            account_id=a.id or 0,
            channel=a.channel,
            chat_key=a.chat_key,
        )
        for o, a in rows
    ]


async def queued_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Which of these dedupe keys are in the outbox already (by its unique index)."""
    found: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = list(keys[start : start + KEY_CHUNK])
        rows = await session.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk))
        )
        found.update(rows)
    return found


def compose(
    heads: Sequence[Recipient],
    readers: Sequence[Recipient],
    units: dict[int, UnitDigest],
    province: ProvinceDigest | None,
    translator: Callable[[str | None], Translator],
    week: str,
    today: date,
) -> list[Envelope]:
    """Every message of the week, each rendered once per unit (or province) and language."""
    envelopes: list[Envelope] = []
    head_texts: dict[tuple[int, str], str] = {}
    for person in heads:
        digest = units.get(person.unit_id)
        if digest is None:
            continue
        t = translator(person.locale)
        if (person.unit_id, t.locale) not in head_texts:
            head_texts[person.unit_id, t.locale] = render_unit_digest(digest, t, today)
        text = head_texts[person.unit_id, t.locale]
        envelopes.append(
            Envelope(person.key(week), person.channel, person.chat_key, Outbound(text))
        )
    charts: dict[str, tuple[bytes, str, str | None]] = {}
    for person in readers:
        if province is None:
            break
        t = translator(person.locale)
        if t.locale not in charts:
            caption, details = render_province_digest(province, t)
            charts[t.locale] = (draw_status_chart(province, t), caption, details)
        png, caption, details = charts[t.locale]
        envelopes.append(
            Envelope(
                person.key(week, "chart"),
                person.channel,
                person.chat_key,
                Outbound(text=caption, photo=png),
            )
        )
        if details:
            envelopes.append(
                Envelope(
                    person.key(week, "text"), person.channel, person.chat_key, Outbound(details)
                )
            )
    return envelopes


async def weekly_digests(ctx: JobContext, now: datetime) -> int:
    """Queue this week's digests as of `now`; returns how many messages were new."""
    settings = ctx.settings
    today = now.astimezone(settings.zone).date()
    week_start = today - timedelta(days=7)  # the previous digest's day again: no day missed
    week = week_key(today)
    regime = Regime(settings.period_regime)
    async with ctx.db.read() as session:
        heads = await recipients(session, [Role.HEAD])
        readers = await recipients(session, [Role.STANDING, Role.LEADER])
        done = await queued_keys(
            session, [p.key(week) for p in heads] + [p.key(week, "chart") for p in readers]
        )
        heads = [p for p in heads if p.key(week) not in done]
        readers = [p for p in readers if p.key(week, "chart") not in done]
        units = (
            await unit_digests(session, today, week_start, regime=regime, zone=settings.zone)
            if heads
            else {}
        )
        province = (
            await province_digest(session, today, week_start, regime=regime, zone=settings.zone)
            if readers
            else None
        )
        if province is not None:
            # Indicators of the last closed period; blockers open beyond the escalation age.
            closed = period_of(regime, today).previous().key
            province = replace(
                province,
                indicators=tuple(await achievement(session, closed)),
                stale_blockers=tuple(
                    await stale_blockers(
                        session, today, settings.blocker_escalation_days, settings.zone
                    )
                ),
            )
    if not heads and not readers:
        return 0
    pick = translators(settings.locale, settings.zone)
    envelopes = await asyncio.to_thread(compose, heads, readers, units, province, pick, week, today)
    async with ctx.db.transaction() as session:
        # Another instance may have queued some meanwhile: count only what is really new.
        taken = await queued_keys(session, [e.dedupe_key for e in envelopes])
        fresh = [e for e in envelopes if e.dedupe_key not in taken]
        await enqueue_many(session, fresh, now)
    return len(fresh)


def digest_job(settings: Settings) -> Job:
    """The weekly digest, by default on Monday at 07:30 in the province's time zone."""
    return Job(
        name="digest",
        trigger=CronTrigger(
            day_of_week=settings.digest_day,
            hour=settings.digest_time.hour,
            minute=settings.digest_time.minute,
            timezone=settings.zone,
        ),
        run=weekly_digests,
        description="weekly digest: the unit to heads, the province to standing and leaders",
    )
