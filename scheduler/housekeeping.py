"""The nightly housekeeping job: keep officials' messages, charts and exports no longer than
they are needed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.config import Settings
from bot.i18n import N_
from bot.services import files, inbox, outbox
from scheduler.jobs import Job, JobContext

log = logging.getLogger(__name__)


async def keep_house(ctx: JobContext, now: datetime) -> int:
    """Empty what people sent and what was sent to them, past the retention, and delete the
    files whose time is up; sends nothing."""
    before = now - timedelta(days=ctx.settings.inbox_retention_days)
    async with ctx.db.transaction() as session:
        received = await inbox.prune(session, before)
        sent = await outbox.prune(session, before)
        purged = await files.purge(session, now)
    log.info("housekeeping: emptied %d updates and %d messages before %s", received, sent, before)
    log.info("housekeeping: deleted %d expired files", purged)
    return 0


def housekeeping_job(settings: Settings) -> Job:
    """Daily at the configured local time (the quietest hour)."""
    at = settings.housekeeping_time
    return Job(
        "housekeeping",
        CronTrigger(hour=at.hour, minute=at.minute, timezone=settings.zone),
        keep_house,
        N_(
            "personal data past its retention: stored updates and sent messages emptied; "
            "expired charts and exports deleted"
        ),
    )
