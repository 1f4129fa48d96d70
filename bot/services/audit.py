"""The audit log: every change and every refused attempt, with who and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people.identity import Identity
from db.models import AuditLog


def record(
    session: AsyncSession,
    *,
    now: datetime,
    action: str,
    actor_official_id: int | None = None,
    actor_account: str = "",
    entity: str = "",
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str | None = None,
) -> None:
    """Add one audit entry to the current transaction."""
    session.add(
        AuditLog(
            at=now,
            action=action,
            actor_official_id=actor_official_id,
            actor_account=actor_account,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
            detail=detail,
        )
    )


def refusal(
    session: AsyncSession,
    identity: Identity,
    *,
    now: datetime,
    action: str,
    detail: str,
    entity: str = "",
) -> None:
    """Record an attempt this person's role (or standing) does not allow."""
    record(
        session,
        now=now,
        action=action,
        actor_official_id=identity.official.id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity=entity,
        detail=detail[:500],
    )
