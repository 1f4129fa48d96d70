"""Someone who blocked the bot and then writes to it again gets reminders and notices again."""

from __future__ import annotations

from sqlalchemy import select

from db.models import AuditLog, ChatAccount
from tests.harness import BotUnderTest


async def _unreachable_at(bot: BotUnderTest) -> object:
    async with bot.app.db.read() as session:
        return await session.scalar(select(ChatAccount.unreachable_at))


async def test_the_focal_officer_unblocks_the_bot_and_hears_reminders_again(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 601)
    lan.blocked = True
    await bot.app.ticker().run("reminders", bot.clock())  # NV-02 is due in 3 days
    bot.app.dispatcher.wake()
    await bot.settled()
    assert await _unreachable_at(bot) is not None  # Telegram said 403: no more sends

    [answer] = await bot.say(lan, "/nhiemvu")  # writing to the bot unblocks it
    assert "NV-02" in answer.text
    assert await _unreachable_at(bot) is None
    assert await bot.count(AuditLog, AuditLog.action == "account.reachable") == 1

    lan.mark()
    bot.clock.advance(days=1)  # T-1 next: the reminder reaches her again
    bot.clock.advance(days=1)
    await bot.app.ticker().run("reminders", bot.clock())
    bot.app.dispatcher.wake()
    [reminder] = await lan.wait_for_new(1)
    assert "NV-02" in reminder.text
