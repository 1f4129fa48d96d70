"""Which of an official's chat accounts a notice goes to: one rule for every notice.

An official may hold a Telegram and a Zalo account. A reply goes to the account that wrote;
a notice (a reminder, an alert, a digest, a directive, a decision told) goes to one account:
the one on the channel the official chose with /kenh, else the one they wrote from last
(the one bound last, if they never wrote). An account that cannot be reached (the person
blocked the bot) is passed over, so the notice falls back to the next one. While someone
stands in for the official (`bot.services.people.standins`), the notice goes to the
stand-in's account by that same rule instead.

A query joins the account by `reaches(now)` alone (never by `ChatAccount.official_id`),
so the account may be the stand-in's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.services import audit
from bot.services.people.identity import Identity
from bot.services.people.standins import addressee
from db.models import ChatAccount, Official

SEEN_RESOLUTION = timedelta(minutes=1)  # last_seen_at is written at most once a minute


def notice_account_id(now: datetime, official: Any = Official) -> Any:
    """A correlated subquery: the id of the account that reaches `official` at `now` (or NULL)."""
    candidate, owner = aliased(ChatAccount), aliased(Official)
    # The choice is read from the subquery's own join: SQLite resolves no outer column in
    # a subquery's ORDER BY.
    return (
        select(col(candidate.id))
        .join(owner, col(owner.id) == candidate.official_id)
        .where(
            col(candidate.official_id) == addressee(official, now),
            col(candidate.unreachable_at).is_(None),
        )
        .order_by(
            case((col(candidate.channel) == owner.notify_channel, 0), else_=1),
            col(candidate.last_seen_at).desc().nulls_last(),
            col(candidate.bound_at).desc(),
            col(candidate.id).desc(),
        )
        .limit(1)
        .correlate(official)
        .scalar_subquery()
    )


def reaches(
    now: datetime, account: Any = ChatAccount, official: Any = Official
) -> ColumnElement[bool]:
    """Whether `account` is the one a notice to `official` goes to at `now` (join on it)."""
    condition: ColumnElement[bool] = col(account.id) == notice_account_id(now, official)
    return condition


class Reached(NamedTuple):
    """An official a notice is meant for, and the account it goes to (a stand-in's, maybe)."""

    official_id: int
    account: ChatAccount


async def notice_accounts(
    session: AsyncSession, official_ids: list[int], now: datetime
) -> list[Reached]:
    """The one account that reaches each of these officials at `now`, for those who have one."""
    if not official_ids:
        return []
    rows = await session.execute(
        select(col(Official.id), ChatAccount)
        .join(Official, reaches(now))
        .where(col(Official.id).in_(official_ids))
        .order_by(col(ChatAccount.id), col(Official.id))
    )
    return [Reached(official_id, account) for official_id, account in rows.all()]


def note_seen(account: ChatAccount, now: datetime) -> None:
    """The official wrote from this account: notices follow them here (unless they chose)."""
    seen = account.last_seen_at
    if seen is None or now - seen >= SEEN_RESOLUTION:  # a write a minute tells which is used
        account.last_seen_at = now


async def accounts_held(session: AsyncSession, official_id: int) -> list[ChatAccount]:
    """Every account of the official, reachable or not, the oldest first."""
    rows = await session.scalars(
        select(ChatAccount)
        .where(col(ChatAccount.official_id) == official_id)
        .order_by(col(ChatAccount.bound_at), col(ChatAccount.id))
    )
    return list(rows)


async def choose_channel(
    session: AsyncSession, identity: Identity, channel: str | None, now: datetime
) -> bool:
    """Send the official's notices to `channel` (None: the account used last); audited.

    False, changing nothing, when the official holds no account on that channel.
    """
    official = identity.official
    if channel is not None and channel not in {
        a.channel for a in await accounts_held(session, official.id)
    }:
        return False
    before = official.notify_channel
    official.notify_channel = channel
    audit.record(
        session,
        now=now,
        action="notices.channel_chosen",
        actor_official_id=official.id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity="official",
        entity_id=official.id,
        before={"notify_channel": before},
        after={"notify_channel": channel},
    )
    return True


async def accounts_instead_of(
    session: AsyncSession, channel: str, chat_key: str, now: datetime
) -> list[ChatAccount]:
    """For the officials behind a chat that can no longer be reached, the accounts that
    reach them now (after it was marked unreachable): where its notices go instead."""
    lost = select(col(ChatAccount.official_id)).where(
        col(ChatAccount.channel) == channel, col(ChatAccount.chat_key) == chat_key
    )
    rows = await session.scalars(
        select(ChatAccount)
        .join(Official, reaches(now))
        .where(col(Official.id).in_(lost), col(Official.active))
        .order_by(col(ChatAccount.id))
        .distinct()
    )
    return [a for a in rows if (a.channel, a.chat_key) != (channel, chat_key)]
