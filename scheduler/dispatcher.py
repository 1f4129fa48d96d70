"""Delivering the outbox: claim due messages, send them chat by chat, record what happened.

A message is claimed (pending → sending) before it is sent and marked sent after, so a
second dispatcher never sends it again; a crash between the two leaves it in `sending`,
and `release_stuck` on the next start sends it once more (at most the in-flight messages
can be duplicated).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import update

from bot.channels.base import Channel, Delivery, Outbound
from bot.services import outbox
from db.engine import Database
from db.models import ChatAccount, OutboxMessage, OutboxState

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BACKOFF_CAP_SECONDS = 300.0


def backoff(attempts: int) -> float:
    """Seconds to wait before the next try: exponential, capped, with full jitter."""
    return random.uniform(0.5, min(BACKOFF_CAP_SECONDS, 2.0**attempts))


class Dispatcher:
    """Drains the outbox through the channels."""

    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Channel],
        clock: Callable[[], datetime],
        *,
        batch: int = 200,
        concurrency: int = 64,
    ) -> None:
        self.db, self.channels, self.clock = db, channels, clock
        self.batch = batch
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(concurrency)

    def wake(self) -> None:
        """New messages are waiting."""
        self._wake.set()

    async def recover(self) -> int:
        """Put messages a crashed process left in `sending` back in the queue."""
        async with self.db.transaction() as session:
            count = await outbox.release_stuck(session, self.clock())
        if count:
            log.warning("re-queued %d message(s) left in flight by a previous run", count)
        return count

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until told to stop; a batch in flight is finished first."""
        while not stop.is_set():
            self._wake.clear()
            handled = await self.drain_once()
            if handled:
                continue
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waiters, timeout=0.5, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()

    async def drain(self) -> int:
        """Deliver everything due now; the count handled."""
        total = 0
        while handled := await self.drain_once():
            total += handled
        return total

    async def drain_once(self) -> int:
        """Claim one batch of due messages and deliver it; the count handled."""
        now = self.clock()
        async with self.db.transaction() as session:
            ids = await outbox.due(session, now, self.batch)
            claimed = [m for i in ids if (m := await outbox.claim(session, i)) is not None]
        by_chat: dict[tuple[str, str], list[OutboxMessage]] = defaultdict(list)
        for message in claimed:
            by_chat[(message.channel, message.chat_key)].append(message)
        results = await asyncio.gather(*(self._send_chat(rows) for rows in by_chat.values()))
        outcomes = [pair for chat in results for pair in chat]
        if outcomes:
            await self._record(outcomes)
        return len(claimed)

    async def _send_chat(self, rows: list[OutboxMessage]) -> list[tuple[OutboxMessage, Delivery]]:
        """One chat's messages, in order; later ones wait if an earlier one must be retried."""
        outcomes: list[tuple[OutboxMessage, Delivery]] = []
        async with self._slots:
            for index, row in enumerate(rows):
                channel = self.channels.get(row.channel)
                if channel is None:
                    outcomes.append((row, Delivery(error="no such channel", permanent=True)))
                    continue
                delivery = await channel.deliver(row.chat_key, Outbound.from_payload(row.payload))
                outcomes.append((row, delivery))
                if not delivery.ok and not delivery.permanent:
                    later = Delivery(error="waiting for an earlier message", retry_after=0.5)
                    outcomes += [(r, later) for r in rows[index + 1 :]]
                    break
        return outcomes

    async def _record(self, outcomes: list[tuple[OutboxMessage, Delivery]]) -> None:
        now = self.clock()
        async with self.db.transaction() as session:
            for row, delivery in outcomes:
                row_id = row.id or 0
                if delivery.ok:
                    await outbox.mark_sent(session, row_id, delivery.message_id, now)
                elif delivery.permanent:
                    await outbox.mark_failed(
                        session, row_id, delivery.error or "", OutboxState.FAILED
                    )
                    if delivery.extra.get("blocked"):
                        await session.execute(
                            update(ChatAccount)
                            .where(
                                ChatAccount.channel == row.channel,
                                ChatAccount.chat_key == row.chat_key,
                                ChatAccount.unreachable_at.is_(None),
                            )
                            .values(unreachable_at=now)
                        )
                elif row.attempts >= MAX_ATTEMPTS:
                    await outbox.mark_failed(
                        session, row_id, delivery.error or "", OutboxState.DEAD
                    )
                else:
                    wait = delivery.retry_after or backoff(row.attempts)
                    await outbox.mark_retry(
                        session, row_id, delivery.error or "", now + timedelta(seconds=wait)
                    )
