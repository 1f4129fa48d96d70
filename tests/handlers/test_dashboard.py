"""/web (/dashboard) through the fake Telegram: who gets a sign-in link, and when there is none."""

from __future__ import annotations

from db.models import WebLink
from tests.harness import BotUnderTest


async def test_without_a_public_address_there_is_no_link(bot: BotUnderTest) -> None:
    viet = await bot.registered(bot.province.standing, 651, language="en")
    await bot.in_english()
    [answer] = await bot.say(viet, "/dashboard")
    assert answer.text == "The dashboard is not available: this server has no public address."
    assert await bot.count(WebLink) == 0


async def test_a_focal_officer_is_told_who_the_dashboard_is_for(bot: BotUnderTest) -> None:
    lan = await bot.registered(bot.province.health_focal, 652)
    await bot.in_english()
    [answer] = await bot.say(lan, "/web")
    assert answer.text.startswith("The dashboard is for the standing office")
    [entry] = await bot.audits("dashboard.refused")
    assert entry.actor_official_id == bot.province.health_focal
    assert await bot.count(WebLink) == 0


async def test_help_lists_the_dashboard_for_a_head(bot: BotUnderTest) -> None:
    hung = await bot.registered(bot.province.health_head, 653)
    await bot.in_english()
    [answer] = await bot.say(hung, "/help")
    assert "/web — your unit's dashboard in the browser (a one-time link)" in answer.text
