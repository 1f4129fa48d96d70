"""Which roviec processes are alive: each running instance writes a heartbeat row."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import ChannelState
from db.upsert import upsert

PREFIX = "instance:"
BEAT_SECONDS = 15.0
ALIVE_WITHIN = timedelta(seconds=3 * BEAT_SECONDS)  # two missed beats and it is gone
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Instance:
    """A running process: its name (host and pid), when it started and last beat."""

    name: str
    started_at: datetime
    seen_at: datetime


def this_instance() -> str:
    """The name of this process among the deployment's instances."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


async def beat(session: AsyncSession, name: str, started_at: datetime, now: datetime) -> None:
    """Say this instance is alive; forget instances silent for a day."""
    row = {
        "name": f"{PREFIX}{name}"[:64],
        "value": {"started_at": started_at.isoformat()},
        "updated_at": now,
    }
    await session.execute(upsert(session, ChannelState, [row], ["name"], ["value", "updated_at"]))
    await session.execute(
        delete(ChannelState).where(
            col(ChannelState.name).startswith(PREFIX),
            col(ChannelState.updated_at) < now - FORGET_AFTER,
        )
    )


async def alive(session: AsyncSession, now: datetime) -> list[Instance]:
    """Instances that beat recently, oldest first."""
    rows = await session.scalars(
        select(ChannelState)
        .where(col(ChannelState.name).startswith(PREFIX))
        .where(col(ChannelState.updated_at) >= now - ALIVE_WITHIN)
        .order_by(col(ChannelState.name))
    )
    found = [
        Instance(
            row.name.removeprefix(PREFIX),
            datetime.fromisoformat(row.value["started_at"]),
            row.updated_at,
        )
        for row in rows
    ]
    return sorted(found, key=lambda instance: instance.started_at)
