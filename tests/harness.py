"""The bot under test: the real application, talking HTTP to the fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pydantic import SecretStr
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App, open_app, serve
from bot.config import Settings
from bot.services.people import accounts, directory
from db.models import Assignment, AuditLog, Conversation, Official
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_people import FakePerson
from tests.fakes.zalo_bot_api import TOKEN as ZALO_TOKEN
from tests.fakes.zalo_bot_api import FakeZaloBot
from tests.fakes.zalo_bot_people import BotMessage, ZaloBotPerson
from tests.province import Province, build_province


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class FakeClock:
    """Time that moves only when the test says so."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move forward by a timedelta's worth of keywords."""
        self.now += timedelta(**delta)


@dataclass
class BotUnderTest:
    """What a test talks to: the fake Telegram, the app and the province in its database."""

    telegram: FakeTelegram
    app: App
    province: Province
    clock: FakeClock
    people: dict[int, FakePerson] = field(default_factory=dict)
    zalo: FakeZaloBot | None = None  # the fake Zalo bot, when roviec serves both

    async def invite(self, official_id: int) -> str:
        """Issue an invitation code as the operator would."""
        async with self.app.db.transaction() as session:
            return await accounts.issue_invitation(
                session, official_id, self.clock(), timedelta(hours=72)
            )

    async def registered(self, official_id: int, user_id: int, language: str = "vi") -> FakePerson:
        """A person who has redeemed an invitation for this official."""
        person = self.telegram.person(user_id, f"User{user_id}", language_code=language)
        code = await self.invite(official_id)
        await self.say(person, f"/start {code}")
        return person

    async def say(self, person: FakePerson, text: str, replies: int = 1) -> list:
        """The person writes; wait for the bot's replies (sends or edits)."""
        person.mark()
        await person.send(text)
        return await person.wait_for_new(replies)

    async def tap(self, person: FakePerson, label: str, replies: int = 1) -> list:
        """The person presses a button on the latest message that has it."""
        person.mark()
        await person.press(label)
        return await person.wait_for_new(replies)

    async def in_english(self) -> None:
        """Every official reads English, so that tests can assert the wording."""
        async with self.app.db.transaction() as session:
            await session.execute(update(Official).values(locale="en"))

    async def unit_id(self, code: str) -> int:
        """The id of the unit with this code."""
        async with self.app.db.read() as session:
            unit = await directory.unit_by_code(session, code)
            assert unit is not None and unit.id is not None
            return unit.id

    async def conversation(self, person: FakePerson) -> Conversation:
        """The person's conversation as stored: its flow, step, version and draft."""
        async with self.app.db.transaction() as session:
            conversation = await session.scalar(
                select(Conversation).where(Conversation.user_key == str(person.user_id))
            )
            assert conversation is not None
            return conversation

    async def state(self, person: FakePerson) -> tuple[str | None, int]:
        """The step and version of the person's conversation (unchanged: the input was refused)."""
        conversation = await self.conversation(person)
        return conversation.step, conversation.version

    async def assignment(self, assignment_id: int) -> Assignment:
        """An assignment as stored now."""
        async with self.app.db.transaction() as session:
            found = await session.get(Assignment, assignment_id)
            assert found is not None
            return found

    async def audits(self, action: str) -> list[AuditLog]:
        """The audit entries of one action, e.g. "review.refused"."""
        async with self.app.db.transaction() as session:
            return list(await session.scalars(select(AuditLog).where(AuditLog.action == action)))

    async def count(self, model: type, *where: object) -> int:
        """Rows of a table (optionally filtered)."""
        async with self.app.db.transaction() as session:
            statement = select(func.count()).select_from(model)
            for condition in where:
                statement = statement.where(condition)  # type: ignore[arg-type]
            return int(await session.scalar(statement) or 0)

    async def settled(self) -> None:
        """Wait until every stored update is handled and every queued message delivered."""
        from db.models import InboxUpdate, OutboxMessage

        for _ in range(200):
            pending = await self.count(InboxUpdate, InboxUpdate.processed_at.is_(None))
            unsent = await self.count(
                OutboxMessage, OutboxMessage.state.in_(["pending", "sending"])
            )
            if not pending and not unsent and not self.telegram.pending_updates:
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the bot did not settle")


