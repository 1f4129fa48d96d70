"""A platform or a database that does not answer at start is waited for, one log line per
try and no traceback; a menu Telegram refuses is nice to have, never fatal."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

import pytest

from tests.conftest import test_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock, free_port, running_bot


async def test_a_bot_api_that_fails_at_start_is_tried_again_until_it_answers(
    database_url: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    def down(telegram: FakeTelegram) -> None:
        telegram.fail_next("getMe", status=502, times=2)  # a proxy before a Bot API that is down

    async with running_bot(test_settings(database_url), clock, before_start=down) as bot:
        lan = await bot.registered(bot.province.health_focal, 901)
        [tasks] = await bot.say(lan, "/nhiemvu")

    assert "NV-01" in tasks.text
    tries = [r.getMessage() for r in caplog.records if "telegram: start failed" in r.getMessage()]
    assert len(tries) == 2 and "try 1 again in 1 s" in tries[0]
    assert not any(r.exc_info for r in caplog.records)


async def test_a_bot_api_without_set_my_commands_is_served_all_the_same(
    database_url: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    def without_menu(telegram: FakeTelegram) -> None:
        telegram.fail_next("setMyCommands", status=500, times=100)

    async with running_bot(test_settings(database_url), clock, before_start=without_menu) as bot:
        lan = await bot.registered(bot.province.health_focal, 902)
        [tasks] = await bot.say(lan, "/nhiemvu")

    assert "NV-01" in tasks.text
    assert any("telegram: setMyCommands failed" in r.getMessage() for r in caplog.records)


async def test_run_waits_for_a_database_server_that_does_not_answer() -> None:
    closed = free_port()  # nothing listens here: a PostgreSQL server that is down
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ROVIEC_")},
        "ROVIEC_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{closed}/roviec",
        "ROVIEC_TELEGRAM_TOKEN": "123456:TEST-TOKEN",
        "ROVIEC_TELEGRAM_API_URL": f"http://127.0.0.1:{closed}/bot",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; raise SystemExit(main(['run']))",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    # Tries at 0, 1, 3 seconds after start-up: stop once two have been told (a loaded
    # machine may take seconds to import, so no fixed sleep).
    assert process.stderr is not None
    told: list[bytes] = []
    async with asyncio.timeout(60):
        while sum(b"database failed" in line for line in told) < 2:
            line = await process.stderr.readline()
            assert line, b"".join(told).decode()
            told.append(line)
    process.send_signal(signal.SIGTERM)
    _, rest = await asyncio.wait_for(process.communicate(), timeout=20)
    err = (b"".join(told) + rest).decode()

    lines = [line for line in err.splitlines() if "database failed" in line]
    assert process.returncode == 0, err
    assert len(lines) >= 2 and "try 1 again in 1 s" in lines[0]
    assert "Traceback" not in err


async def test_a_rejected_token_stops_run_with_one_line(database_url: str) -> None:
    async with FakeTelegram() as telegram:
        telegram.fail_next("getMe", status=401, description="Unauthorized", times=10)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("ROVIEC_")},
            "ROVIEC_DATABASE_URL": database_url,
            "ROVIEC_TELEGRAM_TOKEN": "123456:TEST-TOKEN",
            "ROVIEC_TELEGRAM_API_URL": telegram.base_url,
            "ROVIEC_TELEGRAM_FILE_URL": telegram.base_file_url,
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from bot.cli import main; raise SystemExit(main(['run']))",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)

    assert process.returncode == 1
    assert "Telegram rejects ROVIEC_TELEGRAM_TOKEN" in err.decode()
    assert "Traceback" not in err.decode()
