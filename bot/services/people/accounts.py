"""Who is writing: invitations, binding chat accounts to officials, and looking them up."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.config import SUPPORTED_LOCALES
from bot.services import audit, menus
from bot.services.people.identity import Identity
from db.engine import rowcount
from db.models import ChatAccount, Invitation, InvitationFailure, Official, Unit

CODE_BYTES = 16  # 128 bits
# What secrets.token_urlsafe(CODE_BYTES) looks like: 22 URL-safe characters.
_CODE = re.compile(r"[A-Za-z0-9_-]{22}")


class Redemption(StrEnum):
    """How an attempt to use an invitation code ended."""

    BOUND = "bound"
    ALREADY_BOUND = "already_bound"
    INVALID = "invalid"
    LOCKED_OUT = "locked_out"


def looks_like_code(text: str) -> bool:
    """Whether typed text is an invitation code on its own (as it is pasted from a letter)."""
    return _CODE.fullmatch(text.strip()) is not None


def code_in(text: str | None) -> str | None:
    """The invitation code a message carries: the argument of /start, or a bare code."""
    words = (text or "").split()
    if len(words) == 2 and words[0].partition("@")[0].lower() == "/start":
        return words[1]
    return words[0] if len(words) == 1 and looks_like_code(words[0]) else None


def hash_code(code: str) -> str:
    """The stored form of an invitation code."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


async def identify(session: AsyncSession, channel: str, user_key: str) -> Identity | None:
    """The official behind a chat account, or None for a stranger."""
    row = (
        await session.execute(
            select(ChatAccount, Official, Unit)
            .join(Official, col(Official.id) == ChatAccount.official_id)
            .join(Unit, col(Unit.id) == Official.unit_id)
            .where(col(ChatAccount.channel) == channel, col(ChatAccount.user_key) == user_key)
            .where(col(Official.active))
        )
    ).first()
    return Identity(*row) if row else None


async def issue_invitation(
    session: AsyncSession, official_id: int, now: datetime, ttl: timedelta
) -> str:
    """Create a one-time code for an official, revoking their older open ones; only its hash
    is kept."""
    await revoke_invitations(session, official_id, now)
    code = secrets.token_urlsafe(CODE_BYTES)
    session.add(
        Invitation(
            official_id=official_id, code_hash=hash_code(code), created_at=now, expires_at=now + ttl
        )
    )
    return code


async def revoke_invitations(session: AsyncSession, official_id: int, now: datetime) -> int:
    """End every unused, unexpired code of an official now (audited); how many there were."""
    result = await session.execute(
        update(Invitation)
        .where(
            col(Invitation.official_id) == official_id,
            col(Invitation.used_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(expires_at=now)
    )
    revoked = rowcount(result)
    if revoked:
        audit.record(
            session,
            now=now,
            action="invite.revoked",
            entity="official",
            entity_id=official_id,
            after={"revoked": revoked},
        )
    return revoked


async def redeem_invitation(
    session: AsyncSession,
    *,
    channel: str,
    user_key: str,
    chat_key: str,
    code: str,
    now: datetime,
    max_failures: int,
    lockout: timedelta,
    language: str | None = None,
) -> tuple[Redemption, Identity | None]:
    """Bind this chat account to the invited official, consuming the code exactly once.

    The platform's language of the person is remembered as the official's language when
    none is set, so that messages about others' actions reach them in it too.
    """
    existing = await identify(session, channel, user_key)
    if existing:
        return Redemption.ALREADY_BOUND, existing
    who = f"{channel}:{user_key}"
    failures = await session.scalar(
        select(func.count())
        .select_from(InvitationFailure)
        .where(
            col(InvitationFailure.channel) == channel, col(InvitationFailure.user_key) == user_key
        )
        .where(col(InvitationFailure.at) > now - lockout)
    )
    if (failures or 0) >= max_failures:
        audit.record(session, now=now, action="invite.locked_out", actor_account=who)
        return Redemption.LOCKED_OUT, None
    invitation = await session.scalar(
        select(Invitation).where(col(Invitation.code_hash) == hash_code(code))
    )
    consumed = False
    if invitation and invitation.expires_at > now:
        # The conditional update is the single point where a code is spent: two people
        # racing with the same code cannot both get rowcount 1.
        result = await session.execute(
            update(Invitation)
            .where(col(Invitation.id) == invitation.id, col(Invitation.used_at).is_(None))
            .values(used_at=now)
        )
        consumed = rowcount(result) == 1
    if not consumed:
        session.add(InvitationFailure(channel=channel, user_key=user_key, at=now))
        audit.record(session, now=now, action="invite.refused", actor_account=who)
        return Redemption.INVALID, None
    assert invitation is not None
    # An account left behind by a deactivated official is rebound rather than duplicated.
    account = await session.scalar(
        select(ChatAccount).where(
            col(ChatAccount.channel) == channel, col(ChatAccount.user_key) == user_key
        )
    )
    if account is None:
        account = ChatAccount(
            channel=channel,
            user_key=user_key,
            chat_key=chat_key,
            official_id=invitation.official_id,
            bound_at=now,
        )
        session.add(account)
    else:
        account.official_id, account.chat_key, account.bound_at = (
            invitation.official_id,
            chat_key,
            now,
        )
        account.unreachable_at = None
    await session.flush()
    invitation.used_by_account_id = account.id
    await menus.mark_chat(session, channel, chat_key, now)
    audit.record(
        session,
        now=now,
        action="invite.redeemed",
        actor_official_id=invitation.official_id,
        actor_account=who,
        entity="invitation",
        entity_id=invitation.id,
    )
    identity = await identify(session, channel, user_key)
    code_of_language = (language or "").split("-")[0].lower()
    if identity and identity.official.locale is None and code_of_language in SUPPORTED_LOCALES:
        identity.official.locale = code_of_language
    return Redemption.BOUND, identity
