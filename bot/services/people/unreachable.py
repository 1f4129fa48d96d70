"""Recipients the bot can no longer reach (they blocked it), and who must be told about them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.people.reach import reaches
from db.models import ChatAccount, Official, Role, Unit


@dataclass(frozen=True)
class LostContact:
    """An official whose chat account has just become unreachable."""

    account_id: int
    channel: str
    chat_key: str
    name: str
    unit: str


@dataclass(frozen=True)
class StandingRecipient:
    """A reachable chat account of a standing officer, with their language."""

    account_id: int
    channel: str
    chat_key: str
    locale: str | None


def mark_reachable(session: AsyncSession, account: ChatAccount, now: datetime) -> bool:
    """Someone who had blocked the bot wrote to it again: reminders and notices resume;
    whether the account had been unreachable."""
    if account.unreachable_at is None:
        return False
    audit.record(
        session,
        now=now,
        action="account.reachable",
        actor_official_id=account.official_id,
        actor_account=f"{account.channel}:{account.user_key}",
        entity="chataccount",
        entity_id=account.id,
        before={"unreachable_at": account.unreachable_at.isoformat()},
        after={"unreachable_at": None},
    )
    account.unreachable_at = None
    return True


async def mark_unreachable(
    session: AsyncSession, channel: str, chat_key: str, now: datetime
) -> list[LostContact]:
    """Mark this chat's accounts unreachable; the officials who were reachable until now."""
    # The conditional update decides who changed state: of two dispatchers that both met
    # the block, only one gets the account back, so the standing office is told once.
    changed = await session.execute(
        update(ChatAccount)
        .where(
            col(ChatAccount.channel) == channel,
            col(ChatAccount.chat_key) == chat_key,
            col(ChatAccount.unreachable_at).is_(None),
        )
        .values(unreachable_at=now)
        .returning(col(ChatAccount.id), col(ChatAccount.official_id)),
        execution_options={"synchronize_session": False},
    )
    account_of = {official_id: account_id for account_id, official_id in changed.all()}
    if not account_of:
        return []
    rows = await session.execute(
        select(col(Official.id), col(Official.name), col(Unit.name))
        .join(Unit, col(Unit.id) == Official.unit_id)
        .where(col(Official.id).in_(account_of))
        .order_by(col(Official.id))
    )
    return [
        LostContact(account_of[official_id], channel, chat_key, name, unit)
        for official_id, name, unit in rows.all()
    ]


async def standing_recipients(session: AsyncSession, now: datetime) -> list[StandingRecipient]:
    """Every reachable chat account of an active standing officer."""
    rows = await session.execute(
        select(
            col(ChatAccount.id),
            col(ChatAccount.channel),
            col(ChatAccount.chat_key),
            col(Official.locale),
        )
        .join(Official, reaches(now))
        .where(col(Official.role) == Role.STANDING, col(Official.active))
        .order_by(col(ChatAccount.id))
        .distinct()
    )
    return [StandingRecipient(*row) for row in rows.all()]
