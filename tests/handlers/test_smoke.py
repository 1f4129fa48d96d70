"""A first conversation through the fake Telegram."""

from tests.harness import BotUnderTest


async def test_focal_officer_registers_and_sees_tasks(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    assert "Nguyễn Thị Lan" in lan.last.text
    [listing] = await bot.say(lan, "/nhiemvu")
    assert "NV-01" in listing.text
