"""The every-minute directives job: delivery counts, status edits, one reminder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.app import utc_now
from bot.channels.base import Outbound
from bot.services import outbox
from bot.services.dates.calendar import WorkCalendar
from bot.services.directives import acknowledgement as directive_acknowledgement
from bot.services.directives import issuing as directives
from bot.services.directives import tracking as directive_tracking
from bot.services.outbox import Envelope
from bot.services.people import accounts
from db.engine import Database
from db.migrate import upgrade
from db.models import AuditLog, DirectiveReceipt, Official, OutboxMessage, OutboxState
from scheduler.directives import directive_job, track_directives
from scheduler.jobs import JobContext
from scheduler.schedule import all_jobs
from tests.conftest import test_settings
from tests.province import Province, bind_account, build_province

FRIDAY = datetime(2026, 11, 13, 2, tzinfo=UTC)  # Friday 13/11/2026, 09:00 in Hà Nội
MONDAY = datetime(2026, 11, 16, 2, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)


@dataclass
class World:
    """A database with the province, accounts for most officials, and a job context."""

    db: Database
    province: Province
    ctx: JobContext


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        province = await build_province(session, FRIDAY)
        # Everyone but the commune's focal officer has a Telegram account.
        for official_id in (
            province.standing,
            province.health_focal,
            province.health_head,
            province.education_focal,
            province.education_head,
        ):
            await bind_account(session, official_id, str(900 + official_id), FRIDAY)
        await session.execute(update(Official).values(locale="en"))
    settings = test_settings(database_url)
    yield World(db, province, JobContext(db, settings, WorkCalendar(), utc_now))
    await db.dispose()


async def _issue(world: World, now: datetime, deadline: date | None) -> int:
    """Issue a directive to all units and queue its messages the way /chidao does."""
    async with world.db.transaction() as session:
        sender = await accounts.identify(session, "telegram", str(900 + world.province.standing))
        assert sender is not None
        draft = {
            "text": "Báo cáo kết quả làm sạch dữ liệu",
            "target_kind": "all",
            "target_value": None,
            "deadline": deadline.isoformat() if deadline else None,
        }
        issued = await directives.issue(
            session, sender, draft, now=now, zone=world.ctx.settings.zone
        )
        view = issued.directive
        envelopes = [
            Envelope(
                f"directive:{view.id}:{a.official_id}:{a.account_id}",
                a.channel,
                a.chat_key,
                Outbound("…"),
            )
            for a in issued.addressees
        ]
        envelopes.append(
            Envelope(
                f"directive-status:{view.id}:0:0",
                sender.account.channel,
                sender.account.chat_key,
                Outbound("status"),
            )
        )
        await outbox.enqueue_many(session, envelopes, now)
        return view.id


async def _send_all(world: World, now: datetime, but: frozenset[int] = frozenset()) -> None:
    """The dispatcher's work: every pending message sent, except to these chats."""
    async with world.db.transaction() as session:
        rows = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.state == OutboxState.PENDING)
            )
        )
        changes = [
            {"id": r.id, "state": OutboxState.SENT, "sent_at": now, "sent_message_id": 7000 + i}
            for i, r in enumerate(rows)
            if int(r.chat_key) not in but
        ]
        await outbox.record(session, changes)


async def _keys(world: World, prefix: str) -> list[str]:
    async with world.db.read() as session:
        found = await session.scalars(
            select(OutboxMessage.dedupe_key)
            .where(OutboxMessage.dedupe_key.like(f"{prefix}%"))
            .order_by(OutboxMessage.id)
        )
        return list(found)


def test_the_job_runs_every_minute_and_is_registered(database_url: str) -> None:
    settings = test_settings(database_url)
    job = directive_job(settings)
    assert job.name == "directives" and job.run is track_directives
    first = job.trigger.get_next_fire_time(None, MONDAY)
    assert first is not None
    assert job.trigger.get_next_fire_time(first, first + timedelta(seconds=1)) == first + timedelta(
        minutes=1
    )
    assert "directives" in [j.name for j in all_jobs(settings)]


