"""APScheduler 3 as a ticker: it says when; the database says what is due and what already ran.

Each firing is claimed as a `JobRun` row (unique per job and fire time), so two instances
never run the same firing. On start, a firing missed while the bot was down is run once,
as of now, if it is within the catch-up window; each decision is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import delete, select, update
from sqlmodel import col

from db.models import JobRun
from db.upsert import insert_ignoring_duplicates
from scheduler.jobs import Job, JobContext

log = logging.getLogger(__name__)
# A firing delayed by a busy event loop still runs if it is at most this late; later ones
# are left to the catch-up logic, which knows about the database.
MISFIRE_GRACE_SECONDS = 600
RUN_HISTORY = timedelta(days=7)


def last_fire_time(trigger: CronTrigger, now: datetime, window: timedelta) -> datetime | None:
    """The latest scheduled firing in (now - window, now], if any."""
    last, moment = None, trigger.get_next_fire_time(None, now - window)
    while moment is not None and moment <= now:
        last = moment
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return last


class Ticker:
    """Runs the jobs on their schedules and makes up for firings missed while down."""

    def __init__(
        self,
        ctx: JobContext,
        jobs: list[Job],
        clock: Callable[[], datetime],
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self.ctx, self.clock, self.on_queued = ctx, clock, on_queued
        self.jobs = {job.name: job for job in jobs}
        self.scheduler: AsyncIOScheduler | None = None

    def start(self) -> None:
        """Start the APScheduler ticker (inside the running event loop)."""
        scheduler = AsyncIOScheduler(timezone=self.ctx.settings.zone)
        for job in self.jobs.values():
            # coalesce: several missed firings of one job collapse into one run;
            # max_instances=1: a slow run is never overlapped by the next firing.
            scheduler.add_job(
                self.fire,
                job.trigger,
                args=[job.name],
                id=job.name,
                name=job.description,
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=MISFIRE_GRACE_SECONDS,
                max_instances=1,
            )
        scheduler.start()
        self.scheduler = scheduler

    def stop(self) -> None:
        """Stop ticking; a run in progress finishes on its own."""
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    async def fire(self, name: str) -> None:
        """APScheduler's entry point: run the firing due now, recorded by its scheduled time."""
        now = self.clock()
        grace = timedelta(seconds=MISFIRE_GRACE_SECONDS)
        scheduled = last_fire_time(self.jobs[name].trigger, now, grace)
        await self.run(name, now, fire_time=scheduled or now.replace(second=0, microsecond=0))

    async def run(
        self, name: str, now: datetime, *, fire_time: datetime | None = None, catch_up: bool = False
    ) -> int | None:
        """Run a job as of `now`; with a fire time, only if no instance ran that firing."""
        job = self.jobs[name]
        run_id = None
        if fire_time is not None:
            run_id = await self._claim(name, fire_time, now, catch_up)
            if run_id is None:
                log.info("job %s: firing %s already ran", name, fire_time.isoformat())
                return None
        try:
            queued = await job.run(self.ctx, now)
        except Exception as error:
            # The type only at ERROR: a database error's text quotes the values it was given.
            log.error(
                "job %s failed (%s)",
                name,
                type(error).__name__,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            await self._finish(run_id, None, "failed", now)
            return None
        await self._finish(run_id, queued, None, now)
        # Jobs that run every minute mostly find nothing; say so only when debugging.
        level = logging.INFO if queued or catch_up else logging.DEBUG
        log.log(
            level, "job %s queued %d message(s)%s", name, queued, " (catch-up)" if catch_up else ""
        )
        if queued:
            self.on_queued()
        return queued

    async def catch_up(self) -> None:
        """Make up, once, for firings missed while down; defer to after quiet hours."""
        now = self.clock()
        window = timedelta(hours=self.ctx.settings.catch_up_hours)
        local = now.astimezone(self.ctx.settings.zone)
        for name, job in self.jobs.items():
            missed = last_fire_time(job.trigger, now, window)
            if missed is None:
                log.info("catch-up %s: no firing in the last %s", name, window)
                continue
            if await self._ran(name, missed):
                log.info("catch-up %s: firing %s ran already", name, missed.isoformat())
                continue
            if self.ctx.calendar.is_quiet(local) and self.scheduler is not None:
                at = self._end_of_quiet(local)
                log.info(
                    "catch-up %s: firing %s missed; quiet hours, deferred to %s",
                    name,
                    missed.isoformat(),
                    at.isoformat(),
                )
                self.scheduler.add_job(
                    self._deferred,
                    DateTrigger(at),
                    args=[name, missed],
                    id=f"catch-up:{name}",
                    replace_existing=True,
                )
                continue
            log.info("catch-up %s: firing %s missed; running it now", name, missed.isoformat())
            await self.run(name, now, fire_time=missed, catch_up=True)

    async def _deferred(self, name: str, missed: datetime) -> None:
        await self.run(name, self.clock(), fire_time=missed, catch_up=True)

    def _end_of_quiet(self, local: datetime) -> datetime:
        end = local.replace(
            hour=self.ctx.settings.quiet_hours_end.hour,
            minute=self.ctx.settings.quiet_hours_end.minute,
            second=0,
            microsecond=0,
        )
        return end if end > local else end + timedelta(days=1)

    async def _claim(
        self, name: str, fire_time: datetime, now: datetime, catch_up: bool
    ) -> int | None:
        """Record the firing as ours; None if another run (or instance) has it."""
        row = {
            "job": name,
            "fire_time": fire_time.astimezone(UTC),
            "started_at": now,
            "catch_up": catch_up,
            "queued": 0,
        }
        async with self.ctx.db.transaction() as session:
            result = await session.execute(
                insert_ignoring_duplicates(session, JobRun, [row], ["job", "fire_time"]).returning(
                    JobRun.id
                )
            )
            return result.scalar_one_or_none()

    async def _ran(self, name: str, fire_time: datetime) -> bool:
        async with self.ctx.db.read() as session:
            found = await session.scalar(
                select(col(JobRun.id)).where(
                    col(JobRun.job) == name, col(JobRun.fire_time) == fire_time.astimezone(UTC)
                )
            )
        return found is not None

    async def _finish(
        self, run_id: int | None, queued: int | None, note: str | None, now: datetime
    ) -> None:
        if run_id is None:
            return
        keep = timedelta(hours=self.ctx.settings.catch_up_hours) + RUN_HISTORY
        async with self.ctx.db.transaction() as session:
            await session.execute(
                update(JobRun)
                .where(col(JobRun.id) == run_id)
                .values(finished_at=now, queued=queued or 0, note=note)
            )
            # Only recent runs matter (catch-up looks back one window); keep the table small.
            await session.execute(delete(JobRun).where(col(JobRun.fire_time) < now - keep))
