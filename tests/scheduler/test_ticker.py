"""The ticker: firings claimed once, catch-up after downtime decided by the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select, update

from bot.app import App, open_app
from db.models import Assignment, JobRun, OutboxMessage
from scheduler.ticker import last_fire_time
from tests.conftest import test_settings
from tests.harness import FakeClock
from tests.province import Province, bind_account, build_province

MONDAY_0800 = datetime(2026, 11, 16, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[tuple[App, Province, FakeClock]]:
    clock = FakeClock(MONDAY_0800 + timedelta(hours=2))  # the bot comes back at 10:00
    app = await open_app(test_settings(database_url), clock)
    async with app.db.transaction() as session:
        province = await build_province(session, MONDAY_0800)
        await bind_account(session, province.health_focal, "501", MONDAY_0800)
    yield app, province, clock
    await app.db.dispose()


async def _queued(app: App, kind: str = "remind") -> int:
    async with app.db.read() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.dedupe_key.startswith(f"{kind}:"))
            )
            or 0
        )


def test_last_fire_time_finds_the_latest_firing_in_the_window() -> None:
    trigger = CronTrigger(hour=8, minute=0, timezone="Asia/Ho_Chi_Minh")
    now = MONDAY_0800 + timedelta(hours=2)
    assert last_fire_time(trigger, now, timedelta(hours=24)) == MONDAY_0800
    assert last_fire_time(trigger, now, timedelta(hours=1)) is None


async def test_a_reminder_missed_while_down_is_sent_once_on_start(app) -> None:
    bot, _province, _clock = app
    await bot.ticker().catch_up()
    assert await _queued(bot) == 1  # NV-02 is due in 3 days: its T-3 reminder
    assert await _queued(bot, "overdue") == 1  # NV-01, five days late: missed at 08:30
    await bot.ticker().catch_up()  # a second start, or a second instance
    assert await _queued(bot) == 1 and await _queued(bot, "overdue") == 1
    async with bot.db.read() as session:
        runs = (await session.scalars(select(JobRun).where(JobRun.job == "reminders"))).all()
    assert [(r.catch_up, r.queued) for r in runs] == [(True, 1)]


async def test_nothing_is_sent_for_work_finished_during_the_downtime(app) -> None:
    bot, province, _clock = app
    async with bot.db.transaction() as session:
        await session.execute(
            update(Assignment).where(Assignment.id == province.due_soon).values(status="done")
        )
    await bot.ticker().catch_up()
    assert await _queued(bot) == 0


async def test_outside_the_catch_up_window_nothing_is_made_up(app) -> None:
    bot, _province, _clock = app
    bot.settings.catch_up_hours = 1  # back at 10:00: the 08:00 and 08:30 firings are too old
    await bot.ticker().catch_up()
    assert await _queued(bot) == 0


async def test_a_catch_up_in_quiet_hours_waits_for_the_morning(app) -> None:
    bot, _province, clock = app
    clock.now = MONDAY_0800 + timedelta(hours=14)  # 22:00
    ticker = bot.ticker()
    ticker.start()
    assert ticker.scheduler is not None
    ticker.scheduler.pause()  # APScheduler keeps real time; hold the deferred run for inspection
    try:
        await ticker.catch_up()
        deferred = ticker.scheduler.get_job("catch-up:reminders") if ticker.scheduler else None
        assert deferred is not None
        assert deferred.next_run_time.hour == 7
        assert await _queued(bot) == 0 and await _queued(bot, "overdue") == 0
    finally:
        ticker.stop()


async def test_two_instances_firing_together_run_the_job_once(app) -> None:
    bot, _province, clock = app
    first, second = bot.ticker(), bot.ticker()
    ran = [await t.run("reminders", clock(), fire_time=MONDAY_0800) for t in (first, second)]
    assert ran == [1, None]
    assert await _queued(bot) == 1


async def test_a_late_firing_counts_as_the_scheduled_one(app) -> None:
    bot, _province, clock = app
    clock.now = MONDAY_0800 + timedelta(minutes=3)  # APScheduler was three minutes late
    ticker = bot.ticker()
    await ticker.fire("reminders")
    await ticker.catch_up()  # a restart right after: the 08:00 firing is known to have run
    async with bot.db.read() as session:
        runs = (await session.scalars(select(JobRun).where(JobRun.job == "reminders"))).all()
    assert [(r.fire_time, r.catch_up) for r in runs] == [(MONDAY_0800, False)]


async def test_a_digest_missed_while_down_is_sent_once_when_the_bot_returns(app) -> None:
    bot, province, clock = app
    async with bot.db.transaction() as session:
        await bind_account(session, province.health_head, "502", MONDAY_0800)
    # Down from Sunday evening to Monday 10:00: the 07:30 digest firing was missed.
    await bot.ticker().catch_up()
    assert await _queued(bot, "digest") == 1
    clock.advance(hours=3)
    await bot.ticker().catch_up()  # restarted again at 13:00 the same Monday
    assert await _queued(bot, "digest") == 1
    async with bot.db.read() as session:
        runs = (await session.scalars(select(JobRun).where(JobRun.job == "digest"))).all()
    assert [(r.fire_time, r.catch_up) for r in runs] == [
        (MONDAY_0800 - timedelta(minutes=30), True)
    ]
