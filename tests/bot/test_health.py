"""`roviec health` and what it reads: a running bot looks healthy, trouble is named."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import health_of
from bot.channels.base import Outbound
from bot.services import instances, outbox
from db.engine import Database
from tests.commandline import CommandLine
from tests.harness import BotUnderTest


async def test_a_running_bot_is_healthy_and_a_stuck_outbox_is_a_problem(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    await bot.say(lan, "/nhiemvu")
    await bot.settled()

    report = await health_of(bot.app.db, bot.app.settings, bot.clock())
    assert report.ok, report.problems
    assert [i.name for i in report.instances] == [instances.this_instance()]
    assert set(report.last_update) == {"telegram"}
    assert "reminders" in report.next_firings and "digest" in report.next_firings

    async with bot.app.db.transaction() as session:  # due for ten minutes, never sent
        await outbox.enqueue(
            session,
            dedupe_key="stuck",
            channel="nowhere",
            chat_key="1",
            message=Outbound("x"),
            now=bot.clock() - timedelta(minutes=10),
        )
    report = await health_of(bot.app.db, bot.app.settings, bot.clock())
    assert report.problems == ["1 message(s) due, the oldest for more than 5 min"]


def test_the_command_exits_non_zero_until_an_instance_runs(
    tmp_path: Path, sqlite_template: Path, command_line: CommandLine
) -> None:
    database = tmp_path / "roviec.db"
    env = {"ROVIEC_DATABASE_URL": f"sqlite+aiosqlite:///{database}"}
    missing = command_line("health", cwd=tmp_path, env=env)
    assert missing.returncode == 1 and "không có cơ sở dữ liệu tại" in missing.stderr
    assert not database.exists()  # health never creates one

    shutil.copyfile(sqlite_template, database)
    alone = command_line("health", cwd=tmp_path, env=env)
    assert alone.returncode == 1
    assert "CÓ VẤN ĐỀ: no roviec instance is running" in alone.stdout

    asyncio.run(_beat_as_a_running_instance(env["ROVIEC_DATABASE_URL"], "web-1:4242"))
    running = command_line("health", cwd=tmp_path, env=env)
    assert running.returncode == 0, running.stdout
    assert "1 đang chạy: web-1:4242" in running.stdout
    assert running.stdout.splitlines()[-1].split() == ["tình", "trạng", "bình", "thường"]


async def _beat_as_a_running_instance(url: str, name: str) -> None:
    """What `roviec run` writes every few seconds."""
    db = Database(url)
    now = datetime.now(UTC)
    async with db.transaction() as session:
        await instances.beat(session, name, now - timedelta(hours=1), now)
    await db.dispose()
