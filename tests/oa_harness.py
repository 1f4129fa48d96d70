"""roviec serving a Zalo Official Account: the real app, its webhook called by the fake OA."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, open_app, serve
from bot.channels.zalo.oa_channel import WEBHOOK_PATH
from bot.config import Settings
from bot.services.people import accounts
from db.models import ChatAccount
from tests.fakes.zalo_oa_api import APP_ID, OA_SECRET_KEY, SECRET_KEY, FakeZaloOA
from tests.fakes.zalo_oa_followers import Follower, OAMessage
from tests.harness import FakeClock, free_port
from tests.province import Province, build_province


@dataclass
class OAUnderTest:
    """What a test talks to: the fake OA, the app and the province in its database."""

    oa: FakeZaloOA
    app: App
    province: Province
    clock: FakeClock
    webhook_url: str

    async def invite(self, official_id: int) -> str:
        """Issue an invitation code as the operator would."""
        async with self.app.db.transaction() as session:
            return await accounts.issue_invitation(
                session, official_id, self.clock(), timedelta(hours=72)
            )

    async def follower(self, name: str, official_id: int | None = None) -> Follower:
        """A person who follows the OA; registered for `official_id` when given."""
        person = self.oa.follower(name)
        if official_id is not None:
            await self.say(person, await self.invite(official_id))
        return person

    async def say(self, person: Follower, text: str, replies: int = 1) -> list[OAMessage]:
        """The person writes; wait for the OA's next `replies` messages to them."""
        before = len(person.messages)
        await person.send(text)
        return await self.wait_for(person, before + replies, before)

    async def tap(self, person: Follower, title: str, replies: int = 1) -> list[OAMessage]:
        """The person taps a button on the latest message that has it."""
        before = len(person.messages)
        await person.tap(title)
        return await self.wait_for(person, before + replies, before)

    async def wait_for(self, person: Follower, count: int, since: int = 0) -> list[OAMessage]:
        """Wait until the person has `count` messages; those after `since`."""
        await self.oa.wait_until(lambda: len(person.messages) >= count, timeout=10)
        return person.messages[since:]

    async def count_accounts(self) -> int:
        """Chat accounts bound on the OA."""
        async with self.app.db.read() as session:
            statement = select(func.count()).select_from(ChatAccount)
            found = await session.scalar(statement.where(ChatAccount.channel == "zalo_oa"))
            return int(found or 0)


def oa_settings(settings: Settings, oa: FakeZaloOA) -> Settings:
    """`settings` with the fake OA's credentials, its first refresh token and a webhook."""
    port = free_port()
    return settings.model_copy(
        update={
            "telegram_token": None,
            "public_url": f"http://127.0.0.1:{port}",
            "listen": f"127.0.0.1:{port}",
            "zalo_oa_app_id": APP_ID,
            "zalo_oa_secret_key": SecretStr(SECRET_KEY),
            "zalo_oa_webhook_key": SecretStr(OA_SECRET_KEY),
            "zalo_oa_refresh_token": SecretStr(str(oa.issue_tokens()["refresh_token"])),
            "zalo_oa_api_url": oa.base_url,
            "zalo_oa_oauth_url": oa.base_url,
        }
    )


@contextlib.asynccontextmanager
async def serving_oa(settings: Settings, oa: FakeZaloOA, clock: FakeClock) -> AsyncIterator[App]:
    """roviec on `settings` until the block ends; its webhook is saved with the fake OA."""
    app = await open_app(settings, clock)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(app, stop))
    try:
        url = f"{settings.public_url}{WEBHOOK_PATH}"
        for _ in range(100):  # saved once the server answers Zalo's test POST
            with contextlib.suppress(AssertionError):
                await oa.register_webhook(url)
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("roviec's OA webhook never answered")
        yield app
    finally:
        stop.set()
        await asyncio.wait_for(serving, timeout=15)
        await app.db.dispose()


@contextlib.asynccontextmanager
async def running_oa(settings: Settings, clock: FakeClock) -> AsyncIterator[OAUnderTest]:
    """The fake OA and roviec serving it (the OA only), with the small province loaded."""
    async with FakeZaloOA() as oa:
        settings = oa_settings(settings, oa)
        async with serving_oa(settings, oa, clock) as app:
            async with app.db.transaction() as session:
                province = await build_province(session, clock())
            assert oa.webhook is not None
            yield OAUnderTest(oa, app, province, clock, oa.webhook)
