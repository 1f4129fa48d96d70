"""Dashboard sessions: who a browser is, looked up on every request, and signing out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.signin.tokens import hash_token, looks_like_token
from db.models import Official, Unit, WebSession


@dataclass(frozen=True)
class Viewer:
    """The official a browser is signed in as, with the unit that scopes what they see."""

    session_id: int
    official: Official
    unit: Unit

    @property
    def official_id(self) -> int:
        """The official's id."""
        return self.official.id or 0


async def viewer_of(session: AsyncSession, token: str | None, now: datetime) -> Viewer | None:
    """The signed-in official for a cookie, or None (no, unknown, ended or expired session,
    or an official who is no longer active)."""
    if not token or not looks_like_token(token):
        return None
    row = (
        await session.execute(
            select(WebSession, Official, Unit)
            .join(Official, col(Official.id) == WebSession.official_id)
            .join(Unit, col(Unit.id) == Official.unit_id)
            .where(
                col(WebSession.token_hash) == hash_token(token),
                col(WebSession.ended_at).is_(None),
                col(WebSession.expires_at) > now,
                col(Official.active),
            )
        )
    ).first()
    if row is None:
        return None
    web_session, official, unit = row
    return Viewer(web_session.id or 0, official, unit)


async def end_session(session: AsyncSession, token: str | None, now: datetime) -> bool:
    """Sign out: the session of this cookie ends now (whether it existed is returned)."""
    if not token or not looks_like_token(token):
        return False
    found = await session.scalar(
        select(WebSession).where(
            col(WebSession.token_hash) == hash_token(token), col(WebSession.ended_at).is_(None)
        )
    )
    if found is None:
        return False
    await session.execute(
        update(WebSession).where(col(WebSession.id) == found.id).values(ended_at=now)
    )
    audit.record(
        session,
        now=now,
        action="dashboard.signed_out",
        actor_official_id=found.official_id,
        actor_account="web",
        entity="websession",
        entity_id=found.id,
    )
    return True
