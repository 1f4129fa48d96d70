"""/ngonngu (/language): a person switches the bot between Vietnamese and English."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.services.people import roster
from db.models import Official
from tests.conftest import test_settings
from tests.fakes.zalo_bot_people import ZaloBotPerson
from tests.harness import BotUnderTest, FakeClock, running_bot


async def test_switching_to_english_and_back(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    [menu] = await bot.say(lan, "/ngonngu")
    assert "Ngôn ngữ bot đang dùng với đồng chí: Tiếng Việt" in menu.text
    assert menu.button_texts == ["Tiếng Việt", "English"]
    [done] = await bot.tap(lan, "English")
    assert done.text == "Done: the bot now speaks to you in English."
    async with bot.app.db.read() as session:
        official = await session.get(Official, bot.province.health_focal)
        assert official is not None and official.locale == "en"
    [help_] = await bot.say(lan, "/help")
    assert "/ngonngu — the bot's language: Vietnamese or English" in help_.text
    [menu] = await bot.say(lan, "/language")
    assert "The bot speaks to you in: English." in menu.text
    [done] = await bot.tap(lan, "Tiếng Việt")
    assert done.text == "Đã cập nhật: bot sẽ trao đổi với đồng chí bằng Tiếng Việt."
    assert len(await bot.audits("official.language_chosen")) == 2


@pytest.mark.sqlite_only
async def test_a_forged_language_button_is_refused(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    [menu] = await bot.say(lan, "/ngonngu")
    lan.mark()
    await lan.press_data("l:0:set:fr", menu.message_id)
    await bot.settled()
    async with bot.app.db.read() as session:
        official = await session.get(Official, bot.province.health_focal)
        assert official is not None and official.locale != "fr"


@pytest.fixture
async def with_zalo(database_url: str, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    async with running_bot(test_settings(database_url), clock, with_zalo=True) as running:
        yield running


async def _zalo_says(bot: BotUnderTest, person: ZaloBotPerson, text: str) -> list[str]:
    assert bot.zalo is not None
    before = len(person.messages)
    await person.send(text)
    await bot.zalo.wait_until(lambda: len(person.messages) > before, timeout=10)
    await bot.settled()
    return [m.text or "" for m in person.messages[before:]]


async def test_on_zalo_the_languages_are_numbered_lines(with_zalo: BotUnderTest) -> None:
    bot = with_zalo
    assert bot.zalo is not None
    lan = bot.zalo.person("Lan")
    await _zalo_says(bot, lan, f"/start {await bot.invite(bot.province.health_focal)}")
    [menu] = await _zalo_says(bot, lan, "/ngonngu")
    assert "1. Tiếng Việt" in menu and "2. English" in menu
    [done] = await _zalo_says(bot, lan, "2")
    assert done == "Done: the bot now speaks to you in English."


async def test_someone_who_left_gets_a_polite_refusal_and_nothing_else(
    bot: BotUnderTest,
) -> None:
    lan = await bot.registered(bot.province.health_focal, 501)
    async with bot.app.db.transaction() as session:
        await roster.deactivate(session, bot.province.health_focal, bot.clock())
    [refusal] = await bot.say(lan, "/nhiemvu")
    assert "Tài khoản này chưa được đăng ký sử dụng hệ thống" in refusal.text
    assert await bot.count(Official, Official.active) == 5
