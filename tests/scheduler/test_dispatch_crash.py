"""Killing the dispatcher mid-delivery: SIGKILL loses nothing and duplicates at most what was
in flight; SIGTERM finishes and records what is in flight and duplicates nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.channels.base import Outbound
from bot.services import outbox
from db.engine import Database
from db.migrate import upgrade
from tests.fakes.telegram_api import FakeTelegram

PEOPLE = 5000
FIRST_CHAT = 20_000
ROOT = Path(__file__).resolve().parents[2]


async def _queue_one_message_each(url: str) -> None:
    db = Database(url)
    await upgrade(db)
    envelopes = [
        outbox.Envelope(f"notice:{n}", "telegram", str(FIRST_CHAT + n), Outbound(f"Tin {n}"))
        for n in range(PEOPLE)
    ]
    async with db.transaction() as session:
        await outbox.enqueue_many(session, envelopes, datetime.now(UTC))
    await db.dispose()


def _start_dispatcher(telegram: FakeTelegram, url: str, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "ROVIEC_TELEGRAM_TOKEN": "123456:DISPATCH-CRASH",
        "ROVIEC_TELEGRAM_API_URL": telegram.base_url,
        "ROVIEC_TELEGRAM_FILE_URL": telegram.base_file_url,
        "ROVIEC_DATABASE_URL": url,
        "ROVIEC_RATE_OVERALL_PER_SECOND": "400",  # fast, yet slow enough to be caught midway
        # The killed worker's holds lapse after 3 s, and the new worker takes them back.
        "ROVIEC_OUTBOX_LEASE_SECONDS": "3",
    }
    with log.open("ab") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.scheduler.dispatch_worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )


def _read(path: Path, sql: str, *values: object) -> list[tuple[object, ...]]:
    """Rows read beside the dispatcher with a plain read-only sqlite3 connection."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
        return db.execute(sql, values).fetchall()


def _rows(path: Path, state: str) -> set[int]:
    """Chat ids of the outbox rows in `state`."""
    rows = _read(path, "SELECT chat_key FROM outboxmessage WHERE state = ?", state)
    return {int(str(chat)) for (chat,) in rows}


def _count(path: Path, state: str) -> int:
    """How many outbox rows are in `state` (cheap enough to ask every few milliseconds)."""
    [(count,)] = _read(path, "SELECT count(*) FROM outboxmessage WHERE state = ?", state)
    return int(str(count))


async def _until(condition: Callable[[], bool], seconds: float, every: float = 0.02) -> bool:
    """Poll (the fake server keeps serving meanwhile) until `condition` holds."""
    for _ in range(int(seconds / every)):
        try:
            if condition():
                return True
        except sqlite3.OperationalError:  # the file is being created or checkpointed
            pass
        await asyncio.sleep(every)
    return False


async def _stop(process: subprocess.Popen[bytes], log: Path) -> None:
    process.send_signal(signal.SIGTERM)
    for _ in range(3000):
        if process.poll() is not None:
            break
        await asyncio.sleep(0.01)
    assert process.returncode == 0, log.read_text()[-3000:]


@pytest.mark.slow  # tens of seconds: started first (tests/conftest.py)
async def test_killed_and_stopped_dispatchers_lose_nothing_and_duplicate_only_what_was_in_flight(
    tmp_path: Path,
) -> None:
    path, log = tmp_path / "roviec.db", tmp_path / "dispatcher.log"
    url = f"sqlite+aiosqlite:///{path}"
    await _queue_one_message_each(url)
    telegram = FakeTelegram()
    await telegram.start()
    people = [telegram.person(FIRST_CHAT + n) for n in range(PEOPLE)]
    dispatcher = _start_dispatcher(telegram, url, log)
    try:
        # 1. SIGKILL somewhere between 20 % and 80 % delivered.
        midway = await _until(lambda: _count(path, "sent") >= PEOPLE // 5, 40, every=0.005)
        dispatcher.send_signal(signal.SIGKILL)
        dispatcher.wait(timeout=10)
        assert midway, log.read_text()[-3000:]
        in_flight = _rows(path, "sending")
        assert in_flight  # the kill really caught messages in flight
        assert _count(path, "sent") <= PEOPLE * 4 // 5

        # 2. Restart; once everything in flight at the kill is sent again, SIGTERM.
        dispatcher = _start_dispatcher(telegram, url, log)
        assert await _until(lambda: in_flight <= _rows(path, "sent"), 40)
        await _stop(dispatcher, log)
        assert _rows(path, "sending") == set()
        reached = {p.user_id for p in people if p.messages}
        assert reached == _rows(path, "sent")  # every delivery recorded, nothing else
        assert len(reached) < PEOPLE  # the stop came before the end

        # 3. Restart and let it finish.
        dispatcher = _start_dispatcher(telegram, url, log)
        assert await _until(lambda: _count(path, "sent") == PEOPLE, 60)
        await _stop(dispatcher, log)
    finally:
        if dispatcher.poll() is None:
            dispatcher.kill()
        await telegram.stop()
    assert all(p.messages for p in people)  # nothing lost
    twice = {p.user_id for p in people if len(p.messages) > 1}
    assert twice <= in_flight  # only messages in flight at the kill were sent again
    assert all(len(p.messages) <= 2 for p in people)
