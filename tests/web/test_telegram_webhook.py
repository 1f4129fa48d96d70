"""Telegram in webhook mode: updates arrive by POST, are committed, and only then answered 200."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.services import channel_state
from db.models import InboxUpdate
from tests.conftest import test_settings
from tests.harness import BotUnderTest, FakeClock, free_port, running_bot

HOOK = "/hooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture
async def hooked(database_url: str, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    """roviec with a public URL: Telegram calls it instead of being polled."""
    port = free_port()
    settings = test_settings(
        database_url,
        public_url=f"http://127.0.0.1:{port}",
        listen=f"127.0.0.1:{port}",
        webhook_answer_seconds=0.5,
    )
    async with running_bot(settings, clock) as running:
        running.telegram.webhook_retry_seconds = 0.05
        yield running


async def _secret(bot: BotUnderTest) -> str:
    async with bot.app.db.transaction() as session:
        return await channel_state.webhook_secret(session, "telegram", bot.clock())


async def _post(bot: BotUnderTest, body: bytes | dict, secret: str | None) -> httpx.Response:
    url = bot.app.settings.public_url + HOOK  # type: ignore[operator]
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with httpx.AsyncClient() as http:
        if isinstance(body, bytes):
            headers["Content-Type"] = "application/json"
            return await http.post(url, content=body, headers=headers)
        return await http.post(url, json=body, headers=headers)


async def test_a_person_registers_and_sees_the_tasks_through_the_webhook(
    hooked: BotUnderTest,
) -> None:
    assert hooked.telegram.webhook_url == hooked.app.settings.public_url + HOOK  # type: ignore[operator]
    lan = await hooked.registered(hooked.province.health_focal, 501)
    assert "Nguyễn Thị Lan" in lan.messages[-1].text

    [tasks] = await hooked.say(lan, "/nhiemvu")

    assert "NV-01" in tasks.text
    assert hooked.telegram.requests("getUpdates") == []
    assert set(hooked.telegram.webhook_answers) == {200}
    assert len(hooked.telegram.webhook_seconds) == len(hooked.telegram.webhook_answers)
    assert await hooked.count(InboxUpdate) == 2


async def test_a_call_without_the_right_secret_is_refused_and_nothing_is_stored(
    hooked: BotUnderTest,
) -> None:
    update = {
        "update_id": 9001,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 7, "type": "private"},
            "text": "/nhiemvu",
        },
    }

    missing = await _post(hooked, update, secret=None)
    wrong = await _post(hooked, update, secret="not-the-secret")
    almost = await _post(hooked, update, secret=(await _secret(hooked))[:-1])

    assert [missing.status_code, wrong.status_code, almost.status_code] == [403, 403, 403]
    assert await hooked.count(InboxUpdate) == 0


async def test_a_replayed_update_has_no_second_effect(hooked: BotUnderTest) -> None:
    lan = await hooked.registered(hooked.province.health_focal, 502)
    await hooked.say(lan, "/nhiemvu")
    await hooked.settled()
    sent_before = len(hooked.telegram.sent)
    last = hooked.telegram.webhook_delivered[-1]

    again = await _post(hooked, last, secret=await _secret(hooked))
    await hooked.settled()

    assert again.status_code == 200
    assert await hooked.count(InboxUpdate) == 2
    assert len(hooked.telegram.sent) == sent_before


async def test_a_body_over_the_cap_or_not_json_is_refused(hooked: BotUnderTest) -> None:
    secret = await _secret(hooked)
    too_large = b"{" + b" " * hooked.app.settings.webhook_max_bytes + b"}"

    large = await _post(hooked, too_large, secret)
    garbage = await _post(hooked, b"not json", secret)
    no_id = await _post(hooked, {"message": {"text": "hi"}}, secret)

    assert [large.status_code, garbage.status_code, no_id.status_code] == [413, 400, 400]
    assert await hooked.count(InboxUpdate) == 0


async def test_while_the_database_is_locked_telegram_gets_500_and_the_retry_is_kept(
    sqlite_url: str, clock: FakeClock
) -> None:
    port = free_port()
    settings = test_settings(
        sqlite_url,
        public_url=f"http://127.0.0.1:{port}",
        listen=f"127.0.0.1:{port}",
        webhook_answer_seconds=0.5,
    )
    async with running_bot(settings, clock) as bot:
        bot.telegram.webhook_retry_seconds = 0.05
        lan = await bot.registered(bot.province.health_focal, 503)
        await bot.settled()
        # Another process holds SQLite's write lock.
        locker = sqlite3.connect(sqlite_url.removeprefix("sqlite+aiosqlite:///"), timeout=1)
        locker.execute("BEGIN IMMEDIATE")
        lan.mark()
        await lan.send("/nhiemvu")
        await bot.telegram.wait_until(lambda: 500 in bot.telegram.webhook_answers, timeout=10)
        assert await asyncio.to_thread(lambda: bot.telegram.pending_updates) != []

        locker.rollback()
        locker.close()
        [tasks] = await lan.wait_for_new(1, timeout=15)

        assert "NV-01" in tasks.text
        assert bot.telegram.webhook_answers[-1] == 200
        assert await bot.count(InboxUpdate) == 2