@contextlib.asynccontextmanager
async def running_bot(
    settings: Settings,
    clock: FakeClock,
    populate: Callable[[AsyncSession, datetime], Awaitable[Province]] = build_province,
    *,
    with_zalo: bool = False,
    before_start: Callable[[FakeTelegram], None] | None = None,
) -> AsyncIterator[BotUnderTest]:
    """Start the fake Telegram (and the fake Zalo bot) and roviec against it, the database
    filled by `populate`; stop everything cleanly. `before_start` sets up the fake first
    (say, failures that greet roviec's start)."""
    telegram = FakeTelegram()
    await telegram.start()
    if before_start is not None:
        before_start(telegram)
    settings = settings.model_copy(
        update={"telegram_api_url": telegram.base_url, "telegram_file_url": telegram.base_file_url}
    )
    zalo = FakeZaloBot(ZALO_TOKEN) if with_zalo else None
    if zalo is not None:
        await zalo.start()
        settings = settings.model_copy(
            update={"zalo_bot_token": SecretStr(ZALO_TOKEN), "zalo_bot_api_url": zalo.base_url}
        )
    app = await open_app(settings, clock)
    async with app.db.transaction() as session:
        province = await populate(session, clock())
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(app, stop))
    try:
        # Ready once it polls, or once it has asked for a webhook (then it is listening).
        await telegram.wait_until(
            lambda: bool(telegram.requests("getUpdates") or telegram.webhook_url), timeout=10
        )
        if zalo is not None:
            await zalo.wait_until(lambda: bool(zalo.requests("getUpdates")), timeout=10)
        yield BotUnderTest(telegram, app, province, clock, zalo=zalo)
    finally:
        stop.set()
        await asyncio.wait_for(serving, timeout=15)
        await app.db.dispose()
        await telegram.stop()
        if zalo is not None:
            await zalo.stop()


@dataclass
class ZaloBotUnderTest:
    """roviec serving the fake Zalo Bot API, with the same small province."""

    zalo: FakeZaloBot
    app: App
    province: Province
    clock: FakeClock

    async def invite(self, official_id: int) -> str:
        """Issue an invitation code as the operator would."""
        async with self.app.db.transaction() as session:
            return await accounts.issue_invitation(
                session, official_id, self.clock(), timedelta(hours=72)
            )

    async def say(self, person: ZaloBotPerson, text: str, replies: int = 1) -> list[BotMessage]:
        """The person writes; wait for the bot's next `replies` messages to them."""
        before = len(person.messages)
        await person.send(text)
        await self.zalo.wait_until(lambda: len(person.messages) >= before + replies, timeout=10)
        return person.messages[before:]

    async def count_accounts(self) -> int:
        """Chat accounts bound on Zalo."""
        from db.models import ChatAccount

        async with self.app.db.transaction() as session:
            statement = select(func.count()).select_from(ChatAccount)
            return int(
                await session.scalar(statement.where(ChatAccount.channel == "zalo_bot")) or 0
            )


@contextlib.asynccontextmanager
async def running_zalo_bot(settings: Settings, clock: FakeClock) -> AsyncIterator[ZaloBotUnderTest]:
    """Start the fake Zalo Bot API and roviec against it (Zalo only); stop both cleanly."""
    zalo = FakeZaloBot(ZALO_TOKEN)
    await zalo.start()
    settings = settings.model_copy(
        update={
            "telegram_token": None,
            "zalo_bot_token": SecretStr(ZALO_TOKEN),
            "zalo_bot_api_url": zalo.base_url,
        }
    )
    app = await open_app(settings, clock)
    async with app.db.transaction() as session:
        province = await build_province(session, clock())
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(app, stop))
    try:
        await zalo.wait_until(lambda: bool(zalo.requests("getUpdates") or zalo.webhook), timeout=10)
        yield ZaloBotUnderTest(zalo, app, province, clock)
    finally:
        stop.set()
        await asyncio.wait_for(serving, timeout=15)
        await app.db.dispose()
        await zalo.stop()
