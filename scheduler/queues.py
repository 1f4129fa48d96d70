"""The `queues` job: recall to the standing office what has waited on it too long.

Each working day at `ROVIEC_QUEUE_REMINDER_TIME`, when results have awaited confirmation or
extension requests a decision for `ROVIEC_QUEUE_REMINDER_WORKING_DAYS` working days or
more, every standing officer gets one message: how many wait in all, how many too long,
and the oldest of each, with the command that opens the queue.
"""

from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from bot.channels.base import Outbound
from bot.config import Settings
from bot.i18n import N_, Translator, translator_for
from bot.messages.queues import claim_line, request_line
from bot.services import outbox, waiting
from bot.services.outbox import Envelope
from bot.services.waiting import Queues
from scheduler.jobs import Job, JobContext

OLDEST = 3  # items quoted of each queue; the rest are counted


def _more(t: Translator, count: int) -> list[str]:
    """The line that counts what is not quoted, if anything."""
    hidden = count - OLDEST
    return [t.n_("… and {count} more", "… and {count} more", hidden)] if hidden > 0 else []


def _message(t: Translator, queues: Queues, days: int) -> Outbound:
    """The recall: counts, then the oldest results and requests, each with its command."""
    lines = [t._("⏳ Waiting for the standing office:")]
    if queues.late_claims:
        lines += [
            "",
            t.n_(
                "{count} result reported done has waited {days}+ working days for "
                "confirmation ({total} waiting in all):",
                "{count} results reported done have waited {days}+ working days for "
                "confirmation ({total} waiting in all):",
                len(queues.late_claims),
                days=days,
                total=queues.claims,
            ),
            *(claim_line(t, i + 1, c) for i, c in enumerate(queues.late_claims[:OLDEST])),
            *_more(t, len(queues.late_claims)),
            t._("Send /xacnhan to confirm or return them."),
        ]
    if queues.late_requests:
        lines += [
            "",
            t.n_(
                "{count} extension request has waited {days}+ working days for a decision "
                "({total} waiting in all):",
                "{count} extension requests have waited {days}+ working days for a decision "
                "({total} waiting in all):",
                len(queues.late_requests),
                days=days,
                total=queues.requests,
            ),
            *(
                request_line(t, i + 1, r, quote=120)
                for i, r in enumerate(queues.late_requests[:OLDEST])
            ),
            *_more(t, len(queues.late_requests)),
            t._("Send /xetgiahan to decide them."),
        ]
    return Outbound("\n".join(lines))


async def recall_queues(ctx: JobContext, now: datetime) -> int:
    """Queue, on a working day outside quiet hours, the recall of what has waited too long."""
    settings = ctx.settings
    local = now.astimezone(settings.zone)
    if not ctx.calendar.is_working_day(local.date()) or ctx.calendar.is_quiet(local):
        return 0
    days = settings.queue_reminder_working_days
    async with ctx.db.transaction() as session:
        queues = await waiting.overdue_queues(session, now, ctx.calendar, settings.zone, days)
        if not queues.late_claims and not queues.late_requests:
            return 0
        envelopes = [
            Envelope(
                f"queues:{local.date().isoformat()}:{person.account.id}",
                person.account.channel,
                person.account.chat_key,
                _message(
                    translator_for(person.locale, settings.locale, settings.zone), queues, days
                ),
            )
            for person in queues.recipients
        ]
        return await outbox.enqueue_many(session, envelopes, ctx.clock())


def queue_job(settings: Settings) -> Job:
    """Daily at the configured time; it sends only on working days."""
    at = settings.queue_reminder_time
    return Job(
        "queues",
        CronTrigger(hour=at.hour, minute=at.minute, timezone=settings.zone),
        recall_queues,
        N_(
            "results awaiting confirmation and extension requests awaiting a decision, "
            "recalled to the standing office"
        ),
    )
