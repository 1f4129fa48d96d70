"""The chat platforms roviec serves, opened from the settings: whichever have credentials."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.channels.webhook import Receiver
from bot.config import Settings
from bot.file_links import FileLinks
from db.engine import Database


async def open_platforms(
    settings: Settings,
    db: Database,
    clock: Callable[[], datetime],
    links: FileLinks | None = None,
) -> list[Receiver]:
    """Telegram, the Zalo bot and the Zalo OA, each if its credentials are set (no call to
    a platform is made here: `Receiver.start` makes them); Zalo sends files by `links`."""
    platforms: list[Receiver] = []
    if settings.telegram_token is not None:
        platforms.append(await _open_telegram(settings))
    if settings.zalo_bot_token is not None:
        platforms.append(_open_zalo_bot(settings, links))
    if settings.has_zalo_oa:
        platforms.append(await _open_zalo_oa(settings, db, clock, links))
    return platforms


async def _open_telegram(settings: Settings) -> Receiver:
    from bot.channels.telegram import TelegramChannel, build_application

    assert settings.telegram_token is not None
    application = build_application(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_url,
        settings.telegram_file_url,
    )
    return TelegramChannel(application, settings.poll_timeout_seconds)


def _open_zalo_bot(settings: Settings, links: FileLinks | None) -> Receiver:
    from bot.channels.zalo import ZaloBotChannel, ZaloBotClient

    assert settings.zalo_bot_token is not None
    client = ZaloBotClient(settings.zalo_bot_token.get_secret_value(), settings.zalo_bot_api_url)
    return ZaloBotChannel(
        client,
        poll_timeout=settings.poll_timeout_seconds,
        # Files by signed link (see bot/file_links.py): the publisher, else the notice.
        publish=links.publish if links is not None else None,
        unsendable=links.unsendable if links is not None else None,
    )


async def _open_zalo_oa(
    settings: Settings, db: Database, clock: Callable[[], datetime], links: FileLinks | None
) -> Receiver:
    from bot.channels.zalo import DatabaseTokenStore, ZaloOAChannel, ZaloOAClient

    assert settings.zalo_oa_app_id is not None and settings.zalo_oa_secret_key is not None
    assert settings.zalo_oa_refresh_token is not None
    tokens = DatabaseTokenStore(db, clock)
    await tokens.seed(settings.zalo_oa_refresh_token.get_secret_value())
    webhook_key = settings.zalo_oa_webhook_key or settings.zalo_oa_secret_key
    client = ZaloOAClient(settings.zalo_oa_api_url, settings.zalo_oa_oauth_url, clock=clock)
    return ZaloOAChannel(
        client,
        tokens,
        app_id=settings.zalo_oa_app_id,
        secret_key=settings.zalo_oa_secret_key.get_secret_value(),
        webhook_key=webhook_key.get_secret_value(),
        clock=clock,
        zone=settings.timezone,
        # Files by signed link (see bot/file_links.py): the publisher, else the notice.
        publish=links.publish if links is not None else None,
        unsendable=links.unsendable if links is not None else None,
    )
