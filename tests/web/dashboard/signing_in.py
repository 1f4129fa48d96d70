"""Getting a dashboard link from the bot and opening it over real HTTP."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator

import httpx

from tests.fakes.telegram_people import FakePerson
from tests.harness import BotUnderTest

LINK = re.compile(r"(https?://\S+/web/signin/[A-Za-z0-9_-]+)")


async def link_from_bot(bot: BotUnderTest, person: FakePerson) -> str:
    """Send /web and read the link in the answer."""
    [answer] = await bot.say(person, "/web")
    found = LINK.search(answer.text)
    assert found, answer.text
    return found.group(1)


@contextlib.asynccontextmanager
async def signed_in(
    bot: BotUnderTest, official_id: int, user_id: int
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client with the session cookie of an official who asked the bot for a link."""
    person = await bot.registered(official_id, user_id)
    link = await link_from_bot(bot, person)
    async with httpx.AsyncClient(base_url=bot.app.settings.public_url or "") as client:
        opened = await client.post(link)
        assert opened.status_code == 303, opened.text
        yield client
