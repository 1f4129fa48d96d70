"""Where each chat account is in a guided flow; kept in the database so a restart loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.people.identity import Identity
from db.models import ChatAccount, Conversation, Official, Unit


async def load(session: AsyncSession, channel: str, user_key: str, now: datetime) -> Conversation:
    """The account's conversation, created empty on first use."""
    conversation = await session.scalar(
        select(Conversation).where(
            col(Conversation.channel) == channel, col(Conversation.user_key) == user_key
        )
    )
    if conversation is None:
        conversation = Conversation(channel=channel, user_key=user_key, updated_at=now)
        session.add(conversation)
        await session.flush()
    return conversation


async def identify_and_load(
    session: AsyncSession, channel: str, user_key: str, now: datetime
) -> tuple[Identity, Conversation] | None:
    """The official behind a chat account and the account's conversation (created empty on
    first use), in one query; None for a stranger (as accounts.identify)."""
    row = (
        await session.execute(
            select(ChatAccount, Official, Unit, Conversation)
            .join(Official, col(Official.id) == ChatAccount.official_id)
            .join(Unit, col(Unit.id) == Official.unit_id)
            .outerjoin(
                Conversation,
                and_(
                    col(Conversation.channel) == ChatAccount.channel,
                    col(Conversation.user_key) == ChatAccount.user_key,
                ),
            )
            .where(col(ChatAccount.channel) == channel, col(ChatAccount.user_key) == user_key)
            .where(col(Official.active))
        )
    ).first()
    if row is None:
        return None
    account, official, unit, conversation = row
    if conversation is None:
        conversation = Conversation(channel=channel, user_key=user_key, updated_at=now)
        session.add(conversation)
        await session.flush()
    return Identity(account, official, unit), conversation


def move(
    conversation: Conversation,
    flow: str | None,
    step: str | None,
    draft: dict[str, Any],
    now: datetime,
) -> None:
    """Go to a step; the version changes so buttons shown for earlier steps become stale."""
    conversation.flow = flow
    conversation.step = step
    conversation.draft = dict(draft)
    conversation.version += 1
    conversation.updated_at = now


def finish(conversation: Conversation, now: datetime) -> None:
    """Leave any flow."""
    move(conversation, None, None, {}, now)
