"""Handling what arrived: each inbox update is handled in one transaction with its effect.

Updates of one chat are handled in order; different chats are handled concurrently. The
replies are written to the outbox in the same transaction that marks the update
processed, so a crash either loses the whole effect (and the update is handled again)
or keeps all of it (and the replies are still sent).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot import logs
from bot.channels.base import Channel, Inbound, Outbound
from bot.config import Settings
from bot.i18n import translator_for
from bot.services import choices, conversations, inbox, outbox
from bot.services.files.keeping import swap
from bot.services.inbox import update_name
from bot.services.people import accounts, reach, unreachable
from bot.services.text import clean_typed
from db.engine import Database
from db.models import Conversation
from handlers.router import route, takes_typed_answer
from handlers.turn import Exchange, Turn

log = logging.getLogger(__name__)
GIVE_UP_AFTER = 3
COLLECT_LIMIT = 500
Clock = Callable[[], datetime]


class InboundChannel(Channel, Protocol):
    """A channel that can also read its stored updates."""

    def parse(self, payload: dict[str, Any]) -> Inbound | None:
        """Turn a stored update into a neutral Inbound (None for kinds roviec ignores)."""
        ...


class Processor:
    """Takes updates from the inbox and handles them, chat by chat."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        channels: Mapping[str, InboundChannel],
        clock: Clock,
        on_replies: Callable[[], None] = lambda: None,
        prefetch: Callable[[int], Awaitable[dict[str, str]]] | None = None,
    ) -> None:
        self.db, self.settings, self.channels, self.clock = db, settings, channels, clock
        self.on_replies = on_replies
        # Before the transaction: fetch files whose links expire (URL → stored reference).
        self.prefetch = prefetch
        self._wake = asyncio.Event()
        self._seen: set[int] = set()
        self._queues: dict[str, deque[int]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(settings.workers)
        self._backlog = False

    def wake(self) -> None:
        """Something new is in the inbox."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Keep handling until told to stop, then let in-flight updates finish."""
        while not stop.is_set():
            self._wake.clear()
            await self._collect()
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waiters, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()
        if self._workers:
            await asyncio.gather(*self._workers, return_exceptions=True)

    async def drain(self) -> None:
        """Handle everything pending now (for the console, the CLI and tests)."""
        while True:
            await self._collect()
            if not self._workers:
                return
            await asyncio.gather(*list(self._workers), return_exceptions=True)

    async def _collect(self) -> None:
        async with self.db.read() as session:
            rows = await inbox.pending(session, COLLECT_LIMIT)
        self._backlog = len(rows) == COLLECT_LIMIT
        for inbox_id, channel, chat_key in rows:
            if inbox_id in self._seen:
                continue
            self._seen.add(inbox_id)
            key = f"{channel}:{chat_key}"
            queue = self._queues.setdefault(key, deque())
            queue.append(inbox_id)
            if len(queue) == 1:
                task = asyncio.create_task(self._work(key))
                self._workers.add(task)
                task.add_done_callback(self._workers.discard)

    async def _work(self, key: str) -> None:
        queue = self._queues[key]
        async with self._slots:
            while queue:
                inbox_id = queue[0]
                try:
                    await self.handle(inbox_id)
                except inbox.ChatBusy:
                    # Its turn is elsewhere: forget the chat's queue; a later collection
                    # (within a second) brings back whatever is still waiting, in order.
                    self._seen.difference_update(queue)
                    queue.clear()
                    break
                queue.popleft()
                self._seen.discard(inbox_id)
        if not queue:
            self._queues.pop(key, None)
        if self._backlog:
            self._wake.set()  # the last collection was a full page: there may be more

    async def handle(self, inbox_id: int) -> None:
        """Handle one update; on error count the attempt and, in the end, apologise."""
        now = self.clock()
        following = logs.following(None)
        try:
            kept = await self.prefetch(inbox_id) if self.prefetch is not None else {}
            turn = await self._handle_in_transaction(inbox_id, now, kept)
        except inbox.ChatBusy:
            raise  # not a failure: nothing was done
        except Exception as error:
            # The type only at ERROR: a database error's text quotes the values it was given.
            log.error(
                "update %s failed (%s)",
                inbox_id,
                type(error).__name__,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            await self._record_failure(inbox_id, repr(error), now)
            return
        finally:
            logs.reset(following)
        if turn is None:
            return
        self.on_replies()
        if turn.inbound.is_button:
            channel = self.channels[turn.inbound.channel]
            try:
                await channel.acknowledge_button(turn.inbound, turn.button_notice)
            except Exception:  # the spinner stops by itself; nothing is lost
                log.warning("could not answer button press %s", turn.inbound.callback_id)

    async def _handle_in_transaction(
        self, inbox_id: int, now: datetime, kept: Mapping[str, str]
    ) -> Exchange | None:
        async with self.db.transaction(brief=True) as session:
            row = await inbox.take(session, inbox_id, now)  # marked processed, if it commits
            if row is None:
                return None
            logs.following(update_name(row.channel, row.update_key))  # until handle() resets
            inbound = _cleaned(swap(self.channels[row.channel].parse(row.payload), kept))
            if inbound is None:
                return None
            # The account, its official and its conversation in one query (a stranger has none).
            found = await conversations.identify_and_load(
                session, inbound.channel, inbound.user_key, now
            )
            identity = found[0] if found is not None else None
            if identity is not None:  # writing to the bot shows it is no longer blocked
                if unreachable.mark_reachable(session, identity.account, now):
                    account = identity.account
                    await outbox.release_held(session, account.channel, account.chat_key, now)
                reach.note_seen(identity.account, now)
            locale = identity.official.locale if identity and identity.official.locale else None
            today = now.astimezone(self.settings.zone).date()
            t = translator_for(locale or inbound.language, self.settings.locale, self.settings.zone)
            turn: Exchange
            if found is None:  # a stranger: the router lets them use /start only
                turn = Exchange(
                    inbound=await self._read_choice(session, inbound, None),
                    session=session,
                    now=now,
                    today=today,
                    settings=self.settings,
                    t=t,
                )
            else:
                identity, conversation = found
                turn = Turn(
                    inbound=await self._read_choice(session, inbound, conversation),
                    session=session,
                    now=now,
                    today=today,
                    settings=self.settings,
                    t=t,
                    identity=identity,
                    conversation=conversation,
                )
            await route(turn)
            secret = accounts.code_in(inbound.text)
            if secret is not None:
                await inbox.forget_secret(session, row, secret)
            inbound = turn.inbound
            prefix = f"reply:{inbound.channel}:{inbound.update_key}"
            # One INSERT for the replies and notices together, in this order (a chat gets
            # its messages by id): one statement per message was a large share of the CPU.
            envelopes = [
                outbox.Envelope(f"{prefix}:{index}", inbound.channel, inbound.chat_key, message)
                for index, message in enumerate(turn.replies)
            ] + [
                outbox.Envelope(n.dedupe_key, n.account.channel, n.account.chat_key, n.message)
                for n in turn.notices
            ]
            if envelopes:
                await outbox.enqueue_many(session, envelopes, now)
            log.debug("handled: %d reply(ies), %d notice(s)", len(turn.replies), len(turn.notices))
            return turn

    async def _read_choice(
        self, session: AsyncSession, inbound: Inbound, conversation: Conversation | None
    ) -> Inbound:
        """On a channel without buttons, "2" (or a label) typed is the choice shown last."""
        channel = self.channels[inbound.channel]
        if not channel.numbered_choices or inbound.is_button or inbound.command:
            return inbound
        if not inbound.text or inbound.attachments:  # a file's caption is no choice
            return inbound
        menu = await choices.last_shown(session, inbound.channel, inbound.chat_key)
        if menu is None:
            return inbound
        payload = choices.pick(
            menu, inbound.text, numbers_are_data=takes_typed_answer(conversation)
        )
        return inbound if payload is None else replace(inbound, payload=payload, text=None)

    async def _record_failure(self, inbox_id: int, error: str, now: datetime) -> None:
        async with self.db.transaction() as session:
            row = await inbox.record_failure(session, inbox_id, error, now, GIVE_UP_AFTER)
            if row is None or row.processed_at is None:
                return
            t = translator_for(None, self.settings.locale, self.settings.zone)
            await outbox.enqueue(
                session,
                dedupe_key=f"reply:{row.channel}:{row.update_key}:error",
                channel=row.channel,
                chat_key=row.chat_key,
                message=Outbound(
                    t._(
                        "Sorry, something went wrong with your last message. "
                        "Please try again, or send /huy to start over."
                    )
                ),
                now=now,
            )
        self.on_replies()


def _cleaned(inbound: Inbound | None) -> Inbound | None:
    """What a person sent with its text cleaned once, before anything reads or stores it."""
    if inbound is None or inbound.text is None:
        return inbound
    return replace(inbound, text=clean_typed(inbound.text))
