"""Officials on a Zalo Official Account: they register and report as on Telegram, through
signed webhooks that nobody else can forge, while the OA's tokens renew themselves."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from bot.channels.zalo import DatabaseTokenStore
from db.models import AuditLog, InboxUpdate, OutboxMessage, ProgressReport
from tests.conftest import test_settings
from tests.fakes.zalo_oa_api import signature
from tests.harness import FakeClock
from tests.oa_harness import OAUnderTest, running_oa


@pytest.fixture
async def oa(database_url: str, clock: FakeClock) -> AsyncIterator[OAUnderTest]:
    """roviec serving the fake OA (the OA only), with the small province."""
    async with running_oa(test_settings(database_url), clock) as running:
        yield running


async def test_a_focal_officer_follows_registers_and_sees_the_tasks(oa: OAUnderTest) -> None:
    lan = oa.oa.follower("Lan")
    code = await oa.invite(oa.province.health_focal)

    [welcome] = await oa.say(lan, f"/start {code}")
    [tasks] = await oa.say(lan, "/nhiemvu")

    assert "Nguyễn Thị Lan" in (welcome.text or "")
    assert "NV-01" in (tasks.text or "")
    assert await oa.count_accounts() == 1


async def test_a_stranger_is_refused_politely(oa: OAUnderTest) -> None:
    stranger = oa.oa.follower("Ai đó")

    [refusal] = await oa.say(stranger, "/nhiemvu")

    assert "NV-01" not in (refusal.text or "")
    assert "chưa được đăng ký" in (refusal.text or "")


async def test_a_report_is_filed_with_buttons_and_with_numbers(oa: OAUnderTest) -> None:
    lan = await oa.follower("Lan", oa.province.health_focal)

    [pick] = await oa.say(lan, "/baocao")
    assert pick.kind == "buttons" and 1 <= len(pick.buttons) <= 5
    assert "1. " in (pick.text or "")  # the same choices as numbered lines (desktop app)
    [status] = await oa.tap(lan, next(t for t in pick.button_titles if "NV-01" in t))
    [progress] = await oa.say(lan, _number_of(status.text or "", "Đang thực hiện"))
    await oa.say(lan, "40")
    await oa.say(lan, "Đã rà soát dữ liệu dân cư")
    for _ in range(3):  # difficulties, proposals, evidence: none
        [last] = await oa.say(lan, "Bỏ qua")
    await oa.tap(lan, next(t for t in last.button_titles if "Xác nhận" in t))

    assert "phần trăm" in (progress.text or "")
    async with oa.app.db.read() as session:
        report = await session.scalar(select(ProgressReport))
    assert report is not None and report.progress == 40
    assert report.done_text == "Đã rà soát dữ liệu dân cư"


async def test_a_forged_or_unsigned_event_is_refused_and_nothing_is_stored(
    oa: OAUnderTest,
) -> None:
    lan = oa.oa.follower("Lan")
    event = oa.oa.event("user_send_text", lan.user_id, sender={"id": lan.user_id})
    event["message"] = {"msg_id": "forged-1", "text": await oa.invite(oa.province.health_focal)}
    body = json.dumps(event).encode()

    async with httpx.AsyncClient() as http:
        forged = await http.post(
            oa.webhook_url,
            content=body,
            headers={"X-ZEvent-Signature": "mac=" + "0" * 64, "X-ZEvent-Timestamp": "1"},
        )
        # Signed with a secret that is not the OA's.
        wrong = signature("someone", body, str(event["timestamp"]), "guessed")
        guessed = await http.post(
            oa.webhook_url,
            content=body,
            headers={"X-ZEvent-Signature": f"mac={wrong}"},
        )
        unsigned = await http.post(oa.webhook_url, content=body)

    assert (forged.status_code, guessed.status_code) == (403, 403)
    assert unsigned.status_code == 200  # Zalo's URL test is unsigned: answered, never stored
    assert await _stored_updates(oa) == 0
    assert await oa.count_accounts() == 0


async def test_a_replayed_event_has_no_second_effect(oa: OAUnderTest) -> None:
    lan = await oa.follower("Lan", oa.province.health_focal)
    [tasks] = await oa.say(lan, "/nhiemvu")
    event = lan.events[-1]

    assert await oa.oa.deliver(event) == 200  # the same signed POST again
    await oa.app.processor.drain()
    await oa.app.dispatcher.drain()

    assert lan.last is tasks  # nothing was answered twice
    assert await _stored_updates(oa) == 2  # the code, then /nhiemvu


async def test_tokens_renew_before_they_expire_and_the_rotated_one_is_stored(
    oa: OAUnderTest,
) -> None:
    lan = await oa.follower("Lan", oa.province.health_focal)
    first = await DatabaseTokenStore(oa.app.db, oa.clock).load()  # renewed at start already
    assert len(oa.oa.refreshes) == 1

    oa.oa.advance(26 * 3600)
    oa.clock.advance(hours=26)
    [tasks] = await oa.say(lan, "/nhiemvu")

    renewed = await DatabaseTokenStore(oa.app.db, oa.clock).load()
    assert "NV-01" in (tasks.text or "")
    assert renewed.refresh_token != first.refresh_token
    assert oa.oa.refreshes[-1]["form"]["refresh_token"] == first.refresh_token
    assert all(r["form"]["refresh_token"] != renewed.refresh_token for r in oa.oa.refreshes)


async def test_a_quota_answer_slows_the_oa_down_and_the_message_still_arrives(
    oa: OAUnderTest,
) -> None:
    lan = await oa.follower("Lan", oa.province.health_focal)
    oa.oa.fail_next(-32)
    await lan.send("/nhiemvu")

    waiting = await _last_outbox_row_once_tried(oa)
    assert waiting.state == "pending" and waiting.attempts == 0  # no attempt spent
    assert "-32" in (waiting.last_error or "")
    assert (waiting.not_before - oa.clock()).total_seconds() >= 1  # waits before retrying
    oa.clock.advance(minutes=2)
    [tasks] = await oa.wait_for(lan, len(lan.messages) + 1, len(lan.messages))
    assert "NV-01" in (tasks.text or "")


async def test_a_follower_silent_for_7_days_is_held_and_the_standing_office_is_told(
    oa: OAUnderTest,
) -> None:
    office = await oa.follower("Văn phòng", oa.province.standing)
    lan = await oa.follower("Lan", oa.province.health_focal)
    oa.oa.advance(8 * 86_400)  # Lan has not written for 8 days; the office writes today
    await oa.say(office, "/trogiup")
    told = len(office.messages)

    async with oa.app.db.transaction() as session:
        await _queue_notice(session, lan.user_id, "Nhắc hạn: NV-01 đến hạn sau 3 ngày", oa)
    oa.app.dispatcher.wake()
    await oa.wait_for(office, told + 1)

    assert "Nguyễn Thị Lan" in (office.last.text or "") and "7 ngày" in (office.last.text or "")
    assert not any("Nhắc hạn" in (m.text or "") for m in lan.messages)
    [held] = [m for m in await _outbox(oa) if m.dedupe_key == "test:held"]
    assert held.state == "pending" and held.attempts == 0 and held.not_before > oa.clock()

    before = len(lan.messages)
    await lan.send("Chào")  # writing opens the window: what was held goes out
    await oa.wait_for(lan, before + 2)
    assert any("Nhắc hạn" in (m.text or "") for m in lan.messages[before:])
    assert [a.action for a in await _audits(oa, "account.reachable")] == ["account.reachable"]


async def _queue_notice(session: object, chat_key: str, text: str, oa: OAUnderTest) -> None:
    from bot.channels.base import Outbound
    from bot.services import outbox

    await outbox.enqueue(
        session,  # type: ignore[arg-type]
        dedupe_key="test:held",
        channel="zalo_oa",
        chat_key=chat_key,
        message=Outbound(text),
        now=oa.clock(),
    )


async def _last_outbox_row_once_tried(oa: OAUnderTest) -> OutboxMessage:
    """The newest outbox message, after the dispatcher has tried it."""
    for _ in range(200):
        async with oa.app.db.read() as session:
            row = await session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
        if row is not None and row.last_error:
            return row
        await asyncio.sleep(0.05)
    raise AssertionError("the dispatcher never tried the message")


async def _outbox(oa: OAUnderTest) -> list[OutboxMessage]:
    async with oa.app.db.read() as session:
        return list(await session.scalars(select(OutboxMessage)))


async def _audits(oa: OAUnderTest, action: str) -> list[AuditLog]:
    async with oa.app.db.read() as session:
        return list(await session.scalars(select(AuditLog).where(AuditLog.action == action)))


async def _stored_updates(oa: OAUnderTest) -> int:
    async with oa.app.db.read() as session:
        return len(list(await session.scalars(select(InboxUpdate.id))))


def _number_of(text: str, label: str) -> str:
    """The number the bot put before the choice whose label contains `label`."""
    for line in text.splitlines():
        number, _, rest = line.strip().partition(". ")
        if number.isdecimal() and label in rest:
            return number
    raise AssertionError(f"no choice {label!r} in:\n{text}")


async def test_while_the_database_is_locked_zalo_gets_500_and_its_retry_is_kept(
    sqlite_url: str, clock: FakeClock
) -> None:
    settings = test_settings(sqlite_url, webhook_answer_seconds=0.5)
    async with running_oa(settings, clock) as oa:
        oa.oa.retry_delays = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)  # Zalo's 30 s, 5 min… made short
        lan = await oa.follower("Lan", oa.province.health_focal)
        locker = sqlite3.connect(sqlite_url.removeprefix("sqlite+aiosqlite:///"), timeout=10)
        locker.execute("BEGIN IMMEDIATE")  # another process holds SQLite's write lock
        before = len(lan.messages)
        sending = asyncio.create_task(lan.send("/nhiemvu"))
        await oa.oa.wait_until(lambda: any(p.status == 500 for p in oa.oa.webhook_posts), 10)

        locker.rollback()
        locker.close()
        await sending
        [tasks] = await oa.wait_for(lan, before + 1, before)

        assert "NV-01" in (tasks.text or "")
        assert oa.oa.webhook_posts[-1].status == 200
        assert await _stored_updates(oa) == 2
