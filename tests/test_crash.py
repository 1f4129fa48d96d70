"""SIGKILL between receiving updates and handling them: after a restart, exactly one effect each."""

from __future__ import annotations

import asyncio
import enum
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.app import open_app
from bot.channels.base import Outbound
from bot.services import conversations, outbox
from db.engine import Database
from db.models import (
    Assignment,
    Conversation,
    InboxUpdate,
    Official,
    OutboxMessage,
    OutboxState,
    ProgressReport,
    Task,
)
from tests.conftest import test_settings
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock, free_port
from tests.instances import start_instance, telegram_env
from tests.province import bind_account, build_province

PEOPLE = 150
ROOT = Path(__file__).resolve().parent.parent


async def _prepare(url: str, people: int = PEOPLE) -> dict[int, int]:
    """Focal officers of Sở Y tế, each at the last step of a report on their own task: the
    version of each one's draft, by user id."""
    clock = FakeClock(datetime.now(UTC))
    app = await open_app(test_settings(url), clock)
    drafts: dict[int, int] = {}
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
        lan = await session.get(Official, province.health_focal)
        template = await session.get(Task, 1)
        assert lan is not None and template is not None
        for number in range(people):
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
        # The killed bot still counts as alive for a while, so the restarted one keeps half
        # of the send limit; reminders due today (real time) queue before the replies.
        "ROVIEC_RATE_OVERALL_PER_SECOND": "1000",
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


KILLS = 50
REPORTS_PER_CYCLE = 2  # officers confirming their report before each start, then /huy
NOTICES_PER_CYCLE = 10  # queued before each start, each to a chat of its own
FIRST_NOTICE_CHAT = 50_000
WORK_SECONDS = 2.0  # the longest a cycle waits for its moment (a loaded machine is slow)


class Moment(enum.Enum):
    """Where in an instance's life a cycle kills it."""

    STARTING = "starting"  # a random instant after the fork: migrations, getMe, setWebhook
    SENDING = "sending"  # once the fake Telegram got a random number of its sends
    RECORDED = "recorded"  # once a random number of its sends is recorded in the outbox


@dataclass(frozen=True)
class Snapshot:
    """What the database holds right after a kill."""

    reports: frozenset[str]  # codes of the tasks with a committed report
    handled: frozenset[int]  # inbox rows marked handled
    stored: int  # inbox rows
    sent: frozenset[int]  # outbox rows recorded as sent
    in_flight: frozenset[int]  # outbox rows claimed and not recorded yet


async def _snapshot(db: Database) -> Snapshot:
    """Read what the database holds (on SQLite, after checking that the file is whole)."""
    async with db.read() as session:
        if db.is_sqlite:
            assert (await session.execute(text("PRAGMA integrity_check"))).scalar() == "ok"
        reports = await session.scalars(
            select(Task.code)
            .join(Assignment, Assignment.task_id == Task.id)
            .join(ProgressReport, ProgressReport.assignment_id == Assignment.id)
        )
        handled = await session.scalars(
            select(InboxUpdate.id).where(InboxUpdate.processed_at.is_not(None))
        )
        stored = await session.scalar(select(func.count()).select_from(InboxUpdate))
        sent = await session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.state == OutboxState.SENT)
        )
        sending = await session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.state == OutboxState.SENDING)
        )
        return Snapshot(
            frozenset(reports),
            frozenset(handled),
            int(stored or 0),
            frozenset(sent),
            frozenset(sending),
        )


async def _recorded(db: Database) -> int:
    """How many outbox rows are recorded as sent (cheap enough to ask every few ms)."""
    async with db.read() as session:
        count = await session.scalar(
            select(func.count()).where(OutboxMessage.state == OutboxState.SENT)
        )
    return int(count or 0)


async def _until(
    condition: Callable[[], Awaitable[bool]], seconds: float, every: float = 0.01
) -> bool:
    """Poll `condition` (the fakes keep serving meanwhile) until it holds or time is up."""
    for _ in range(int(seconds / every)):
        if await condition():
            return True
        await asyncio.sleep(every)
    return False


