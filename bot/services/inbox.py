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
from db.upsert import insert_new

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
    await insert_new(session, InboxUpdate, rows, ["channel", "update_key"])


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


@dataclass(frozen=True)
class Taken:
    """An update taken for handling: already marked processed in the caller's transaction."""

    id: int
    channel: str
    update_key: int
    chat_key: str
    payload: dict[str, Any]


async def take(session: AsyncSession, inbox_id: int, now: datetime) -> Taken | None:
    """Mark the update processed and return it, if it still awaited processing and is its
    chat's next; None if it is gone or handled; ChatBusy otherwise.

    The mark is in the caller's transaction: it commits with the update's effects or is
    rolled back with them. Whichever instance takes an update, a chat's updates are handled
    one at a time and in order: on PostgreSQL the handling transaction holds an advisory
    lock on the chat (released at commit or rollback, however the process ends), and on
    either database an update waits while an older one of its chat is unhandled.
    """
    if session.get_bind().dialect.name == "postgresql":
        found = (
            await session.execute(
                select(col(InboxUpdate.channel), col(InboxUpdate.chat_key)).where(
                    col(InboxUpdate.id) == inbox_id
                )
            )
        ).first()
        if found is None:
            return None
        chat = func.hashtext(f"{found[0]}:{found[1]}")
        if not await session.scalar(select(func.pg_try_advisory_xact_lock(chat))):
            raise ChatBusy(inbox_id)
        # Under the lock the next statement sees what another instance committed meanwhile.
    # One statement takes and marks it (a read, a check and a later UPDATE cost three), on
    # the table rather than the model: the ORM's handling of an UPDATE costs more than it.
    table = InboxUpdate.__table__  # type: ignore[attr-defined]
    earlier = table.alias("earlier")
    waiting_before = (
        select(earlier.c.id)
        .where(
            earlier.c.channel == table.c.channel,
            earlier.c.chat_key == table.c.chat_key,
            earlier.c.processed_at.is_(None),
            earlier.c.id < table.c.id,
        )
        .exists()
    )
    row = (
        await session.execute(
            update(table)
            .where(table.c.id == inbox_id, table.c.processed_at.is_(None), ~waiting_before)
            .values(processed_at=now)
            .returning(table.c.channel, table.c.update_key, table.c.chat_key, table.c.payload)
        )
    ).first()
    if row is not None:
        return Taken(inbox_id, row[0], row[1], row[2], row[3])
    handled = (
        await session.execute(
            select(col(InboxUpdate.processed_at)).where(col(InboxUpdate.id) == inbox_id)
        )
    ).first()
    if handled is None or handled[0] is not None:
        return None
    raise ChatBusy(inbox_id)  # unhandled, so an older update of its chat is waiting


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


async def forget_secret(session: AsyncSession, taken: Taken, secret: str) -> None:
    """Keep no invitation code in the stored update (it is a credential, even when spent)."""
    await session.execute(
        update(InboxUpdate)
        .where(col(InboxUpdate.id) == taken.id)
        .values(payload=scrubbed(taken.payload, secret)),
        execution_options={"synchronize_session": False},
    )


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
