"""The inbox: updates are committed here before the platform is told they arrived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.engine import rowcount
from db.models import InboxUpdate
from db.upsert import insert_ignoring_duplicates

REDACTED = "[redacted]"


def update_name(channel: str, update_key: int) -> str:
    """How logs name an update, from its arrival to the delivery of its replies."""
    return f"{channel}:{update_key}"


@dataclass(frozen=True)
class Received:
    """One update as the channel delivered it."""

    update_key: int
    chat_key: str
    payload: dict[str, Any]


async def store(
    session: AsyncSession, channel: str, updates: list[Received], now: datetime
) -> None:
    """Keep every update once; a redelivered update is ignored."""
    if not updates:
        return
    rows = [
        {
            "channel": channel,
            "update_key": u.update_key,
            "chat_key": u.chat_key,
            "payload": u.payload,
            "received_at": now,
            "attempts": 0,
        }
        for u in updates
    ]
    await session.execute(
        insert_ignoring_duplicates(session, InboxUpdate, rows, ["channel", "update_key"])
    )


async def pending(session: AsyncSession, limit: int = 500) -> list[tuple[int, str, str]]:
    """Unprocessed updates, oldest first, as (id, channel, chat key)."""
    rows = await session.execute(
        select(col(InboxUpdate.id), col(InboxUpdate.channel), col(InboxUpdate.chat_key))
        .where(col(InboxUpdate.processed_at).is_(None))
        .order_by(col(InboxUpdate.id))
        .limit(limit)
    )
    return [(i, c, k) for i, c, k in rows.all()]


class ChatBusy(Exception):
    """The chat's turn is elsewhere: another instance is handling it, or an older update of
    the chat is still waiting. Nothing was done; try the chat again shortly."""


async def take(session: AsyncSession, inbox_id: int) -> InboxUpdate | None:
    """The update if it still awaits processing and is its chat's next; ChatBusy otherwise.

    Whichever instance takes an update, a chat's updates are handled one at a time and in
    order: on PostgreSQL the handling transaction holds an advisory lock on the chat
    (released at commit or rollback, however the process ends), and on either database
    an update waits while an older one of its chat is unhandled.
    """
    row = await session.get(InboxUpdate, inbox_id)
    if row is None or row.processed_at is not None:
        return None
    if session.get_bind().dialect.name == "postgresql":
        chat = func.hashtext(f"{row.channel}:{row.chat_key}")
        if not await session.scalar(select(func.pg_try_advisory_xact_lock(chat))):
            raise ChatBusy(inbox_id)
        # Under the lock, what another instance committed meanwhile is visible: read again.
        await session.refresh(row)
        if row.processed_at is not None:
            return None
    older = await session.scalar(
        select(func.min(InboxUpdate.id)).where(
            col(InboxUpdate.channel) == row.channel,
            col(InboxUpdate.chat_key) == row.chat_key,
            col(InboxUpdate.processed_at).is_(None),
            col(InboxUpdate.id) < inbox_id,
        )
    )
    if older is not None:
        raise ChatBusy(inbox_id)
    return row


async def mark_processed(session: AsyncSession, inbox_id: int, now: datetime) -> bool:
    """Mark done in the caller's transaction; False if someone else got there first (then
    the caller must roll back what it did)."""
    result = await session.execute(
        update(InboxUpdate)
        .where(col(InboxUpdate.id) == inbox_id, col(InboxUpdate.processed_at).is_(None))
        .values(processed_at=now)
    )
    return rowcount(result) == 1


def scrubbed(value: Any, secret: str) -> Any:
    """`value` (a stored payload) with every occurrence of `secret` in its strings masked."""
    if isinstance(value, str):
        return value.replace(secret, REDACTED)
    if isinstance(value, list):
        return [scrubbed(item, secret) for item in value]
    if isinstance(value, dict):
        return {key: scrubbed(item, secret) for key, item in value.items()}
    return value


def forget_secret(row: InboxUpdate, secret: str) -> None:
    """Keep no invitation code in the stored update (it is a credential, even when spent)."""
    row.payload = scrubbed(row.payload, secret)


async def prune(session: AsyncSession, handled_before: datetime) -> int:
    """Empty the payloads of updates handled before the instant; their keys stay."""
    result = await session.execute(
        update(InboxUpdate)
        .where(
            col(InboxUpdate.processed_at) < handled_before,
            cast(col(InboxUpdate.payload), String) != "{}",
        )
        .values(payload={})
    )
    return rowcount(result)


async def record_failure(
    session: AsyncSession, inbox_id: int, error: str, now: datetime, give_up_after: int
) -> InboxUpdate | None:
    """Count a failed attempt; after `give_up_after` the update is set aside as processed."""
    row = await session.get(InboxUpdate, inbox_id)
    if row is None:
        return None
    row.attempts += 1
    row.error = error[:2000]
    if row.attempts >= give_up_after:
        row.processed_at = now
    return row
