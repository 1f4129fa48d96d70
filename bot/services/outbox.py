"""The outbox: one row per message to one chat, claimed before sending, never sent twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, bindparam, cast, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.channels.base import Outbound, menu_of
from bot.channels.limits import shows_numbered_choices
from bot.services import choices
from bot.services.inbox import update_name
from db.engine import rowcount
from db.models import ChatAccount, OutboxMessage, OutboxState
from db.upsert import insert_new

REPLY_PREFIX = "reply:"  # dedupe keys of answers to what a person just did (see bot.processor)


def answered_update(dedupe_key: str) -> str | None:
    """The update (as logs name it) a reply answers; None for an unprompted message."""
    if not is_reply(dedupe_key):
        return None
    channel, _, rest = dedupe_key.removeprefix(REPLY_PREFIX).partition(":")
    update_key = rest.partition(":")[0]
    return update_name(channel, int(update_key)) if update_key.isdecimal() else None


def is_reply(dedupe_key: str) -> bool:
    """Whether a queued message answers a person's own action rather than being unprompted."""
    return dedupe_key.startswith(REPLY_PREFIX)


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
    await insert_new(session, OutboxMessage, [row], ["dedupe_key"])
    await _remember_choices(session, [(channel, chat_key, message)], now)


async def _remember_choices(
    session: AsyncSession, messages: list[tuple[str, str, Outbound]], now: datetime
) -> None:
    """Where choices are numbered lines, a chat's numbers mean the choices of its latest
    message that had any, until an edit withdraws them.

    A new message without choices (a refusal, "please send a date or choose Skip", a
    reminder) leaves the earlier numbering answerable, as a Telegram message's buttons stay
    pressable under later messages; an edit without choices is the bot taking its buttons
    away (a step done). Kept in the transaction that queues the message, so an answer typed
    the moment the message arrives already finds its numbering.
    """
    latest = {
        (channel, chat): message
        for channel, chat, message in messages
        if shows_numbered_choices(channel)
        and (message.choices or message.edit_message_id is not None)
    }
    for (channel, chat_key), message in latest.items():
        labels, payloads = menu_of(message)
        menu = choices.Menu(tuple(labels), tuple(payloads))
        await choices.remember(session, channel, chat_key, menu, now)


@dataclass(frozen=True)
class Envelope:
    """A message addressed to one chat, with the key that makes queueing it idempotent."""

    dedupe_key: str
    channel: str
    chat_key: str
    message: Outbound


async def enqueue_many(
    session: AsyncSession, envelopes: list[Envelope], now: datetime, chunk: int = 500
) -> int:
    """Queue many messages in a few statements; keys already queued are skipped.

    `now` is when they may go (and were queued); the count is of the new ones only.
    """
    new = 0
    for start in range(0, len(envelopes), chunk):
        rows = [
            {
                "dedupe_key": e.dedupe_key,
                "channel": e.channel,
                "chat_key": e.chat_key,
                "payload": e.message.to_payload(),
                "state": OutboxState.PENDING,
                "attempts": 0,
                "not_before": now,
                "created_at": now,
            }
            for e in envelopes[start : start + chunk]
        ]
        new += await insert_new(session, OutboxMessage, rows, ["dedupe_key"])
    await _remember_choices(session, [(e.channel, e.chat_key, e.message) for e in envelopes], now)
    return new


async def due(
    session: AsyncSession,
    now: datetime,
    limit: int = 100,
    skip: Collection[tuple[str, str]] = (),
) -> list[tuple[int, str, str]]:
    """Pending messages whose time has come, oldest first, as (id, channel, chat).

    Chats in `skip` (busy ones) are left out, and so is any message queued behind an
    earlier message of its chat that still waits for a retry or is being sent (by any
    instance): each chat gets its messages in order.
    """
    earlier = aliased(OutboxMessage)
    waiting_before = (
        select(col(earlier.id))
        .where(
            or_(
                col(earlier.state) == OutboxState.SENDING,
                and_(col(earlier.state) == OutboxState.PENDING, col(earlier.not_before) > now),
            ),
            col(earlier.channel) == OutboxMessage.channel,
            col(earlier.chat_key) == OutboxMessage.chat_key,
            col(earlier.id) < OutboxMessage.id,
        )
        .exists()
    )
    statement = select(
        col(OutboxMessage.id), col(OutboxMessage.channel), col(OutboxMessage.chat_key)
    ).where(
        col(OutboxMessage.state) == OutboxState.PENDING,
        col(OutboxMessage.not_before) <= now,
        ~waiting_before,
    )
    by_channel: dict[str, list[str]] = defaultdict(list)
    for channel, chat in skip:
        by_channel[channel].append(chat)
    for channel, chats in by_channel.items():
        statement = statement.where(
            ~and_(col(OutboxMessage.channel) == channel, col(OutboxMessage.chat_key).in_(chats))
        )
    rows = await session.execute(statement.order_by(col(OutboxMessage.id)).limit(limit))
    return [(i, channel, chat) for i, channel, chat in rows.all()]


@dataclass(frozen=True)
class Claimed:
    """An outbox message claimed for sending (state `sending`), as the dispatcher needs it."""

    id: int
    dedupe_key: str
    channel: str
    chat_key: str
    payload: dict[str, Any]
    attempts: int
    created_at: datetime


