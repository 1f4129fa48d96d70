"""Polling a platform from one instance of the deployment at a time.

Two pollers of one Telegram bot make Telegram answer the older one 409 forever, and two of
one Zalo bot each get half the updates: so a poller runs only while its instance holds
the platform's lease (`bot.services.leases`), renewed every third of `ttl`. When the
holder dies, another instance takes over within `ttl` plus one renewal interval; when it
stops cleanly, it releases the lease and the next instance takes over at its next try.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.channels.webhook import Receiver
from bot.services import leases
from db.engine import Database

log = logging.getLogger(__name__)
LEASE_TTL = timedelta(seconds=10)


async def poll_while_leased(
    platform: Receiver,
    db: Database,
    clock: Callable[[], datetime],
    stored: Callable[[], None],
    stop: asyncio.Event,
    *,
    holder: str,
    ttl: timedelta = LEASE_TTL,
) -> None:
    """Poll `platform` whenever this instance holds its lease, until `stop` is set."""
    what = f"poll:{platform.name}"
    interval = ttl.total_seconds() / 3
    polling: asyncio.Task[None] | None = None
    halt = asyncio.Event()  # the poller's own stop: set on a stop or when the lease is lost
    try:
        while not stop.is_set():
            if polling is not None and polling.done():  # it failed: start it again if held
                failure = polling.exception()
                log.error("polling %s ended (%s)", platform.name, type(failure).__name__)
                polling = None
            held = await _try_hold(db, what, holder, clock(), ttl)
            if held and polling is None:
                log.info("polling %s from this instance", platform.name)
                halt = asyncio.Event()
                polling = asyncio.create_task(platform.poll(db, clock, stored, halt))
            elif not held and polling is not None:
                log.warning("%s: another instance polls now; this one stops", platform.name)
                halt.set()
                await polling
                polling = None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
    finally:
        if polling is not None:
            halt.set()
            await polling
            async with db.transaction() as session:
                await leases.release(session, what, holder)


async def _try_hold(db: Database, what: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease; a database hiccup counts as not holding it."""
    try:
        async with db.transaction() as session:
            return await leases.hold(session, what, holder, now, ttl)
    except Exception as error:
        log.warning("lease %s could not be renewed (%s)", what, type(error).__name__)
        return False
