"""The composition root: settings, database, channels, processor and dispatcher wired here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from bot.channels.console import ConsoleChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.webhook import Hook, Receiver
from bot.channels.zalo import BOT_CHANNEL, OA_CHANNEL
from bot.config import Settings
from bot.file_links import FileLinks, open_file_links
from bot.menus import default_menus, keep_menus
from bot.platforms import open_platforms
from bot.polling import poll_while_leased
from bot.processor import InboundChannel, Processor
from bot.retries import keep_trying
from bot.services import channel_state, files, health, inbox, instances
from bot.services.dates.calendar import WorkCalendar
from bot.services.files.keeping import Fetcher
from bot.web import WebServer, intake_routes
from bot.web.dashboard import dashboard_routes
from bot.web.healthz import health_route
from db.engine import Database
from db.migrate import current_revision, head_revision, upgrade
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
    # Set after each handled update: a registration or a language chosen may want a menu.
    menus_due: asyncio.Event = field(default_factory=asyncio.Event)
    dispatcher: Dispatcher = field(init=False)

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(self.db, self.channels, self.clock, self.settings)
        # Zalo's picture URLs expire: what people send there is fetched and kept at once.
        fetcher = Fetcher(
            self.db,
            self.channels,
            (BOT_CHANNEL, OA_CHANNEL),
            self.clock,
            timedelta(days=self.settings.inbox_retention_days),
        )
        self.processor = Processor(
            self.db,
            self.settings,
            self.channels,
            self.clock,
            on_replies=self._replied,
            prefetch=fetcher.fetch,
        )

    def _replied(self) -> None:
        """Replies are queued: the dispatcher sends them, the menu keeper looks for menus."""
        self.dispatcher.wake()
        self.menus_due.set()

    def job_context(self) -> JobContext:
        """What scheduled jobs need from this process."""
        calendar = WorkCalendar.from_settings(self.settings)
        return JobContext(self.db, self.settings, calendar, self.clock)

    def ticker(self) -> Ticker:
        """The scheduler ticker over every job, waking the dispatcher when a job queues."""
        return Ticker(
            self.job_context(), all_jobs(self.settings), self.clock, on_queued=self.dispatcher.wake
        )

    async def fetch_file(self, channel: str, file_id: str) -> bytes | None:
        """A file a person sent: kept by roviec (``stored:12``, a Zalo picture), or from the
        channel that holds it (Telegram's file id); None where it cannot be had."""
        number = files.stored_id(file_id)
        if number is not None:
            async with self.db.read() as session:
                found = await files.fetch(session, number, self.clock())
                return found.data if found is not None else None
        download = getattr(self.channels.get(channel), "download", None)
        return await download(file_id) if download is not None else None

    def today(self) -> date:
        """The province's calendar day now."""
        return self.clock().astimezone(self.settings.zone).date()


async def open_app(settings: Settings, clock: Callable[[], datetime] = utc_now) -> App:
    """Connect to the database and bring it to the newest schema."""
    db = Database(settings.database_url)
    try:
        await upgrade(db)
    except BaseException:
        await db.dispose()  # a failed try leaves no pool behind
        raise
    return App(settings=settings, db=db, clock=clock)


async def serve(app: App, stop: asyncio.Event) -> None:
    """Receive, handle and deliver on every configured platform until `stop` is set.

    With a public URL every platform calls one web server; without one, each is polled.
    """
    links = await open_file_links(app.settings, app.db, app.clock)
    platforms = await open_platforms(app.settings, app.db, app.clock, links)
    for platform in platforms:
        app.channels[platform.name] = platform  # type: ignore[assignment]
    try:
        for platform in platforms:  # a platform down at start is waited for, not fatal
            if not await keep_trying(f"{platform.name}: start", platform.start, stop):
                return
        receiving = await _receive(app, platforms, stop, links)
        if receiving is None:
            return
        telegram = app.channels.get("telegram")
        if isinstance(telegram, TelegramChannel):  # only Telegram has a command menu
            receiving.append(_decorate(telegram, default_menus(app.settings), stop))
            receiving.append(
                keep_menus(app.db, telegram, app.settings, app.clock, app.menus_due, stop)
            )
        await app.dispatcher.recover()
        ticker = app.ticker()
        ticker.start()
        await ticker.catch_up()
        tasks = [
            asyncio.create_task(_keep_beating(app, stop)),
            *(asyncio.create_task(job) for job in receiving),
            asyncio.create_task(app.processor.run(stop)),
            asyncio.create_task(app.dispatcher.run(stop)),
        ]
        await asyncio.gather(*tasks)
        ticker.stop()
    finally:
        for platform in platforms:
            await platform.close()


async def health_of(db: Database, settings: Settings, now: datetime) -> health.Health:
    """The deployment's health: schema, backlogs, instances alive, next firings."""
    next_firings = {}
    for job in all_jobs(settings):
        upcoming = job.trigger.get_next_fire_time(None, now)
        if upcoming is not None:
            next_firings[job.name] = upcoming
    schema = await current_revision(db)
    async with db.read() as session:
        return await health.check(
            session,
            now,
            schema=schema,
            schema_head=head_revision(),
            next_firings=next_firings,
        )


async def _keep_beating(app: App, stop: asyncio.Event) -> None:
    """Tell the deployment this instance is alive (roviec health lists the live ones)."""
    name, started = instances.this_instance(), app.clock()
    while not stop.is_set():
        try:
            async with app.db.transaction() as session:
                await instances.beat(session, name, started, app.clock())
        except Exception as error:  # a missed beat is no reason to stop serving
            log.warning("heartbeat failed (%s)", type(error).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=instances.BEAT_SECONDS)


async def _decorate(
    telegram: TelegramChannel, commands: dict[str, list[tuple[str, str]]], stop: asyncio.Event
) -> None:
    """Telegram's command menu: nice to have, so a refusal is logged and tried later."""

    await keep_trying(
        "telegram: setMyCommands",
        lambda: telegram.register_commands(commands),
        stop,
        first=30.0,
        longest=3600.0,
    )


async def _receive(
    app: App, platforms: list[Receiver], stop: asyncio.Event, links: FileLinks
) -> list[Coroutine[Any, Any, None]] | None:
    """What receives updates: one web server for every webhook (serving files too), or one
    poll per platform (None if stopped while a platform was refusing its webhook)."""
    public_url = app.settings.public_url
    if public_url is None:
        holder = instances.this_instance()
        return [
            poll_while_leased(p, app.db, app.clock, app.processor.wake, stop, holder=holder)
            for p in platforms
        ]
    secrets = {}
    async with app.db.transaction() as session:
        for platform in platforms:
            secrets[platform.name] = await channel_state.webhook_secret(
                session, platform.name, app.clock()
            )
    server = web_server(app, [p.hook(secrets[p.name]) for p in platforms], links)
    serving = server.serve(stop)
    for platform in platforms:  # the server is listening before a platform calls it
        secret = secrets[platform.name]

        def use(platform: Receiver = platform, secret: str = secret) -> Awaitable[None]:
            return platform.use_webhook(public_url, secret)

        if not await keep_trying(f"{platform.name}: setWebhook", use, stop):
            serving.close()
            server.close()
            return None
    return [serving]


def web_server(app: App, hooks: list[Hook], links: FileLinks) -> WebServer:
    """The web server with every channel's webhook, the file links and the dashboard (whose
    evidence goes by those links), bound to ROVIEC_LISTEN."""
    settings = app.settings
    host, port = settings.listen_address
    routes = intake_routes(
        hooks,
        app.db,
        app.clock,
        app.processor.wake,
        max_bytes=settings.webhook_max_bytes,
        answer_within=settings.webhook_answer_seconds,
    )
    checking = health_route(lambda now: health_of(app.db, settings, now), app.clock)
    dashboard = dashboard_routes(app.db, settings, app.clock, app.fetch_file, links.publisher)
    server = WebServer([*routes, checking, *links.routes, dashboard], host, port)
    log.info("webhooks: listening on %s:%d", host, server.port)
    return server


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT ask for a clean stop."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)


async def chat_console(
    app: App,
    lines: Callable[[], str] | None = None,
    first: list[str] | None = None,
    user_key: str = "local",
) -> None:
    """Talk to the bot in this terminal as console account `user_key`; `first` lines are
    sent before reading stdin."""
    console = ConsoleChannel(user_key=user_key)
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
