"""`roviec jobs run NAME --now … --deliver` with no bot running: the CLI delivers itself."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import open_app
from bot.services.dates.calendar import WorkCalendar
from tests.commandline import CommandLine
from tests.conftest import test_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock
from tests.province import bind_account, build_province


async def test_a_job_run_from_the_command_line_reaches_the_focal_officer(
    tmp_path: Path, migrated_sqlite_url: str, command_line: CommandLine
) -> None:
    url = migrated_sqlite_url
    start = datetime(2026, 11, 16, 2, tzinfo=UTC)
    app = await open_app(test_settings(url), FakeClock(start))
    async with app.db.transaction() as session:
        province = await build_province(session, start)
        await bind_account(session, province.health_focal, "501", start)
    await app.db.dispose()
    telegram = FakeTelegram()
    await telegram.start()
    lan = telegram.person(501, "Lan")
    env = {
        "ROVIEC_DATABASE_URL": url,
        "ROVIEC_TELEGRAM_TOKEN": "123:CLI",
        "ROVIEC_TELEGRAM_API_URL": telegram.base_url,
    }
    try:
        # The command runs its own event loop, so in a thread: the fake Telegram answers it here.
        process = await asyncio.to_thread(
            command_line,
            "jobs",
            "run",
            "reminders",
            "--now",
            "2026-11-16T08:05+07:00",
            "--deliver",
            cwd=tmp_path,
            env=env,
        )
        out, err = process.stdout, process.stderr
    finally:
        await telegram.stop()
    assert process.returncode == 0, err
    assert out.splitlines() == [
        "reminders: đã đưa 1 tin nhắn mới vào hàng chờ gửi",
        "đã gửi 1 tin nhắn",
    ]
    assert "NV-02" in lan.last.text and "Xin gia hạn" in lan.last.button_texts


def test_a_job_run_as_of_a_later_day_goes_out_now_and_a_second_run_adds_nothing(
    tmp_path: Path, migrated_sqlite_url: str, command_line: CommandLine
) -> None:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    calendar = WorkCalendar.from_settings(test_settings(migrated_sqlite_url))
    later = datetime.now(zone).date() + timedelta(days=10)  # the operator looks ahead
    while later.weekday() != 0 or not calendar.is_working_day(later):  # a working Monday
        later += timedelta(days=1)
    start = datetime.combine(later, time(9, 0), tzinfo=zone)
    asyncio.run(_province_with_a_bound_focal(migrated_sqlite_url, start))
    env = {"ROVIEC_DATABASE_URL": migrated_sqlite_url}
    as_of = f"{later.isoformat()}T08:05+07:00"

    before = datetime.now(UTC)
    first = command_line("jobs", "run", "reminders", "--now", as_of, cwd=tmp_path, env=env)
    again = command_line("jobs", "run", "reminders", "--now", as_of, cwd=tmp_path, env=env)

    assert first.stdout.splitlines() == ["reminders: đã đưa 1 tin nhắn mới vào hàng chờ gửi"]
    assert again.stdout.splitlines() == ["reminders: đã đưa 0 tin nhắn mới vào hàng chờ gửi"]
    with closing(sqlite3.connect(migrated_sqlite_url.split("///", 1)[1])) as connection:
        [(not_before,)] = connection.execute("SELECT not_before FROM outboxmessage").fetchall()
    # Due at once, not on the day it was computed for: a running bot sends it right away.
    sent_from = datetime.fromisoformat(not_before).replace(tzinfo=UTC)
    assert before - timedelta(seconds=1) <= sent_from <= datetime.now(UTC)


async def _province_with_a_bound_focal(url: str, start: datetime) -> None:
    app = await open_app(test_settings(url), FakeClock(start))
    async with app.db.transaction() as session:
        province = await build_province(session, start)
        await bind_account(session, province.health_focal, "501", start)
    await app.db.dispose()