async def test_receipts_become_delivered_and_the_status_is_edited_once_per_change(
    world: World,
) -> None:
    directive_id = await _issue(world, MONDAY, None)
    assert await track_directives(world.ctx, MONDAY) == 0  # nothing sent, nothing known yet
    tuan_chat = 900 + world.province.education_focal
    await _send_all(world, MONDAY + timedelta(seconds=5), but=frozenset({tuan_chat}))
    later = MONDAY + timedelta(minutes=1)
    assert await track_directives(world.ctx, later) == 1
    async with world.db.read() as session:
        delivered = await session.scalars(
            select(DirectiveReceipt.official_id).where(DirectiveReceipt.delivered_at.is_not(None))
        )
        status = await directive_tracking.status(session, directive_id)
        edit = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.dedupe_key == f"directive-status:{directive_id}:3:0"
            )
        )
    p = world.province
    assert sorted(delivered) == sorted([p.health_focal, p.health_head, p.education_head])
    assert status is not None and status.message_id is not None
    assert (status.total, status.delivered, status.acknowledged) == (5, 3, 0)
    assert edit is not None and edit.payload["edit_message_id"] == status.message_id
    assert edit.payload["text"] == "📊 CĐ-2026-001: delivered 3/5, acknowledged 0"
    assert edit.payload["choices"] == [
        [
            ["Who has not acknowledged", f"d:0:who:{directive_id}"],
            ["📨 Replies", f"d:0:replies:{directive_id}"],
        ]
    ]
    # Running again changes nothing and sends nothing.
    assert await track_directives(world.ctx, later + timedelta(minutes=1)) == 0
    await _send_all(world, later + timedelta(minutes=2))
    assert await track_directives(world.ctx, later + timedelta(minutes=3)) == 1
    assert await _keys(world, f"directive-status:{directive_id}") == [
        f"directive-status:{directive_id}:0:0",
        f"directive-status:{directive_id}:3:0",
        f"directive-status:{directive_id}:4:0",
    ]


async def test_non_acknowledgers_are_reminded_once_within_one_working_day(world: World) -> None:
    p = world.province
    # Issued on Friday, to be answered by Wednesday 18/11.
    directive_id = await _issue(world, FRIDAY, date(2026, 11, 18))
    await _send_all(world, FRIDAY)
    async with world.db.transaction() as session:
        lan = await accounts.identify(session, "telegram", str(900 + p.health_focal))
        assert lan is not None
        await directive_acknowledgement.acknowledge(session, lan, directive_id, FRIDAY)
    # Monday: two working days before the deadline, too early.
    assert await track_directives(world.ctx, MONDAY) == 1  # only the status edit
    assert await _keys(world, "directive-remind") == []
    # Tuesday 22:00 is quiet; 09:00 the next working day is within one working day.
    assert await track_directives(world.ctx, TUESDAY + timedelta(hours=13)) == 0
    queued = await track_directives(world.ctx, TUESDAY)
    reminded = await _keys(world, "directive-remind")
    expected = {p.health_head, p.education_focal, p.education_head}  # the commune has no account
    assert queued == len(reminded) == len(expected)
    assert {int(k.split(":")[2]) for k in reminded} == expected
    async with world.db.read() as session:
        marked = await session.scalars(
            select(DirectiveReceipt.official_id).where(DirectiveReceipt.reminded_at.is_not(None))
        )
        text = await session.scalar(
            select(OutboxMessage.payload).where(OutboxMessage.dedupe_key == reminded[0])
        )
        audited = await session.scalar(
            select(AuditLog.after).where(AuditLog.action == "directive.reminded")
        )
    assert set(marked) == expected
    assert (
        text is not None
        and "CĐ-2026-001" in text["text"]
        and "Wednesday, 18/11/2026" in (text["text"])
    )
    assert text["choices"] == [
        [["✅ Received", f"a:0:ack:{directive_id}"], ["✍️ Reply", f"a:0:reply:{directive_id}"]]
    ]
    assert audited == {"officials": sorted(expected)}
    # Once only, even on the deadline day itself.
    assert await track_directives(world.ctx, TUESDAY + timedelta(minutes=1)) == 0
    assert await track_directives(world.ctx, TUESDAY + timedelta(days=1)) == 0


async def test_a_weekend_and_a_day_off_count_as_no_working_days(database_url: str) -> None:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        province = await build_province(session, FRIDAY)
        await bind_account(session, province.standing, str(900 + province.standing), FRIDAY)
        await bind_account(
            session, province.commune_focal, str(900 + province.commune_focal), FRIDAY
        )
    # Monday 16/11 is an extra day off; the deadline is Tuesday 17/11.
    calendar = WorkCalendar(extra_days_off=[date(2026, 11, 16)])
    world = World(db, province, JobContext(db, test_settings(database_url), calendar, utc_now))
    try:
        await _issue(world, FRIDAY - timedelta(days=2), date(2026, 11, 17))  # Wednesday
        # Thursday: Fri, (Sat, Sun, Mon off), Tue — two working days away: too early.
        assert await track_directives(world.ctx, FRIDAY - timedelta(days=1)) == 0
        # Saturday is within one working day, but not a working day: the reminder waits.
        assert await track_directives(world.ctx, FRIDAY + timedelta(days=1)) == 0
        # Friday is within one working day of Tuesday.
        assert await track_directives(world.ctx, FRIDAY) == 1
        assert await _keys(world, "directive-remind") == [
            f"directive-remind:1:{province.commune_focal}:2"
        ]
    finally:
        await db.dispose()


async def test_a_directive_issued_today_is_not_chased_today(world: World) -> None:
    await _issue(world, TUESDAY, date(2026, 11, 18))
    assert await track_directives(world.ctx, TUESDAY + timedelta(hours=1)) == 0
    assert await _keys(world, "directive-remind") == []
