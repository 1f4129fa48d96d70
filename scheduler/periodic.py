"""The reporting-period job: nudge before the cut-off, report back after it."""

from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from bot.channels.base import Outbound
from bot.config import Settings
from bot.i18n import N_, translator_for
from bot.services import outbox
from bot.services.nudges import plan_period_check
from bot.services.outbox import Envelope
from scheduler.jobs import Job, JobContext


async def check_periods(ctx: JobContext, now: datetime) -> int:
    """Queue nudges for units silent in this period and the list of those silent in the last."""
    settings = ctx.settings
    async with ctx.db.transaction() as session:
        check = await plan_period_check(session, now, settings, ctx.calendar)
        envelopes = []
        for person in check.nudge:
            t = translator_for(person.locale, settings.locale, settings.zone)
            text = t._(
                "📅 {unit} has not yet reported on every assignment for the reporting "
                "period {start} – {end} (data closed on {end}). The report is due by {due}: "
                "please send /baocao for each assignment still open.",
                unit=person.unit_name,
                start=t.short_date(check.period.start),
                end=t.short_date(check.period.end),
                due=t.short_date(check.due),
            )
            envelopes.append(
                Envelope(
                    f"nudge:{check.period.key}:{person.account_id}",
                    person.channel,
                    person.chat_key,
                    Outbound(text),
                )
            )
        for person in check.standing:
            t = translator_for(person.locale, settings.locale, settings.zone)
            heading = t.n_(
                "📋 {count} unit did not report in the period {start} – {end}:",
                "📋 {count} units did not report in the period {start} – {end}:",
                len(check.missing_units),
                start=t.short_date(check.previous.start),
                end=t.short_date(check.previous.end),
            )
            text = "\n".join([heading, *(f"• {name}" for name in check.missing_units)])
            envelopes.append(
                Envelope(
                    f"missing:{check.previous.key}:{person.account_id}",
                    person.channel,
                    person.chat_key,
                    Outbound(text),
                )
            )
        return await outbox.enqueue_many(session, envelopes, ctx.clock())


def period_job(settings: Settings) -> Job:
    """Daily, on working days, at the configured time."""
    at = settings.period_check_time
    return Job(
        "periods",
        CronTrigger(hour=at.hour, minute=at.minute, timezone=settings.zone),
        check_periods,
        N_("reporting-period nudges and the list of units that did not report"),
    )
