"""Staff changes: an official leaves the working group, or moves to another unit or role.

Work that named the official (`Assignment.focal_official_id`) goes back to the unit's focal
list, so reminders reach whoever is focal there now. A person who left holds no chat
account and no open invitation code; writing to the bot they are a stranger again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.i18n import N_
from bot.services import audit, menus
from bot.services.outbox import REPLY_PREFIX
from bot.services.people.accounts import revoke_invitations
from bot.services.people.directory import DirectoryError, official_with_unit, unit_by_code
from db.models import (
    Assignment,
    ChatAccount,
    Conversation,
    Invitation,
    Official,
    OutboxMessage,
    OutboxState,
    Role,
    StandIn,
)


@dataclass(frozen=True)
class Change:
    """What a staff change did: the official and the assignments given back to their unit."""

    official: Official
    unit_code: str
    released: list[int]
    accounts: int = 0
    codes: int = 0


@dataclass(frozen=True)
class Member:
    """An active official of a unit, as a choice."""

    id: int
    name: str
    role: str


async def members(session: AsyncSession, unit_id: int) -> list[Member]:
    """The unit's active officials, by role then name."""
    rows = await session.execute(
        select(col(Official.id), col(Official.name), col(Official.role))
        .where(col(Official.unit_id) == unit_id, col(Official.active))
        .order_by(col(Official.role), col(Official.name), col(Official.id))
    )
    return [Member(i, n, r) for i, n, r in rows.all()]


async def deactivate(
    session: AsyncSession,
    official_id: int,
    now: datetime,
    actor: str = "cli",
    actor_official_id: int | None = None,
) -> Change:
    """Take an official off the roster: accounts unbound, codes revoked, work released."""
    official, unit = await official_with_unit(session, official_id)
    if not official.active:
        raise DirectoryError(N_("official {id} is not active"), id=official_id)
    official.active = False
    await menus.mark_official(session, official_id, now)  # before the accounts go
    accounts = await _unbind(session, official_id)
    codes = await revoke_invitations(session, official_id, now)
    released = await _release(session, official_id)
    await _end_stand_ins(session, official_id, now)
    audit.record(
        session,
        now=now,
        action="official.deactivated",
        actor_official_id=actor_official_id,
        actor_account=actor,
        entity="official",
        entity_id=official_id,
        before={"active": True},
        after={
            "active": False,
            "accounts_unbound": accounts,
            "codes_revoked": codes,
            "assignments_released": released,
        },
    )
    return Change(official, unit.code, released, accounts, codes)


async def move(
    session: AsyncSession,
    official_id: int,
    *,
    unit_code: str,
    role: str | None,
    now: datetime,
    actor: str = "cli",
) -> Change:
    """Move an official to another unit (and role); the old unit's work that named them is
    released to its focal list."""
    official, old_unit = await official_with_unit(session, official_id)
    if not official.active:
        raise DirectoryError(N_("official {id} is not active"), id=official_id)
    if role is not None and role not in {r.value for r in Role}:
        raise DirectoryError(
            N_("unknown role '{role}'; use one of {roles}"),
            role=role,
            roles=", ".join(r.value for r in Role),
        )
    unit = await unit_by_code(session, unit_code)
    if unit is None:
        raise DirectoryError(N_("no unit with code '{code}'"), code=unit_code)
    new_role = role or official.role
    if unit.id == old_unit.id and new_role == official.role:
        raise DirectoryError(
            N_("official {id} is already {role} of {unit}"),
            id=official_id,
            role=new_role,
            unit=unit_code,
        )
    before = {"unit": old_unit.code, "role": official.role}
    official.unit_id, official.role = unit.id, new_role
    await menus.mark_official(session, official_id, now)
    # Work named them as focal officer of their unit: not theirs in another unit or role.
    released = await _release(session, official_id)
    audit.record(
        session,
        now=now,
        action="official.moved",
        actor_account=actor,
        entity="official",
        entity_id=official_id,
        before=before,
        after={"unit": unit.code, "role": new_role, "assignments_released": released},
    )
    return Change(official, unit.code, released)


async def _unbind(session: AsyncSession, official_id: int) -> int:
    """Delete the official's chat accounts (the codes they used keep no link to them), their
    drafts, and the notices still waiting to go to them."""
    held = list(
        await session.scalars(
            select(ChatAccount).where(col(ChatAccount.official_id) == official_id)
        )
    )
    ids = [account.id for account in held]
    if not ids:
        return 0
    for account in held:
        await session.execute(
            delete(Conversation).where(
                col(Conversation.channel) == account.channel,
                col(Conversation.user_key) == account.user_key,
            )
        )
        shared = select(col(ChatAccount.id)).where(
            col(ChatAccount.channel) == account.channel,
            col(ChatAccount.chat_key) == account.chat_key,
            col(ChatAccount.official_id) != official_id,
        )
        await session.execute(
            delete(OutboxMessage).where(
                col(OutboxMessage.channel) == account.channel,
                col(OutboxMessage.chat_key) == account.chat_key,
                col(OutboxMessage.state).in_([OutboxState.PENDING, OutboxState.FAILED]),
                col(OutboxMessage.dedupe_key).not_like(f"{REPLY_PREFIX}%"),
                ~shared.exists(),
            )
        )
    await session.execute(
        update(Invitation)
        .where(col(Invitation.used_by_account_id).in_(ids))
        .values(used_by_account_id=None)
    )
    await session.execute(delete(ChatAccount).where(col(ChatAccount.id).in_(ids)))
    return len(ids)


async def _release(session: AsyncSession, official_id: int) -> list[int]:
    """Assignments that named the official go back to their unit's focal list."""
    ids = sorted(
        await session.scalars(
            select(col(Assignment.id)).where(col(Assignment.focal_official_id) == official_id)
        )
    )
    if ids:
        await session.execute(
            update(Assignment).where(col(Assignment.id).in_(ids)).values(focal_official_id=None)
        )
    return ids


async def _end_stand_ins(session: AsyncSession, official_id: int, now: datetime) -> None:
    """Stand-ins by or for an official who leaves end now."""
    await session.execute(
        update(StandIn)
        .where(
            (col(StandIn.official_id) == official_id) | (col(StandIn.stand_in_id) == official_id),
            col(StandIn.ends_at) > now,
        )
        .values(ends_at=now)
    )
