"""One official on Telegram and on Zalo: notices follow the account used last, or the one
chosen with /kenh, and fall back to the other when one can no longer be reached."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from db.models import AuditLog, Official
from scheduler.deadlines import send_overdue
from tests.conftest import test_settings
from tests.fakes.telegram_people import FakePerson
from tests.fakes.zalo_bot_people import ZaloBotPerson
from tests.harness import BotUnderTest, FakeClock, running_bot

# The health department's task is five days late: its focal officer is alerted each day.
OVERDUE_ALERT = "vui lòng báo cáo tiến độ, khó khăn, vướng mắc hoặc đề nghị gia hạn"


@pytest.fixture
async def both(database_url: str, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    """roviec serving the fake Telegram and the fake Zalo bot in one process."""
    async with running_bot(test_settings(database_url), clock, with_zalo=True) as running:
        yield running


async def _on_both(bot: BotUnderTest) -> tuple[FakePerson, ZaloBotPerson]:
    """Lan registers on Telegram, then on Zalo with a second invitation."""
    assert bot.zalo is not None
    on_telegram = await bot.registered(bot.province.health_focal, 501)
    on_zalo = bot.zalo.person("Lan")
    await _zalo_says(bot, on_zalo, f"/start {await bot.invite(bot.province.health_focal)}")
    return on_telegram, on_zalo


async def _zalo_says(bot: BotUnderTest, person: ZaloBotPerson, text: str) -> list[str]:
    assert bot.zalo is not None
    before = len(person.messages)
    await person.send(text)
    await bot.zalo.wait_until(lambda: len(person.messages) > before, timeout=10)
    await bot.settled()
    return [m.text or "" for m in person.messages[before:]]


async def _next_day_alerts(bot: BotUnderTest) -> None:
    """A day passes; the overdue job runs; everything is delivered."""
    bot.clock.advance(days=1)
    await send_overdue(bot.app.job_context(), bot.clock())
    bot.app.dispatcher.wake()
    await bot.settled()


def _alerts(texts: list[str | None]) -> int:
    return sum(1 for text in texts if text and OVERDUE_ALERT in text)


async def test_notices_follow_the_account_used_last(both: BotUnderTest) -> None:
    telegram, zalo = await _on_both(both)
    await _next_day_alerts(both)  # Lan wrote on Zalo last
    assert _alerts(zalo.texts) == 1 and _alerts([m.text for m in telegram.messages]) == 0

    both.clock.advance(minutes=5)
    await both.say(telegram, "/nhiemvu")  # now she uses Telegram
    await _next_day_alerts(both)
    assert _alerts([m.text for m in telegram.messages]) == 1 and _alerts(zalo.texts) == 1


async def test_the_channel_chosen_with_kenh_wins_and_a_blocked_one_falls_back(
    both: BotUnderTest,
) -> None:
    telegram, zalo = await _on_both(both)
    [menu] = await both.say(telegram, "/kenh")
    assert "gửi đến: Telegram" in menu.text and menu.button_texts == [  # written last
        "Telegram",
        "Zalo",
        "Tài khoản dùng gần nhất",
    ]
    [done] = await both.tap(telegram, "Zalo")
    assert "Zalo" in done.text
    await _next_day_alerts(both)  # she wrote on Telegram last, but chose Zalo
    assert _alerts(zalo.texts) == 1 and _alerts([m.text for m in telegram.messages]) == 0
    [entry] = await both.audits("notices.channel_chosen")
    assert entry.after == {"notify_channel": "zalo_bot"}

    assert both.zalo is not None
    both.zalo.fail_next("sendMessage", 404, "chat not found")  # she left the Zalo bot
    await _next_day_alerts(both)  # refused on Zalo: the same alert goes to Telegram
    assert _alerts([m.text for m in telegram.messages]) == 1 and _alerts(zalo.texts) == 1
    await _next_day_alerts(both)  # and the next ones go there directly
    assert _alerts([m.text for m in telegram.messages]) == 2 and _alerts(zalo.texts) == 1


async def test_a_forged_channel_button_is_refused(both: BotUnderTest) -> None:
    lan = await both.registered(both.province.health_focal, 501)
    [menu] = await both.say(lan, "/kenh")  # one account only: no buttons
    assert "một tài khoản" in menu.text and menu.button_texts == []
    lan.mark()
    await lan.press_data("c:0:set:zalo_oa", menu.message_id)
    [refused] = await lan.wait_for_new(1)
    assert "chưa có tài khoản" in refused.text
    async with both.app.db.transaction() as session:
        official = await session.get(Official, both.province.health_focal)
        assert official is not None and official.notify_channel is None
    assert await both.count(AuditLog, AuditLog.action == "notices.channel_chosen") == 0
