"""The composition root: settings, database, channels, processor and dispatcher wired here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlmodel import col

from bot.channels.console import ConsoleChannel
from bot.config import SUPPORTED_LOCALES, Settings
from bot.i18n import Translator
from bot.processor import InboundChannel, Processor
from bot.services import inbox
from bot.services.dates.calendar import WorkCalendar
from db.engine import Database
from db.migrate import upgrade
from db.models import InboxUpdate
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import JobContext
from scheduler.schedule import all_jobs
from scheduler.ticker import Ticker

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass
class App:
    """The running parts of roviec, assembled for one process."""

    settings: Settings
    db: Database
    clock: Callable[[], datetime]
    channels: dict[str, InboundChannel] = field(default_factory=dict)
    processor: Processor = field(init=False)
    dispatcher: Dispatcher = field(init=False)

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(self.db, self.channels, self.clock, self.settings)
        self.processor = Processor(
            self.db, self.settings, self.channels, self.clock, on_replies=self.dispatcher.wake
        )

    def job_context(self) -> JobContext:
        """What scheduled jobs need from this process."""
        return JobContext(self.db, self.settings, WorkCalendar.from_settings(self.settings))

    def ticker(self) -> Ticker:
        """The scheduler ticker over every job, waking the dispatcher when a job queues."""
        return Ticker(
            self.job_context(), all_jobs(self.settings), self.clock, on_queued=self.dispatcher.wake
        )

    def today(self) -> date:
        """The province's calendar day now."""
        return self.clock().astimezone(self.settings.zone).date()


async def open_app(settings: Settings, clock: Callable[[], datetime] = utc_now) -> App:
    """Connect to the database and bring it to the newest schema."""
    db = Database(settings.database_url)
    await upgrade(db)
    return App(settings=settings, db=db, clock=clock)


def command_list(settings: Settings) -> dict[str, list[tuple[str, str]]]:
    """The commands shown in Telegram's menu, per language (Vietnamese names first)."""
    listing = {}
    for language in (settings.locale, *[x for x in SUPPORTED_LOCALES if x != settings.locale]):
        t = Translator(language, settings.zone)
        listing[language] = [
            ("nhiemvu", t._("Your unit's tasks")),
            ("baocao", t._("Report progress on a task")),
            ("giahan", t._("Ask for a deadline extension")),
            ("xacnhan", t._("Confirm or return reported results (standing office)")),
            ("giaoviec", t._("Assign a new task to units (standing office)")),
            ("chidao", t._("Send a directive to units (standing office, leaders)")),
            ("chitieu", t._("Report your unit's indicators")),
            ("vuongmac", t._("Work open blockers (standing office, leaders)")),
            ("xephang", t._("Ranking of units (standing office, leaders)")),
            ("xuatbaocao", t._("Tracking table as Excel (standing office, leaders)")),
            ("huy", t._("Cancel what you are doing")),
            ("trogiup", t._("Help")),
            ("tasks", t._("Your unit's tasks (English alias)")),
            ("report", t._("Report progress (English alias)")),
            ("extend", t._("Ask for a deadline extension (English alias)")),
            ("review", t._("Confirm or return results (English alias)")),
            ("assign", t._("Assign a new task (English alias)")),
            ("directive", t._("Send a directive (English alias)")),
            ("indicators", t._("Report indicators (English alias)")),
            ("blockers", t._("Work blockers (English alias)")),
            ("ranking", t._("Ranking of units (English alias)")),
            ("export", t._("Tracking table as Excel (English alias)")),
            ("help", t._("Help (English alias)")),
        ]
    return listing


async def serve_telegram(app: App, stop: asyncio.Event) -> None:
    """Receive, handle and deliver on Telegram until `stop` is set, then finish in-flight work."""
    from bot.channels.telegram import TelegramChannel, build_application

    settings = app.settings
    assert settings.telegram_token is not None
    application = build_application(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_url,
        settings.telegram_file_url,
    )
    await application.initialize()
    telegram = TelegramChannel(application)
    app.channels[telegram.name] = telegram
    try:
        await telegram.bot.delete_webhook()
        await telegram.register_commands(command_list(settings))
        await app.dispatcher.recover()
        ticker = app.ticker()
        ticker.start()
        await ticker.catch_up()
        tasks = [
            asyncio.create_task(
                telegram.receive(
                    app.db, app.clock, app.processor.wake, stop, settings.poll_timeout_seconds
                )
            ),
            asyncio.create_task(app.processor.run(stop)),
            asyncio.create_task(app.dispatcher.run(stop)),
        ]
        await asyncio.gather(*tasks)
        ticker.stop()
    finally:
        await application.shutdown()


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT ask for a clean stop."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)


async def chat_console(
    app: App, lines: Callable[[], str] | None = None, first: list[str] | None = None
) -> None:
    """Talk to the bot in this terminal; `first` lines are sent before reading stdin."""
    console = ConsoleChannel()
    app.channels[console.name] = console
    read = lines or sys.stdin.readline
    async with app.db.transaction() as session:
        last = await session.scalar(
            select(func.max(InboxUpdate.update_key)).where(col(InboxUpdate.channel) == console.name)
        )
    update_key = (last or 0) + 1
    queued = list(first or [])
    while True:
        if queued:
            line = queued.pop(0)
            print(f"> {line}")
        else:
            print("> ", end="", flush=True)
            line = await asyncio.get_running_loop().run_in_executor(None, read)
            if not line:
                return
        if not line.strip():
            continue
        async with app.db.transaction() as session:
            await inbox.store(
                session, console.name, [console.receive(line, update_key)], app.clock()
            )
        update_key += 1
        await app.processor.drain()
        await app.dispatcher.drain()