async def claim(session: AsyncSession, ids: list[int], now: datetime) -> list[Claimed]:
    """Move pending messages to sending in one statement; those another sender took are left out.

    So is a message whose chat has an earlier one still unsent outside this claim: the ids
    were read before the claim, and meanwhile another dispatcher may have claimed the
    chat's earlier messages (sending the later one now would overtake them).
    """
    if not ids:
        return []
    # On the table, returning plain rows: the ORM's UPDATE … RETURNING of whole objects
    # (compile state, loading each row as an object) cost more than the statement.
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    chosen: Any = select(table.c.id).where(
        table.c.id.in_(ids), table.c.state == OutboxState.PENDING
    )
    if session.get_bind().dialect.name == "postgresql":
        # Rows another instance is claiming right now are skipped instead of waited for.
        taken = chosen.with_for_update(skip_locked=True).cte("taken")
        chosen = select(taken.c.id)
    earlier = table.alias("earlier")
    overtaking = (
        select(earlier.c.id)
        .where(
            earlier.c.channel == table.c.channel,
            earlier.c.chat_key == table.c.chat_key,
            earlier.c.id < table.c.id,
            earlier.c.state.in_([OutboxState.PENDING, OutboxState.SENDING]),
            earlier.c.id.not_in(chosen),
        )
        .exists()
    )
    claimed = await session.execute(
        update(table)
        .where(table.c.id.in_(chosen), table.c.state == OutboxState.PENDING, ~overtaking)
        .values(state=OutboxState.SENDING, attempts=table.c.attempts + 1, claimed_at=now)
        .returning(
            table.c.id,
            table.c.dedupe_key,
            table.c.channel,
            table.c.chat_key,
            table.c.payload,
            table.c.attempts,
            table.c.created_at,
        )
    )
    return sorted((Claimed(*row) for row in claimed.all()), key=lambda m: m.id)


async def record(session: AsyncSession, changes: list[dict[str, Any]]) -> None:
    """Write the outcome of many sends at once (each dict has the row's id and new values)."""
    # On the table, by id, one statement per set of changed columns: the ORM's bulk UPDATE
    # by primary key costs several times the statement itself.
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    for keys in {tuple(sorted(c)) for c in changes}:
        columns = [key for key in keys if key != "id"]
        statement = (
            update(table)
            .where(table.c.id == bindparam("changed_id"))
            .values({key: bindparam(f"new_{key}") for key in columns})
        )
        await session.execute(
            statement,
            [
                {"changed_id": c["id"], **{f"new_{key}": c[key] for key in columns}}
                for c in changes
                if tuple(sorted(c)) == keys
            ],
        )


async def renew(session: AsyncSession, ids: list[int], now: datetime) -> None:
    """Renew the hold on messages this process is still sending."""
    if ids:
        await session.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids), col(OutboxMessage.state) == OutboxState.SENDING)
            .values(claimed_at=now),
            execution_options={"synchronize_session": False},
        )


async def release_stuck(
    session: AsyncSession, now: datetime, lease: timedelta, keep: Collection[int] = ()
) -> int:
    """Messages whose sender stopped renewing its hold go back to pending (maybe sent twice).

    A hold renewed within `lease` belongs to a live dispatcher, perhaps another instance's,
    and is left alone; so are the messages in `keep`, which the caller itself is sending
    (its renewal may have waited longer than the lease for a busy database).
    """
    stale = or_(
        col(OutboxMessage.claimed_at).is_(None), col(OutboxMessage.claimed_at) < now - lease
    )
    mine = col(OutboxMessage.id).in_(sorted(keep))
    result = await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.state) == OutboxState.SENDING, stale, ~mine)
        .values(state=OutboxState.PENDING, not_before=now - timedelta(seconds=1), claimed_at=None)
    )
    return rowcount(result)


async def release_held(session: AsyncSession, channel: str, chat_key: str, now: datetime) -> int:
    """The person wrote again: the messages waiting for them go now; how many."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.channel) == channel,
            col(OutboxMessage.chat_key) == chat_key,
            col(OutboxMessage.state) == OutboxState.PENDING,
            col(OutboxMessage.not_before) > now,
        )
        .values(not_before=now),
        execution_options={"synchronize_session": False},
    )
    return rowcount(result)


async def follow_migration(session: AsyncSession, channel: str, old: str, new: str) -> None:
    """A chat moved to a new key: queued messages and the chat accounts follow it."""
    await session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.channel) == channel,
            col(OutboxMessage.chat_key) == old,
            col(OutboxMessage.state).in_([OutboxState.PENDING, OutboxState.SENDING]),
        )
        .values(chat_key=new),
        execution_options={"synchronize_session": False},
    )
    await session.execute(
        update(ChatAccount)
        .where(col(ChatAccount.channel) == channel, col(ChatAccount.chat_key) == old)
        .values(chat_key=new),
        execution_options={"synchronize_session": False},
    )


async def prune(session: AsyncSession, created_before: datetime) -> int:
    """Empty sent and dead messages created before the instant; their dedupe keys stay."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.state).in_([OutboxState.SENT, OutboxState.DEAD]),
            col(OutboxMessage.created_at) < created_before,
            cast(col(OutboxMessage.payload), String) != "{}",
        )
        .values(payload={})
    )
    return rowcount(result)
