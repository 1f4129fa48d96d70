"""Where each chat account is in a guided flow; kept in the database so a restart loses nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Conversation


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
