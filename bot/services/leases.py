"""Leases: one instance of a deployment at a time does a thing (polls a platform).

A lease is a ChannelState row naming its holder and when it was last renewed. The holder
renews it well within `ttl`; an instance that dies stops renewing, and another takes the
lease once `ttl` has passed since the last renewal. Taking or renewing is one
read-modify-write in a transaction that locks the row (FOR UPDATE on PostgreSQL; on
SQLite every writing transaction holds the database's write lock).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import ChannelState
from db.upsert import insert_ignoring_duplicates

PREFIX = "lease:"


async def hold(
    session: AsyncSession, what: str, holder: str, now: datetime, ttl: timedelta
) -> bool:
    """Take or renew the lease on `what` for `holder`; False while another holds it."""
    name = f"{PREFIX}{what}"[:64]
    fresh = {"name": name, "value": {"holder": holder}, "updated_at": now}
    await session.execute(insert_ignoring_duplicates(session, ChannelState, [fresh], ["name"]))
    row = await session.scalar(
        select(ChannelState).where(col(ChannelState.name) == name).with_for_update()
    )
    assert row is not None  # inserted just now, or there already
    if row.value.get("holder") != holder and row.updated_at > now - ttl:
        return False
    row.value, row.updated_at = {"holder": holder}, now
    return True


async def release(session: AsyncSession, what: str, holder: str) -> None:
    """Give the lease up at once (a clean stop), if `holder` has it."""
    row = await session.get(ChannelState, f"{PREFIX}{what}"[:64], with_for_update=True)
    if row is not None and row.value.get("holder") == holder:
        await session.delete(row)


async def holder_of(session: AsyncSession, what: str) -> str | None:
    """Who holds the lease now (whether or not it has expired)."""
    row = await session.get(ChannelState, f"{PREFIX}{what}"[:64])
    return None if row is None else row.value.get("holder")
