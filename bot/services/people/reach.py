"""Which of an official's chat accounts a notice goes to: one rule for every notice.

An official may hold a Telegram and a Zalo account. A reply goes to the account that wrote;
a notice (a reminder, an alert, a digest, a directive, a decision told) goes to one account:
the one on the channel the official chose with /kenh, else the one they wrote from last
(the one bound last, if they never wrote). An account that cannot be reached (the person
blocked the bot) is passed over, so the notice falls back to the next one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.models import ChatAccount, Official

SEEN_RESOLUTION = timedelta(minutes=1)  # last_seen_at is written at most once a minute


def notice_account_id(official: Any = Official) -> Any:
    """A correlated subquery: the id of the account that reaches `official` (or NULL)."""
    candidate, owner = aliased(ChatAccount), aliased(Official)
    # The choice is read from the subquery's own join: SQLite resolves no outer column in
    # a subquery's ORDER BY.
    return (
        select(col(candidate.id))
        .join(owner, col(owner.id) == candidate.official_id)
        .where(col(candidate.official_id) == official.id, col(candidate.unreachable_at).is_(None))
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


def reaches(account: Any = ChatAccount, official: Any = Official) -> ColumnElement[bool]:
    """Whether `account` is the one a notice to `official` goes to (joined in the query)."""
    condition: ColumnElement[bool] = col(account.id) == notice_account_id(official)
    return condition


async def notice_accounts(session: AsyncSession, official_ids: list[int]) -> list[ChatAccount]:
    """The one account that reaches each of these officials, for those who have one."""
    if not official_ids:
        return []
    rows = await session.scalars(
        select(ChatAccount)
        .join(Official, col(Official.id) == ChatAccount.official_id)
        .where(col(Official.id).in_(official_ids), reaches())
        .order_by(col(ChatAccount.id))
    )
    return list(rows)


def note_seen(account: ChatAccount, now: datetime) -> None:
    """The official wrote from this account: notices follow them here (unless they chose)."""
    seen = account.last_seen_at
    if seen is None or now - seen >= SEEN_RESOLUTION:  # a write a minute tells which is used
        account.last_seen_at = now
