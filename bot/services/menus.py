"""Which command menu each chat shows, and which chats must be given theirs again.

The menu itself is the router's and the permissions table's (handlers/menu.py); here is only
the bookkeeping: a registration, a move, a language chosen or a deactivation marks the
official's chats due, and the menu keeper (bot/menus.py) sets each due chat's menu on its
platform, then records it as shown or, refused, tries again later with a growing wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import ChatAccount, CommandMenu, Official
from db.upsert import upsert

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
CHUNK = 1000


@dataclass(frozen=True)
class DueMenu:
    """A chat whose menu must be set: who is registered there now (None: nobody active)."""

    chat_key: str
    shown: str
    role: str | None
    locale: str | None


async def mark_official(session: AsyncSession, official_id: int, now: datetime) -> None:
    """The official's chats must show a menu again (their role, language or status changed).

    Called before a deactivation unbinds the accounts, so the chats fall back to the
    stranger's menu.
    """
    chats = (
        await session.execute(
            select(col(ChatAccount.channel), col(ChatAccount.chat_key)).where(
                col(ChatAccount.official_id) == official_id
            )
        )
    ).all()
    await _mark(session, [(channel, chat_key) for channel, chat_key in chats], now)


async def mark_chat(session: AsyncSession, channel: str, chat_key: str, now: datetime) -> None:
    """This chat must show a menu again (someone registered in it)."""
    await _mark(session, [(channel, chat_key)], now)


async def mark_channel(session: AsyncSession, channel: str, now: datetime) -> int:
    """Every chat of `channel` is checked again (at start: the menus may have changed)."""
    chats = (
        await session.execute(
            select(col(ChatAccount.chat_key)).where(col(ChatAccount.channel) == channel).distinct()
        )
    ).all()
    await _mark(session, [(channel, chat_key) for (chat_key,) in chats], now)
    result = await session.execute(
        update(CommandMenu)
        .where(col(CommandMenu.channel) == channel)
        .values(due=True, attempts=0, retry_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def due(session: AsyncSession, channel: str, now: datetime, limit: int) -> list[DueMenu]:
    """Up to `limit` chats of `channel` whose menu is due and not waiting to be retried."""
    rows = (
        await session.execute(
            select(col(CommandMenu.chat_key), col(CommandMenu.shown))
            .where(
                col(CommandMenu.channel) == channel,
                col(CommandMenu.due),
                or_(col(CommandMenu.retry_at).is_(None), col(CommandMenu.retry_at) <= now),
            )
            .order_by(col(CommandMenu.updated_at), col(CommandMenu.chat_key))
            .limit(limit)
        )
    ).all()
    if not rows:
        return []
    keys = [chat_key for chat_key, _ in rows]
    people = (
        await session.execute(
            select(col(ChatAccount.chat_key), col(Official.role), col(Official.locale))
            .join(Official, col(Official.id) == col(ChatAccount.official_id))
            .where(
                col(ChatAccount.channel) == channel,
                col(ChatAccount.chat_key).in_(keys),
                col(Official.active),
            )
            .order_by(col(ChatAccount.id))
        )
    ).all()
    whom = {chat_key: (role, locale) for chat_key, role, locale in reversed(people)}
    found = [(chat_key, shown, whom.get(chat_key, (None, None))) for chat_key, shown in rows]
    return [DueMenu(key, shown, role, locale) for key, shown, (role, locale) in found]


async def shown(
    session: AsyncSession, channel: str, chat_key: str, menu: str, now: datetime
) -> None:
    """The chat shows `menu` now ("" for the default menu)."""
    await session.execute(
        update(CommandMenu)
        .where(col(CommandMenu.channel) == channel, col(CommandMenu.chat_key) == chat_key)
        .values(shown=menu, due=False, attempts=0, retry_at=None, updated_at=now)
    )


async def refused(session: AsyncSession, channel: str, chat_key: str, now: datetime) -> None:
    """The platform refused the chat's menu: try again later, waiting longer each time."""
    row = await session.get(CommandMenu, (channel, chat_key))
    if row is None:
        return
    wait = min(LONGEST_RETRY, FIRST_RETRY * 2**row.attempts)
    row.attempts += 1
    row.retry_at = now + wait
    row.updated_at = now


async def _mark(session: AsyncSession, chats: list[tuple[str, str]], now: datetime) -> None:
    """Rows for these chats, due now."""
    if not chats:
        return
    rows = [
        {
            "channel": channel,
            "chat_key": chat_key,
            "shown": "",
            "due": True,
            "attempts": 0,
            "retry_at": None,
            "updated_at": now,
        }
        for channel, chat_key in sorted(set(chats))
    ]
    for start in range(0, len(rows), CHUNK):  # a statement's parameters are limited
        statement = upsert(
            session,
            CommandMenu,
            rows[start : start + CHUNK],
            ["channel", "chat_key"],
            ["due", "attempts", "retry_at", "updated_at"],
        )
        await session.execute(statement)
