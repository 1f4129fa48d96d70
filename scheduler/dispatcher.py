"""Delivering the outbox: claim due messages, send them chat by chat, record what happened.

A message is claimed (pending → sending) before it is sent and marked sent after, so a
second dispatcher never sends it again; a crash between the two leaves it in `sending`,
and `recover` on the next start sends it once more (at most the in-flight messages can be
duplicated). A chat with a send in flight gets nothing new until that send is done, so
each chat receives its messages in order; other chats are not held up meanwhile.

Sends keep the platform's rate limits (scheduler.ratelimit). Telegram's "too many
requests" is honoured: the message waits `retry_after`, and when the whole bot was too
fast every send pauses that long. Timeouts and server errors are retried with backoff;
a refusal (400) is not. Text longer than the platform allows goes out in parts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import logs
from bot.channels.base import Channel, Delivery, Outbound
from bot.config import Settings
from bot.services import instances, outbox
from bot.services.files.keeping import resolve
from db.engine import Database
from scheduler.outcomes import PARTS_SENT, Outcome, next_state
from scheduler.ratelimit import Limits, RateLimiter
from scheduler.unreachable import Lost, send_elsewhere, tell_standing_office

log = logging.getLogger(__name__)
IDLE_POLL_SECONDS = 0.5
CLAIM_TRIES = 5  # due messages another dispatcher took first: look again this many times
TELEGRAM = "telegram"  # the channel whose limits the settings describe

ChatRef = tuple[str, str]  # (channel, chat_key)


class Dispatcher:
    """Drains the outbox through the channels."""

    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Channel],
        clock: Callable[[], datetime],
        settings: Settings,
        *,
        limiters: Mapping[str, RateLimiter] | None = None,
        batch: int = 100,
        per_chat: int = 20,
        concurrency: int = 64,
    ) -> None:
        self.db, self.channels, self.clock, self.settings = db, channels, clock, settings
        if limiters is None:
            limiters = {TELEGRAM: RateLimiter(Limits.from_settings(settings))}
        self.limiters = dict(limiters)
        self.batch = batch  # most messages claimed and not yet finished
        self.per_chat = per_chat  # most messages of one chat claimed at a time
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(concurrency)
        self._busy_chats: set[ChatRef] = set()
        self._claimed = 0
        self._sending: set[asyncio.Task[None]] = set()
        self._outcomes: list[Outcome] = []
        self._held: set[int] = set()  # ids of the messages this process is sending
        self._last_renewal = clock()

    def wake(self) -> None:
        """New messages are waiting."""
        self._wake.set()

    async def recover(self) -> int:
        """Put back in the queue messages whose dispatcher died while sending them.

        Messages held by a live dispatcher (this one or another instance) are renewed by it
        and left alone; a hold not renewed for `outbox_lease_seconds` is a dead process's,
        unless this process holds it (a renewal that waited long for the database is late,
        and what it holds is still being sent, or sent and not yet recorded).
        """
        lease = timedelta(seconds=self.settings.outbox_lease_seconds)
        async with self.db.transaction() as session:
            count = await outbox.release_stuck(session, self.clock(), lease, keep=self._held)
            await self._share_limits(session)
        if count:
            log.warning("re-queued %d message(s) left in flight by a stopped process", count)
        return count

    async def _share_limits(self, session: AsyncSession) -> None:
        """Each platform's bot-wide limit, divided among the instances alive now."""
        names = {i.name for i in await instances.alive(session, self.clock())}
        count = len(names | {instances.this_instance()})
        for limiter in self.limiters.values():
            if limiter.instances != count:
                log.info("%d instance(s) share the send limits", count)
            limiter.share(count)

    async def _keep_holds(self) -> None:
        """Every third of the lease: renew this process's holds and take back dead ones."""
        now = self.clock()
        if now - self._last_renewal < timedelta(seconds=self.settings.outbox_lease_seconds / 3):
            return
        self._last_renewal = now
        async with self.db.transaction() as session:
            await outbox.renew(session, sorted(self._held), now)
        await self.recover()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until told to stop; sends in flight are finished and recorded first.

        Messages claimed but not yet sent when `stop` is set go back to the queue untried.
        """
        while not stop.is_set():
            self._wake.clear()
            await self._record()
            await self._keep_holds()
            if await self._start(stop):
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
            started = await self._start(None)
            total += started
            if not started and not self._sending:
                break
            await self._finish_in_flight()
        return total

    async def _finish_in_flight(self) -> None:
        if self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)
        await self._record()

    async def _start(self, stop: asyncio.Event | None) -> int:
        """Claim due messages of idle chats and start sending them; the count started."""
        for _ in range(CLAIM_TRIES):
            room = self.batch - self._claimed
            if room <= 0:
                return 0
            async with self.db.read() as session:
                due = await outbox.due(session, self.clock(), room, skip=self._busy_chats)
            ids = self._pick(due)
            if not ids:
                return 0
            async with self.db.transaction(brief=True) as session:
                claimed = await outbox.claim(session, ids, self.clock())
            if claimed:
                break
            # Another dispatcher claimed these first; others may still be due.
        else:
            return 0
        by_chat: dict[ChatRef, list[outbox.Claimed]] = {}
        for message in claimed:
            by_chat.setdefault((message.channel, message.chat_key), []).append(message)
        self._held.update(message.id or 0 for message in claimed)
        for chat, rows in by_chat.items():
            self._busy_chats.add(chat)
            self._claimed += len(rows)
            task = asyncio.create_task(self._send_chat(chat, rows, stop))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        return len(claimed)

    def _pick(self, due: list[tuple[int, str, str]]) -> list[int]:
        """The ids to claim: at most `per_chat` of any one chat, so no chat holds up the rest."""
        taken: dict[ChatRef, int] = {}
        ids = []
        for message_id, channel, chat_key in due:
            chat = (channel, chat_key)
            if taken.get(chat, 0) < self.per_chat:
                taken[chat] = taken.get(chat, 0) + 1
                ids.append(message_id)
        return ids

    async def _send_chat(
        self, chat: ChatRef, rows: list[outbox.Claimed], stop: asyncio.Event | None
    ) -> None:
        """One chat's messages, in order; later ones wait if an earlier one must be retried."""
        channel_name, chat_key = chat
        handled = 0
        try:
            for row in rows:
                outcome = await self._deliver(row, chat_key, stop)
                if outcome is None:  # stopping: this one and the rest go back untried
                    break
                self._outcomes.append(outcome)
                handled += 1
                if outcome.chat_key != chat_key:  # the chat moved; the rest follow it
                    chat_key = outcome.chat_key
                    self._busy_chats.add((channel_name, chat_key))
                delivery = outcome.delivery
                if delivery is not None and not delivery.ok and not delivery.permanent:
                    break
        finally:
            self._outcomes += [Outcome(row, None, chat_key) for row in rows[handled:]]
            self._claimed -= len(rows)
            self._busy_chats.discard(chat)
            self._busy_chats.discard((channel_name, chat_key))
            if self._claimed <= self.batch // 2:  # worth claiming more; else the poll will
                self._wake.set()

    async def _deliver(
        self, row: outbox.Claimed, chat_key: str, stop: asyncio.Event | None
    ) -> Outcome | None:
        """Send one outbox message (in parts if it is long); None if stopped before sending."""
        following = logs.following(outbox.answered_update(row.dedupe_key))
        try:
            return await self._deliver_parts(row, chat_key, stop)
        finally:
            logs.reset(following)

    async def _deliver_parts(
        self, row: outbox.Claimed, chat_key: str, stop: asyncio.Event | None
    ) -> Outcome | None:
        """The parts of one message, in order, resuming after the parts already sent."""
        channel = self.channels.get(row.channel)
        if channel is None:
            missing = Delivery(error=f"no channel {row.channel!r} in this process", retry_after=5)
            return Outcome(row, missing, chat_key)
        try:
            message = Outbound.from_payload(row.payload)
            limit = channel.max_text
            parts = message.split(limit) if limit else (message,)
        except Exception as error:  # a message that cannot be prepared never will be
            log.error(
                "outbox message %s cannot be prepared (%s)",
                row.id,
                type(error).__name__,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            unpreparable = Delivery(error=f"cannot be prepared: {type(error).__name__}")
            return Outcome(row, unpreparable, chat_key, unpreparable=True)
        try:  # a file roviec keeps goes as its bytes, whichever channel it came from
            parts = tuple([await resolve(self.db, part) for part in parts])
        except Exception as error:
            return Outcome(row, Delivery(error=type(error).__name__, retry_after=5), chat_key)
        done = int(row.payload.get(PARTS_SENT, 0))
        reply = outbox.is_reply(row.dedupe_key)
        delivery, moved = Delivery(), False
        while done < len(parts):
            answer = await self._send(channel, chat_key, parts[done], stop, reply)
            if answer is None:
                return Outcome(row, None, chat_key, done) if done else None
            delivery = answer
            if delivery.migrated_to and not moved:
                log.info("the chat of outbox message %s moved", row.id)
                chat_key, moved = delivery.migrated_to, True
                continue  # the same part again, to the chat's new key
            if not delivery.ok:
                break
            done += 1
        return Outcome(row, delivery, chat_key, done)

    async def _send(
        self,
        channel: Channel,
        chat_key: str,
        message: Outbound,
        stop: asyncio.Event | None,
        reply: bool,
    ) -> Delivery | None:
        """One message within the channel's limits; None if stopped while waiting for a turn."""
        limiter = self.limiters.get(channel.name)
        turn = limiter.acquire(chat_key, reply=reply) if limiter is not None else None
        if turn is not None and not await _unless_stopped(turn, stop):
            return None
        try:
            async with self._slots:
                delivery = await channel.deliver(chat_key, message)
        except Exception as error:  # an adapter bug must not lose the message
            # The type only: an exception's text may quote what the message says.
            log.error(
                "delivering on %s failed (%s)",
                channel.name,
                type(error).__name__,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            delivery = Delivery(error=type(error).__name__)
        finally:
            if limiter is not None:
                limiter.release(chat_key)
        if delivery.throttled and limiter is not None:
            wait = delivery.retry_after or 1.0
            if limiter.is_flood(chat_key, wait):
                log.warning("%s flood control: pausing every send for %ss", channel.name, wait)
                limiter.pause(wait)
        return delivery

    def _scale(self, channel: str) -> float:
        """Real seconds per second the channel speaks of (below 1 in fast tests)."""
        limiter = self.limiters.get(channel)
        return limiter.limits.time_scale if limiter is not None else 1.0

    async def _record(self) -> None:
        """Write every finished send's outcome in one transaction."""
        outcomes, self._outcomes = self._outcomes, []
        if not outcomes:
            return
        now = self.clock()
        changes = [next_state(o, now, self._scale(o.row.channel)) for o in outcomes]
        moved = {(o.row.channel, o.row.chat_key, o.chat_key) for o in outcomes}
        blocked = {
            (o.row.channel, o.chat_key)
            for o in outcomes
            if o.delivery is not None and o.delivery.extra.get("blocked")
        }
        held = {(o.row.channel, o.chat_key) for o in outcomes if o.delivery and o.delivery.held}
        async with self.db.transaction(brief=True) as session:
            await outbox.record(session, changes)
            for channel, old, new in moved:
                if old != new:
                    await outbox.follow_migration(session, channel, old, new)
            for channel, chat_key in sorted(blocked):
                await tell_standing_office(
                    session, self.settings, channel, chat_key, now, Lost.BLOCKED
                )
            for channel, chat_key in sorted(held - blocked):
                await tell_standing_office(
                    session, self.settings, channel, chat_key, now, Lost.SILENT
                )
            for outcome in outcomes:
                if (outcome.row.channel, outcome.chat_key) in blocked:
                    await send_elsewhere(session, outcome.row, outcome.chat_key, now)
        self._held.difference_update(o.row.id or 0 for o in outcomes)


async def _unless_stopped(waiting: Coroutine[Any, Any, None], stop: asyncio.Event | None) -> bool:
    """Await `waiting` unless `stop` is set first; whether it finished."""
    if stop is None:
        await waiting
        return True
    if stop.is_set():
        waiting.close()
        return False
    turn = asyncio.ensure_future(waiting)
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait([turn, stopped], return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if turn.done():
        return True
    turn.cancel()
    try:
        await turn
    except asyncio.CancelledError:
        # Our own cancellation must propagate, or a cancelled dispatcher would run on.
        current = asyncio.current_task()
        if current is not None and current.cancelling():
            raise
        return False
    return True  # it got its turn just as the stop came
