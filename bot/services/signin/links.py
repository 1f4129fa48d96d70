"""One-time sign-in links: issued by `/web`, used once within ten minutes to start a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.signin.tokens import hash_token, looks_like_token, new_token
from db.engine import rowcount
from db.models import Official, WebLink, WebSession

LINK_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class LinkRefused:
    """A link that opens nothing (audited); `reason`: unknown | used | expired | other_person
    | inactive."""

    reason: str


@dataclass(frozen=True)
class Started:
    """A session just started: the cookie's value (never stored) and whose it is."""

    token: str
    official_id: int
    expires_at: datetime


async def issue_link(
    session: AsyncSession, official_id: int, now: datetime, session_ttl: timedelta
) -> str:
    """A new one-time link token for an official; their open sessions are renewed too."""
    token = new_token()
    session.add(
        WebLink(
            official_id=official_id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + LINK_TTL,
        )
    )
    await session.execute(
        update(WebSession)
        .where(
            col(WebSession.official_id) == official_id,
            col(WebSession.ended_at).is_(None),
            col(WebSession.expires_at) > now,
        )
        .values(expires_at=now + session_ttl)
    )
    audit.record(session, now=now, action="dashboard.link_issued", actor_official_id=official_id)
    return token


async def link_role(session: AsyncSession, token: str, now: datetime) -> str | None:
    """The role of the active official a usable (unused, unexpired) link belongs to, or None;
    nothing is written (the link is only looked at)."""
    if not looks_like_token(token):
        return None
    return await session.scalar(
        select(col(Official.role))
        .join(WebLink, col(WebLink.official_id) == Official.id)
        .where(
            col(WebLink.token_hash) == hash_token(token),
            col(WebLink.used_at).is_(None),
            col(WebLink.expires_at) > now,
            col(Official.active),
        )
    )


def _refuse(
    session: AsyncSession, now: datetime, reason: str, link: WebLink | None, viewer_id: int | None
) -> LinkRefused:
    """Write the refusal to the audit log and return it."""
    audit.record(
        session,
        now=now,
        action="dashboard.link_refused",
        actor_official_id=viewer_id,
        actor_account="web",
        entity="weblink",
        entity_id=link.id if link else None,
        detail=reason if link is None else f"{reason}: link of official {link.official_id}",
    )
    return LinkRefused(reason)


async def redeem_link(
    session: AsyncSession,
    token: str,
    now: datetime,
    session_ttl: timedelta,
    signed_in_as: int | None = None,
) -> Started | LinkRefused:
    """Use a link once: a new session for its official; anything else is refused and audited.

    `signed_in_as` is the official this browser is already signed in as: opening someone
    else's link there is refused (the link stays unused).
    """
    link = None
    if looks_like_token(token):
        link = await session.scalar(
            select(WebLink).where(col(WebLink.token_hash) == hash_token(token))
        )
    if link is None:
        return _refuse(session, now, "unknown", None, signed_in_as)
    if link.used_at is not None:
        return _refuse(session, now, "used", link, signed_in_as)
    if link.expires_at <= now:
        return _refuse(session, now, "expired", link, signed_in_as)
    if signed_in_as is not None and signed_in_as != link.official_id:
        return _refuse(session, now, "other_person", link, signed_in_as)
    official = await session.get(Official, link.official_id)
    if official is None or not official.active:
        return _refuse(session, now, "inactive", link, signed_in_as)
    used = await session.execute(
        update(WebLink)
        .where(col(WebLink.id) == link.id, col(WebLink.used_at).is_(None))
        .values(used_at=now)
    )
    if rowcount(used) != 1:  # another request took it meanwhile
        return _refuse(session, now, "used", link, signed_in_as)
    cookie = new_token()
    started = WebSession(
        official_id=link.official_id,
        token_hash=hash_token(cookie),
        link_id=link.id,
        created_at=now,
        expires_at=now + session_ttl,
    )
    session.add(started)
    await session.flush()
    audit.record(
        session,
        now=now,
        action="dashboard.signed_in",
        actor_official_id=link.official_id,
        actor_account="web",
        entity="websession",
        entity_id=started.id,
    )
    return Started(cookie, link.official_id, started.expires_at)
