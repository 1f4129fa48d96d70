"""The weekly digest job: heads get their unit's week; standing officers and leaders, the province.

The job reads every digest from one read-only snapshot, renders each message in its
reader's language (off the event loop: text for thousands of heads and a chart take CPU),
and queues them all in one transaction. Dedupe keys carry the ISO week of the local day,
so a second run in the same week, or a catch-up run, queues nothing new.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.channels.base import Outbound
from bot.channels.limits import Limits, limits_of
from bot.config import Settings
from bot.i18n import N_, Translator
from bot.services import proposals, waiting
from bot.services.blockers import stale_blockers
from bot.services.dates.periods import Regime, period_of
from bot.services.digests.model import ProvinceDigest, UnitDigest
from bot.services.digests.province import province_digest
from bot.services.digests.units import unit_digests
from bot.services.indicators.achievement import achievement
from bot.services.outbox import Envelope, enqueue_many
from bot.services.people.reach import reaches
from db.models import ChatAccount, Official, OutboxMessage, Role
from scheduler.digest.chart import draw_status_chart
from scheduler.digest.province import render_province_digest
from scheduler.digest.translators import translators
from scheduler.digest.unit import render_unit_digest
from scheduler.jobs import Job, JobContext

KEY_CHUNK = 500


def week_key(today: date) -> str:
    """The ISO week of a local day, e.g. '2026-W47'."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


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


async def recipients(session: AsyncSession, roles: Sequence[str], now: datetime) -> list[Recipient]:
    """Active officials with these roles on every account that can still be reached."""
    rows = await session.execute(
        select(Official, ChatAccount)
        .join(ChatAccount, reaches(now))
        .where(col(Official.role).in_(list(roles)), col(Official.active))
        .order_by(col(Official.id), col(ChatAccount.id))
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
            select(col(OutboxMessage.dedupe_key)).where(col(OutboxMessage.dedupe_key).in_(chunk))
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
    """Every message of the week, rendered once per unit (or province), language and limits.

    Each message fits the limits of its recipient's channel.
    """
    envelopes: list[Envelope] = []
    head_texts: dict[tuple[int, str, Limits], str] = {}
    for person in heads:
        digest = units.get(person.unit_id)
        if digest is None:
            continue
        t, limits = translator(person.locale), limits_of(person.channel)
        key = (person.unit_id, t.locale, limits)
        if key not in head_texts:
            head_texts[key] = render_unit_digest(digest, t, today, limits.text)
        envelopes.append(
            Envelope(person.key(week), person.channel, person.chat_key, Outbound(head_texts[key]))
        )
    charts: dict[str, bytes] = {}
    texts: dict[tuple[str, Limits], tuple[str, str | None]] = {}
    for person in readers:
        if province is None:
            break
        t, limits = translator(person.locale), limits_of(person.channel)
        if t.locale not in charts:
            charts[t.locale] = draw_status_chart(province.figures, t)
        if (t.locale, limits) not in texts:
            texts[t.locale, limits] = render_province_digest(province, t, limits)
        png, (caption, details) = charts[t.locale], texts[t.locale, limits]
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
        heads = await recipients(session, [Role.HEAD], now)
        readers = await recipients(session, [Role.STANDING, Role.LEADER], now)
        done = await queued_keys(
            session, [p.key(week) for p in heads] + [p.key(week, "chart") for p in readers]
        )
        heads = [p for p in heads if p.key(week) not in done]
        readers = [p for p in readers if p.key(week, "chart") not in done]
        units = (
            await unit_digests(
                session,
                today,
                week_start,
                regime=regime,
                zone=settings.zone,
                weights=settings.ranking_weights,
            )
            if heads
            else {}
        )
        province = (
            await province_digest(
                session,
                today,
                week_start,
                regime=regime,
                zone=settings.zone,
                weights=settings.ranking_weights,
            )
            if readers
            else None
        )
        if province is not None:
            # Indicators of the last closed period; blockers open beyond the escalation age;
            # what waits on the standing office.
            closed = period_of(regime, today).previous().key
            claims_waiting, requests_waiting = await waiting.counts(session)
            province = replace(
                province,
                claims_waiting=claims_waiting,
                requests_waiting=requests_waiting,
                proposals_waiting=await proposals.count_open(session),
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
        return await enqueue_many(session, envelopes, ctx.clock())


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
        description=N_("weekly digest: the unit to heads, the province to standing and leaders"),
    )
