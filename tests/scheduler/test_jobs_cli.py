"""`roviec jobs run NAME --now … --deliver` with no bot running: the CLI delivers itself."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.app import open_app
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
    assert out.splitlines() == ["reminders: 1 message(s) queued", "delivered 1 message(s)"]
    assert "NV-02" in lan.last.text and "Xin gia hạn" in lan.last.button_texts
