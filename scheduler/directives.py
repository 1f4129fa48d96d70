"""The directives job, every minute: delivery, the senders' status messages, one reminder.

Set-based and idempotent: receipts become delivered when their outbox message is sent,
each status message is edited under a key made of its counts (identical counts are never
sent twice), and recipients who have not acknowledged are reminded once when the
response deadline is within one working day, outside quiet hours, on working days.
"""

from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from bot.config import Settings
from bot.i18n import N_, Translator, translator_for
from bot.messages import directives as directive_wording
from bot.services import outbox
from bot.services.directives import tracking as directive_tracking
from bot.services.outbox import Envelope
from scheduler.jobs import Job, JobContext


def _t(ctx: JobContext, locale: str | None) -> Translator:
    return translator_for(locale, ctx.settings.locale, ctx.settings.zone)


async def track_directives(ctx: JobContext, now: datetime) -> int:
    """Mark deliveries, refresh status messages, remind before deadlines; messages queued."""
    local = now.astimezone(ctx.settings.zone)
    async with ctx.db.transaction() as session:
        await directive_tracking.mark_delivered(session, now)
        await directive_tracking.learn_status_messages(session, now)
        envelopes = [
            Envelope(
                status.dedupe_key,
                status.channel or "",
                status.chat_key or "",
                directive_wording.status_message(_t(ctx, status.locale), status),
            )
            for status in await directive_tracking.tracked_statuses(session, now)
            if status.channel and status.chat_key
        ]
        # Reminders wait for working hours of a working day; tracking never waits.
        if ctx.calendar.is_working_day(local.date()) and not ctx.calendar.is_quiet(local):
            reminders = await directive_tracking.due_reminders(
                session, now, ctx.settings.zone, ctx.calendar
            )
            envelopes += [
                Envelope(
                    f"directive-remind:{r.directive.id}:{r.addressee.official_id}:"
                    f"{r.addressee.account_id}",
                    r.addressee.channel,
                    r.addressee.chat_key,
                    directive_wording.reminder_message(_t(ctx, r.addressee.locale), r.directive),
                )
                for r in reminders
            ]
            await directive_tracking.mark_reminded(session, reminders, now)
        # Statuses are offered every minute; only keys not queued before count as news.
        fresh = await directive_tracking.unqueued(session, [e.dedupe_key for e in envelopes])
        envelopes = [e for e in envelopes if e.dedupe_key in fresh]
        return await outbox.enqueue_many(session, envelopes, ctx.clock())


def directive_job(settings: Settings) -> Job:
    """Every minute, in the configured zone."""
    return Job(
        "directives",
        CronTrigger(minute="*", timezone=settings.zone),
        track_directives,
        N_("directive delivery and acknowledgement counts, reminders before response deadlines"),
    )
