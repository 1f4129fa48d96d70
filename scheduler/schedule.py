"""Every scheduled job, in one place."""

from __future__ import annotations

from bot.config import Settings
from scheduler.deadlines import deadline_jobs
from scheduler.digest.job import digest_job
from scheduler.directives import directive_job
from scheduler.housekeeping import housekeeping_job
from scheduler.jobs import Job
from scheduler.periodic import period_job
from scheduler.queues import queue_job


def all_jobs(settings: Settings) -> list[Job]:
    """The jobs the ticker runs, in the order `roviec jobs list` shows them."""
    return [
        *deadline_jobs(settings),  # reminders 08:00, overdue alerts 08:30
        period_job(settings),  # reporting-period nudges and report-back 09:00
        queue_job(settings),  # 08:15: what has waited on the standing office too long
        digest_job(settings),  # weekly digests, Monday 07:30
        directive_job(settings),  # every minute: directive delivery, status, reminders
        housekeeping_job(settings),  # 03:00: stored updates past their retention emptied
    ]
