"""State kept in the database so every instance agrees: webhook and file-link secrets."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import ChannelState
from db.upsert import insert_ignoring_duplicates

SECRET_BYTES = 32


async def webhook_secret(session: AsyncSession, channel: str, now: datetime) -> str:
    """The channel's webhook secret, made once; a second instance reads the first one's."""
    return await shared_secret(session, f"{channel}.webhook", now)


async def shared_secret(session: AsyncSession, name: str, now: datetime) -> str:
    """A random secret kept under `name`, made once; a second instance reads the first one's."""
    fresh = {"secret": secrets.token_urlsafe(SECRET_BYTES)}
    row = {"name": name, "value": fresh, "updated_at": now}
    await session.execute(insert_ignoring_duplicates(session, ChannelState, [row], ["name"]))
    # Inserted just now, or by another instance first: either way, the stored one counts.
    query = select(col(ChannelState.value)).where(col(ChannelState.name) == name)
    stored = await session.scalar(query)
    return str((stored or fresh)["secret"])
