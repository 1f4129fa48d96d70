"""SIGKILL between receiving updates and handling them: after a restart, exactly one effect each."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import open_app
from bot.services import conversations
from db.models import Assignment, Official, Task
from tests.conftest import test_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock
from tests.province import bind_account, build_province

PEOPLE = 150
ROOT = Path(__file__).resolve().parent.parent


async def _prepare(url: str) -> dict[int, int]:
    """150 focal officers of Sở Y tế, each at the last step of a report on their own task."""
    clock = FakeClock(datetime.now(UTC))
    app = await open_app(test_settings(url), clock)
    drafts: dict[int, int] = {}
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
        lan = await session.get(Official, province.health_focal)
        template = await session.get(Task, 1)
        assert lan is not None and template is not None
        for number in range(PEOPLE):
            official = Official(name=f"Cán bộ {number}", role="focal", unit_id=lan.unit_id)
            task = Task(group_id=template.group_id, code=f"NV-C{number}", title=f"Việc {number}")
            session.add_all([official, task])
            await session.flush()
            deadline = clock().date() + timedelta(days=10)
            assignment = Assignment(
                task_id=task.id or 0,
                unit_id=lan.unit_id,
                deadline=deadline,
                original_deadline=deadline,
            )
            session.add(assignment)
            await session.flush()
            user = str(10_000 + number)
            await bind_account(session, official.id or 0, user, clock())
            conversation = await conversations.load(session, "telegram", user, clock())
            conversations.move(
                conversation,
                "report",
                "confirm",
                {
                    "assignment_id": assignment.id,
                    "code": task.code,
                    "status": "in_progress",
                    "progress": 40,
                    "done_text": "Đã họp triển khai",
                },
                clock(),
            )
            drafts[10_000 + number] = conversation.version
    await app.db.dispose()
    return drafts


def _start_bot(telegram: FakeTelegram, url: str, log: Path) -> subprocess.Popen[bytes]:
    # The log goes to a file: an unread pipe fills up and blocks the bot's own shutdown.
    env = os.environ | {
        "ROVIEC_TELEGRAM_TOKEN": "123456:CRASH-TEST",
        "ROVIEC_TELEGRAM_API_URL": telegram.base_url,
        "ROVIEC_TELEGRAM_FILE_URL": telegram.base_file_url,
        "ROVIEC_DATABASE_URL": url,
        "ROVIEC_WORKERS": "1",
        "ROVIEC_POLL_TIMEOUT_SECONDS": "1",
        "ROVIEC_OUTBOX_LEASE_SECONDS": "3",  # the killed bot's holds on replies lapse soon
    }
    # The child gets its own copy of the descriptor; ours is closed at once.
    with log.open("ab") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def _counts(path: Path) -> tuple[int, int, int]:
    """(stored, processed, reports) read with a plain sqlite3 reader beside the bot."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
        stored = db.execute("SELECT count(*) FROM inboxupdate").fetchone()[0]
        processed = db.execute(
            "SELECT count(*) FROM inboxupdate WHERE processed_at IS NOT NULL"
        ).fetchone()[0]
        reports = db.execute("SELECT count(*) FROM progressreport").fetchone()[0]
    return stored, processed, reports


@pytest.mark.slow  # tens of seconds: started first (tests/conftest.py)
async def test_sigkill_between_receiving_and_handling_loses_nothing_and_doubles_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "roviec.db"
    url = f"sqlite+aiosqlite:///{path}"
    drafts = await _prepare(url)
    telegram = FakeTelegram()
    await telegram.start()
    people = {user: telegram.person(user, f"CB{user}") for user in drafts}
    for user, version in drafts.items():
        await people[user].press_data(f"r:{version}:ok", message_id=1)
    bot = _start_bot(telegram, url, tmp_path / "bot.log")
    try:
        killed_with_backlog = False
        for _ in range(2000):
            await asyncio.sleep(0.005)
            if not path.exists():
                continue
            try:
                stored, processed, _reports = _counts(path)
            except sqlite3.OperationalError:
                continue
            if stored and processed < stored:
                bot.send_signal(signal.SIGKILL)
                killed_with_backlog = True
                break
        bot.wait(timeout=10)
        assert killed_with_backlog, "the bot handled everything before it could be killed"
        stored, processed, reports = _counts(path)
        assert processed < PEOPLE  # the kill really interrupted the work
        bot = _start_bot(telegram, url, tmp_path / "bot.log")
        for _ in range(600):
            await asyncio.sleep(0.05)
            stored, processed, reports = _counts(path)
            if processed == stored == PEOPLE and all(
                any("NV-C" in (m.text or "") for m in p.messages) for p in people.values()
            ):
                break
        assert (stored, processed, reports) == (PEOPLE, PEOPLE, PEOPLE)
        with sqlite3.connect(path) as db:
            per_assignment = db.execute(
                "SELECT max(n) FROM (SELECT count(*) n FROM progressreport GROUP BY assignment_id)"
            ).fetchone()[0]
        assert per_assignment == 1
        for person in people.values():
            assert any("NV-C" in (m.text or "") for m in person.messages), (
                person.user_id,
                [m.text for m in person.messages],
                sqlite3.connect(path)
                .execute(
                    "SELECT state, last_error FROM outboxmessage WHERE chat_key = ?",
                    (str(person.user_id),),
                )
                .fetchall(),
            )
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(timeout=15)
        except subprocess.TimeoutExpired:
            bot.kill()
        await telegram.stop()
    assert bot.returncode == 0, (tmp_path / "bot.log").read_text()[-2000:]
