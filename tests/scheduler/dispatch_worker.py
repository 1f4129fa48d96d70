"""A process that only delivers the outbox, for tests that kill it.

    python -m tests.scheduler.dispatch_worker

Settings come from the environment (ROVIEC_DATABASE_URL, ROVIEC_TELEGRAM_TOKEN,
ROVIEC_TELEGRAM_API_URL, ROVIEC_RATE_*). SIGTERM or SIGINT stops it the way `roviec run`
stops: sends in flight finish and are recorded, then it exits with status 0.
"""

from __future__ import annotations

import asyncio

from bot.app import stop_on_signals, utc_now
from bot.channels.telegram import TelegramChannel, build_application
from bot.config import load_settings
from db.engine import Database
from scheduler.dispatcher import Dispatcher


async def work() -> None:
    """Recover what a killed predecessor left in flight, then deliver until stopped."""
    settings = load_settings()
    assert settings.telegram_token is not None
    db = Database(settings.database_url)
    application = build_application(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_url,
        settings.telegram_file_url,
    )
    await application.initialize()
    channel = TelegramChannel(application)
    dispatcher = Dispatcher(db, {channel.name: channel}, utc_now, settings)
    stop = asyncio.Event()
    stop_on_signals(stop)
    try:
        await dispatcher.recover()
        await dispatcher.run(stop)
    finally:
        await application.shutdown()
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(work())
