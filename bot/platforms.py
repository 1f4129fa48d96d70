"""The chat platforms roviec serves, opened from the settings: whichever have credentials."""

from __future__ import annotations

from bot.channels.webhook import Receiver
from bot.config import Settings
from bot.file_links import FileLinks


async def open_platforms(settings: Settings, links: FileLinks | None = None) -> list[Receiver]:
    """Telegram and the Zalo bot, each if its token is set; Zalo sends files by `links`."""
    platforms: list[Receiver] = []
    if settings.telegram_token is not None:
        platforms.append(await _open_telegram(settings))
    if settings.zalo_bot_token is not None:
        platforms.append(_open_zalo_bot(settings, links))
    return platforms


async def _open_telegram(settings: Settings) -> Receiver:
    from bot.channels.telegram import TelegramChannel, build_application

    assert settings.telegram_token is not None
    application = build_application(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_url,
        settings.telegram_file_url,
    )
    await application.initialize()
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
