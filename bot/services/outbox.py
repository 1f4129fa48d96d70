"""The outbox: one row per message to one chat, claimed before sending, never sent twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import Outbound
from db.models import OutboxMessage, OutboxState
from db.upsert import insert_ignoring_duplicates


async def enqueue(
    session: AsyncSession,
    *,
    dedupe_key: str,
    channel: str,
    chat_key: str,
    message: Outbound,
    now: datetime,
    not_before: datetime | None = None,
) -> None:
    """Queue a message unless one with the same dedupe key exists already."""
    row = {
        "dedupe_key": dedupe_key,
        "channel": channel,
        "chat_key": chat_key,
        "payload": message.to_payload(),
        "state": OutboxState.PENDING,
        "attempts": 0,
        "not_before": not_before or now,
        "created_at": now,
    }
    await session.execute(insert_ignoring_duplicates(session, OutboxMessage, [row], ["dedupe_key"]))


async def due(session: AsyncSession, now: datetime, limit: int = 100) -> list[int]:
    """Ids of pending messages whose time has come, oldest first."""
    rows = await session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.not_before <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(rows)


async def ids_with_prefix(session: AsyncSession, prefix: str) -> list[int]:
    """Pending messages whose dedupe key starts with `prefix`, in order."""
    rows = await session.scalars(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
            OutboxMessage.state == OutboxState.PENDING,
        )
        .order_by(OutboxMessage.id)
    )
    return list(rows)


async def claim(session: AsyncSession, message_id: int) -> OutboxMessage | None:
    """Move one pending message to sending; None if another sender has it."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.PENDING)
        .values(state=OutboxState.SENDING, attempts=OutboxMessage.attempts + 1)
    )
    if result.rowcount != 1:
        return None
    return await session.get(OutboxMessage, message_id, populate_existing=True)


async def mark_sent(
    session: AsyncSession, message_id: int, platform_id: int | None, now: datetime
) -> None:
    """Record a delivered message."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(state=OutboxState.SENT, sent_at=now, sent_message_id=platform_id, last_error=None)
    )


async def mark_retry(
    session: AsyncSession, message_id: int, error: str, not_before: datetime
) -> None:
    """Put a message back in the queue after a transient failure."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(state=OutboxState.PENDING, last_error=error[:2000], not_before=not_before)
    )


async def mark_failed(session: AsyncSession, message_id: int, error: str, state: str) -> None:
    """Give up on a message (failed: the platform refused it; dead: retries ran out)."""
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(state=state, last_error=error[:2000])
    )


async def release_stuck(session: AsyncSession, now: datetime) -> int:
    """After a crash, messages left in `sending` go back to pending (they may be sent twice)."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.state == OutboxState.SENDING)
        .values(state=OutboxState.PENDING, not_before=now - timedelta(seconds=1))
    )
    return result.rowcount