@dataclass(frozen=True)
class Before:
    """What the fakes and the database showed before an instance started."""

    hooks: int  # setWebhook calls
    sends: int  # messages the fake Telegram received
    recorded: int  # outbox rows recorded as sent


async def _before(telegram: FakeTelegram, db: Database) -> Before:
    """The counts a cycle's moment is measured from."""
    hooks = len(telegram.requests("setWebhook"))
    return Before(hooks, len(telegram.sent), await _recorded(db))


async def _live_until_the_moment(
    moment: Moment, before: Before, telegram: FakeTelegram, db: Database, chance: random.Random
) -> None:
    """Let a started instance work until the cycle's moment to kill it."""
    if moment is Moment.STARTING:
        await asyncio.sleep(chance.uniform(0, 0.5))
        return

    async def ready() -> bool:
        return len(telegram.requests("setWebhook")) > before.hooks

    assert await _until(ready, 30), "the instance did not start"
    if moment is Moment.SENDING:
        target = before.sends + chance.randint(1, NOTICES_PER_CYCLE // 2)

        async def got() -> bool:
            return len(telegram.sent) >= target

        await _until(got, WORK_SECONDS)
    else:
        target = before.recorded + chance.randint(1, NOTICES_PER_CYCLE // 3)

        async def written() -> bool:
            return await _recorded(db) >= target

        await _until(written, WORK_SECONDS, every=0.05)  # a query costs the instance CPU
        await asyncio.sleep(chance.uniform(0, 0.05))


@pytest.mark.slow  # tens of seconds: started first (tests/conftest.py)
async def test_fifty_sigkills_lose_nothing_committed_and_resend_only_what_was_in_flight(
    database_url: str, tmp_path: Path
) -> None:
    """50 times: officers confirm reports and cancel, notices are queued, roviec run starts
    and is killed with SIGKILL, while it starts, while it sends or just after it recorded
    sends. After each kill nothing committed before is missing (reports, handled updates,
    sent messages) and every report an officer was told of is stored. In the end every
    update is handled exactly once and every message sent; a message goes out twice only if
    a kill caught it in flight. The bound: each chat's deliveries ≤ its outbox rows + the
    number of kills that found one of those rows being sent, and all duplicates together ≤
    the sum over the kills of the messages in flight."""
    drafts = await _prepare(database_url, KILLS * REPORTS_PER_CYCLE)
    telegram = FakeTelegram()
    await telegram.start()
    telegram.webhook_retry_seconds = 0.02
    officers = [telegram.person(user, f"CB{user}") for user in drafts]
    port = free_port()
    env = telegram_env(
        telegram,
        database_url,
        public_url=f"http://127.0.0.1:{port}",
        listen=f"127.0.0.1:{port}",
        rate_overall_per_second="50",  # a cycle's notices take 0.2 s: kills catch sends
        rate_per_chat_per_second="100",
        outbox_lease_seconds="1",  # a killed instance's holds lapse soon (the least allowed)
        catch_up_hours="0",  # the workload is what the test counts: no missed firings
    )
    log = tmp_path / "roviec.log"
    chance = random.Random(50)
    moments = [Moment.SENDING, Moment.RECORDED]
    db = Database(database_url)
    shots: list[Snapshot] = []
    notices = 0
    instance = None
    try:
        for cycle in range(KILLS):
            for officer in officers[cycle * REPORTS_PER_CYCLE : (cycle + 1) * REPORTS_PER_CYCLE]:
                await officer.press_data(f"r:{drafts[officer.user_id]}:ok", message_id=1)
                await officer.send("/huy")
            batch = []
            for n in range(notices, notices + NOTICES_PER_CYCLE):
                chat = telegram.person(FIRST_NOTICE_CHAT + n)
                batch.append(
                    outbox.Envelope(
                        f"notice:{n}", "telegram", str(chat.user_id), Outbound(f"TB {n}")
                    )
                )
            async with db.transaction() as session:
                await outbox.enqueue_many(session, batch, datetime.now(UTC))
            notices += NOTICES_PER_CYCLE

            before = await _before(telegram, db)
            instance = start_instance(env, log)
            moment = Moment.STARTING if cycle % 5 == 4 else chance.choice(moments)
            await _live_until_the_moment(moment, before, telegram, db, chance)
            await instance.kill()
            assert instance.process.exitcode == -signal.SIGKILL, instance.tail()

            shot = await _snapshot(db)
            if shots:
                assert shots[-1].reports <= shot.reports, "a committed report is gone"
                assert shots[-1].handled <= shot.handled, "a handled update waits again"
                assert shots[-1].sent <= shot.sent, "a message recorded as sent waits again"
            told = {
                code
                for officer in officers
                for message in officer.messages
                for code in [_task_code(message.text)]
                if code is not None
            }
            assert told <= shot.reports, "an officer was told of a report that is not stored"
            shots.append(shot)

        updates = 2 * len(officers)  # a confirmation and a /huy each
        messages = notices + updates  # one answer to each update
        # The last start finishes everything, as fast as the fake Telegram goes.
        instance = start_instance(env | {"ROVIEC_RATE_OVERALL_PER_SECOND": "1000"}, log)

        async def settled() -> bool:
            shot = await _snapshot(db)
            return (
                not telegram.pending_updates
                and shot.stored == len(shot.handled) == updates
                and len(shot.sent) == messages
            )

        assert await _until(settled, 60, every=0.1), instance.tail()
        assert await instance.stop() == 0, instance.tail()
        async with db.read() as session:
            rows = (await session.scalars(select(InboxUpdate))).all()
            reports = (await session.scalars(select(ProgressReport.assignment_id))).all()
            versions = dict(
                (await session.execute(select(Conversation.user_key, Conversation.version))).all()
            )
            queued = (
                await session.execute(
                    select(OutboxMessage.id, OutboxMessage.chat_key, OutboxMessage.state)
                )
            ).all()
    finally:
        if instance is not None and instance.alive():
            await instance.kill()
        await db.dispose()
        await telegram.stop()

    # The kills did interrupt work: sends in flight, updates waiting, sends recorded between.
    in_flight = [shot.in_flight for shot in shots]
    assert sum(map(len, in_flight)) > 0
    assert any(shot.stored > len(shot.handled) for shot in shots)
    assert len(shots[-1].sent) > 0
    # Every update handled once: one report per officer, and each conversation moved on by
    # the confirmation and by /huy once each.
    assert len(rows) == updates
    assert all(row.processed_at is not None and row.attempts == 0 for row in rows)
    assert len(reports) == len(set(reports)) == len(officers)
    assert {user: versions[str(user)] - draft for user, draft in drafts.items()} == {
        user: 2 for user in drafts
    }
    # Every message sent, and again only what a kill caught in flight, within the bound.
    assert {state for _, _, state in queued} == {OutboxState.SENT}
    caught = Counter(message for flight in in_flight for message in flight)
    rows_of: dict[str, list[int]] = {}
    for message, chat, _ in queued:
        rows_of.setdefault(chat, []).append(message)
    noticed = [telegram.person(FIRST_NOTICE_CHAT + n) for n in range(notices)]
    duplicates = 0
    for person in [*officers, *noticed]:
        ids = rows_of[str(person.user_id)]
        bound = len(ids) + sum(caught[message] for message in ids)
        assert len(ids) <= len(person.messages) <= bound, (person.user_id, person.messages)
        duplicates += len(person.messages) - len(ids)
    assert duplicates <= sum(map(len, in_flight))


def _task_code(text: str | None) -> str | None:
    """The task code a "report recorded" answer names (NV-C7), if it is one."""
    words = (text or "").replace("[", " ").replace("]", " ").split()
    return next((word for word in words if word.startswith("NV-C")), None)
