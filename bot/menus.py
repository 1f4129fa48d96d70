"""The menu keeper: Telegram's command menus, the default one and each registered chat's.

Only Telegram has a command menu. The default menu (what a stranger sees) is set once at
start; a registered chat gets the commands of its official's role in their language
(handlers/menu.py), set when a staff change, a registration or a language chosen marks it
due (bot/services/menus.py). A menu is nice to have: a refusal is logged and tried again
later, never in a loop and never in the way of the messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from bot.channels.telegram import NAME, TelegramChannel
from bot.config import SUPPORTED_LOCALES, Settings
from bot.i18n import Translator
from bot.services import menus
from db.engine import Database
from handlers.menu import menu_key, role_menu, stranger_menu

log = logging.getLogger(__name__)
BATCH = 50
LOOK_AGAIN_SECONDS = 60.0  # a CLI staff change in another process is seen within a minute


def default_menus(settings: Settings) -> dict[str, list[tuple[str, str]]]:
    """A stranger's menu per language, the deployment's language first (also the default)."""
    languages = (settings.locale, *[x for x in SUPPORTED_LOCALES if x != settings.locale])
    return {code: stranger_menu(Translator(code, settings.zone)) for code in languages}


async def keep_menus(
    db: Database,
    telegram: TelegramChannel,
    settings: Settings,
    clock: Callable[[], datetime],
    wake: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    """Every chat checked once at start, then the due ones whenever woken, until `stop`."""
    async with db.transaction() as session:
        await menus.mark_channel(session, NAME, clock())
    while not stop.is_set():
        wake.clear()
        try:
            pause = await set_due_menus(db, telegram, settings, clock)
        except Exception as error:  # a database hiccup: the next look finds the same rows
            log.warning("telegram: chat menus not set (%s)", type(error).__name__)
            pause = LOOK_AGAIN_SECONDS
        waiting = asyncio.ensure_future(wake.wait())
        stopping = asyncio.ensure_future(stop.wait())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.wait([waiting, stopping], return_when=asyncio.FIRST_COMPLETED),
                timeout=pause,
            )
        waiting.cancel()
        stopping.cancel()


async def set_due_menus(
    db: Database, telegram: TelegramChannel, settings: Settings, clock: Callable[[], datetime]
) -> float:
    """Set the menu of every due chat; the seconds to wait before looking again."""
    while True:
        async with db.read() as session:
            batch = await menus.due(session, NAME, clock(), BATCH)
        if not batch:
            return LOOK_AGAIN_SECONDS
        for chat in batch:
            pause = await _set_one(db, telegram, settings, clock, chat)
            if pause is not None:
                return pause
        if len(batch) < BATCH:
            return LOOK_AGAIN_SECONDS


async def _set_one(
    db: Database,
    telegram: TelegramChannel,
    settings: Settings,
    clock: Callable[[], datetime],
    chat: menus.DueMenu,
) -> float | None:
    """One chat's menu, unless it shows it already; a pause when Telegram asks for one."""
    if chat.role is None:
        wanted, listing = "", None
    else:
        t = Translator(chat.locale or settings.locale, settings.zone)
        wanted, listing = menu_key(chat.role, t), role_menu(chat.role, t)
    delivery = None
    if wanted != chat.shown:
        delivery = await telegram.set_chat_menu(chat.chat_key, listing)
    async with db.transaction() as session:
        if delivery is None or delivery.ok:
            await menus.shown(session, NAME, chat.chat_key, wanted, clock())
            return None
        await menus.refused(session, NAME, chat.chat_key, clock())
    # The chat's id is personal data: the log says what failed, not for whom.
    log.warning("telegram: a chat's menu was refused (%s); tried again later", delivery.error)
    return delivery.retry_after if delivery.throttled else None
