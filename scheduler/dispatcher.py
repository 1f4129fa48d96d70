"""Delivering the outbox: claim due messages, send them chat by chat, record what happened.

A message is claimed (pending → sending) before it is sent and marked sent after, so a
second dispatcher never sends it again; a crash between the two leaves it in `sending`,
and `recover` on the next start sends it once more (at most the in-flight messages can be
duplicated). A chat with a send in flight gets nothing new until that send is done, so
each chat receives its messages in order; other chats are not held up meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from bot.channels.base import Channel, Delivery, Outbound
from bot.services import outbox
from db.engine import Database
from db.models import ChatAccount, OutboxMessage, OutboxState

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BACKOFF_CAP_SECONDS = 300.0
IDLE_POLL_SECONDS = 0.5


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
        batch: int = 500,
        concurrency: int = 64,
    ) -> None:
        self.db, self.channels, self.clock = db, channels, clock
        self.batch = batch
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(concurrency)
        self._busy_chats: set[str] = set()
        self._sending: set[asyncio.Task[None]] = set()
        self._outcomes: list[tuple[OutboxMessage, Delivery]] = []

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
        """Deliver until told to stop; sends in flight are finished and recorded first."""
        while not stop.is_set():
            self._wake.clear()
            await self._record()
            if await self._start():
                continue
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(
                waiters, timeout=IDLE_POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED
            )
            for waiter in waiters:
                waiter.cancel()
        await self._finish_in_flight()

    async def drain(self) -> int:
        """Deliver everything due now and wait for it; the count handled."""
        total = 0
        while True:
            started = await self._start()
            total += started
            if not started and not self._sending:
                break
            await self._finish_in_flight()
        return total

    async def _finish_in_flight(self) -> None:
        if self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)
        await self._record()

    async def _start(self) -> int:
        """Claim due messages of idle chats and start sending them; the count started."""
        async with self.db.read() as session:
            due = await outbox.due(session, self.clock(), self.batch)
        ids = [i for i, chat in due if chat not in self._busy_chats]
        if not ids:
            return 0
        async with self.db.transaction() as session:
            claimed = await outbox.claim(session, ids)
        by_chat: dict[str, list[OutboxMessage]] = defaultdict(list)
        for message in claimed:
            by_chat[f"{message.channel}:{message.chat_key}"].append(message)
        for chat, rows in by_chat.items():
            self._busy_chats.add(chat)
            task = asyncio.create_task(self._send_chat(chat, rows))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return len(claimed)

    async def _send_chat(self, chat: str, rows: list[OutboxMessage]) -> None:
        """One chat's messages, in order; later ones wait if an earlier one must be retried."""
        try:
            async with self._slots:
                for index, row in enumerate(rows):
                    delivery = await self._deliver(row)
                    self._outcomes.append((row, delivery))
                    if not delivery.ok and not delivery.permanent:
                        later = Delivery(error="waiting for an earlier message", retry_after=0.5)
                        self._outcomes += [(r, later) for r in rows[index + 1 :]]
                        break
        finally:
            self._busy_chats.discard(chat)
            self._wake.set()

    async def _deliver(self, row: OutboxMessage) -> Delivery:
        channel = self.channels.get(row.channel)
        if channel is None:
            return Delivery(error=f"no channel {row.channel!r} in this process", retry_after=5)
        try:
            return await channel.deliver(row.chat_key, Outbound.from_payload(row.payload))
        except Exception as error:  # an adapter bug must not lose the message
            log.exception("delivering outbox message %s failed", row.id)
            return Delivery(error=repr(error))

    async def _record(self) -> None:
        """Write every finished send's outcome in one transaction."""
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        now = self.clock()
        changes = [_change(row, delivery, now) for row, delivery in outcomes]
        blocked = [row for row, delivery in outcomes if delivery.extra.get("blocked")]
        async with self.db.transaction() as session:
            await outbox.record(session, changes)
            for row in blocked:
                await session.execute(
                    update(ChatAccount)
                    .where(
                        ChatAccount.channel == row.channel,
                        ChatAccount.chat_key == row.chat_key,
                        ChatAccount.unreachable_at.is_(None),
                    )
                    .values(unreachable_at=now)
                )


def _change(row: OutboxMessage, delivery: Delivery, now: datetime) -> dict[str, Any]:
    """The row's new state after one delivery attempt."""
    if delivery.ok:
        return {
            "id": row.id,
            "state": OutboxState.SENT,
            "sent_at": now,
            "sent_message_id": delivery.message_id,
            "last_error": None,
        }
    error = (delivery.error or "")[:2000]
    if delivery.permanent:
        return {"id": row.id, "state": OutboxState.FAILED, "last_error": error}
    if row.attempts >= MAX_ATTEMPTS:
        return {"id": row.id, "state": OutboxState.DEAD, "last_error": error}
    wait = delivery.retry_after or backoff(row.attempts)
    return {
        "id": row.id,
        "state": OutboxState.PENDING,
        "last_error": error,
        "not_before": now + timedelta(seconds=wait),
    }
