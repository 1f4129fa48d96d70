"""Answers to a directive (phản hồi): a recipient replies with text or a file, the sender
hears of it at once and sees the replies by unit; /chidao lists recent directives.

Only a recipient of the directive may reply (refused and audited otherwise); a reply also
counts as "Received". Replies are kept with the directive, audited, never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.directives.acknowledgement import acknowledge
from bot.services.directives.issuing import refuse
from bot.services.directives.tracking import Status, statuses
from bot.services.directives.views import DirectiveView, find
from bot.services.files import keeping
from bot.services.people.identity import Identity
from bot.services.people.reach import notice_accounts
from db.models import (
    ChatAccount,
    Directive,
    DirectiveReceipt,
    DirectiveReply,
    Official,
    Unit,
)

MAX_REPLY = 3000
RECENT = 5  # directives /chidao lists


@dataclass(frozen=True)
class Reply:
    """One stored reply with who sent it, for the sender's notice and the list."""

    directive_code: str
    unit_name: str
    official_name: str
    text: str | None
    attachment_kind: str | None
    attachment_name: str | None
    created_at: datetime
    id: int = 0
    unit_id: int = 0


@dataclass(frozen=True)
class Recorded:
    """A reply just stored, and the sender's accounts to tell."""

    reply: Reply
    sender_accounts: tuple[ChatAccount, ...]
    sender_locale: str | None


async def replying_to(
    session: AsyncSession, identity: Identity, directive_id: int, now: datetime
) -> DirectiveView | None:
    """The directive, if this person is one of its recipients; else refused and audited."""
    receipt = await _receipt(session, identity, directive_id)
    view = await find(session, directive_id) if receipt is not None else None
    if view is None:
        refuse(session, identity, now, f"reply to directive {directive_id}: not a recipient")
    return view


async def record(
    session: AsyncSession,
    identity: Identity,
    directive_id: int,
    *,
    text: str | None,
    attachment: tuple[str, str, str | None] | None,
    now: datetime,
) -> Recorded | None:
    """Store a reply (text, and/or a file as (kind, reference, name)) and count it as
    "Received"; None, refused and audited, if this person is not a recipient."""
    receipt = await _receipt(session, identity, directive_id)
    view = await find(session, directive_id) if receipt is not None else None
    if receipt is None or view is None:
        refuse(session, identity, now, f"reply to directive {directive_id}: not a recipient")
        return None
    kind, reference, name = attachment if attachment is not None else (None, None, None)
    row = DirectiveReply(
        directive_id=directive_id,
        receipt_id=receipt.id or 0,
        official_id=identity.official.id or 0,
        unit_id=receipt.unit_id,
        text=text,
        attachment_kind=kind,
        attachment_file_id=reference,
        attachment_name=name,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    await keeping.keep(session, reference)  # a file kept from Zalo stays with the reply
    await acknowledge(session, identity, directive_id, now)
    audit.record(
        session,
        now=now,
        action="directive.replied",
        actor_official_id=identity.official.id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity="directivereply",
        entity_id=row.id,
        after={"directive": view.code, "text": bool(text), "attachment": kind},
    )
    sender = await session.get(Official, await _sender_id(session, directive_id))
    reached = await notice_accounts(session, [sender.id or 0], now) if sender else []
    accounts = [r.account for r in reached]
    reply = Reply(view.code, identity.unit.name, identity.official.name, text, kind, name, now)
    return Recorded(reply, tuple(accounts), sender.locale if sender else None)


async def replies_by_unit(
    session: AsyncSession, directive_id: int, unit_id: int | None = None
) -> list[Reply]:
    """Every reply to the directive (of one unit, if given), by unit, oldest first in a unit."""
    only = [] if unit_id is None else [col(DirectiveReply.unit_id) == unit_id]
    rows = await session.execute(
        select(DirectiveReply, col(Unit.name), col(Official.name), col(Directive.code))
        .join(Unit, col(Unit.id) == DirectiveReply.unit_id)
        .join(Official, col(Official.id) == DirectiveReply.official_id)
        .join(Directive, col(Directive.id) == DirectiveReply.directive_id)
        .where(col(DirectiveReply.directive_id) == directive_id, *only)
        .order_by(col(Unit.name), col(DirectiveReply.created_at), col(DirectiveReply.id))
    )
    return [
        Reply(
            code,
            unit,
            name,
            r.text,
            r.attachment_kind,
            r.attachment_name,
            r.created_at,
            r.id or 0,
            r.unit_id,
        )
        for r, unit, name, code in rows.all()
    ]


async def reply_counts(
    session: AsyncSession, directive_ids: list[int]
) -> dict[int, dict[int, int]]:
    """How many replies each unit sent to each directive: directive → unit → replies."""
    if not directive_ids:
        return {}
    rows = await session.execute(
        select(col(DirectiveReply.directive_id), col(DirectiveReply.unit_id), func.count())
        .where(col(DirectiveReply.directive_id).in_(directive_ids))
        .group_by(col(DirectiveReply.directive_id), col(DirectiveReply.unit_id))
    )
    counts: dict[int, dict[int, int]] = {}
    for directive, unit, count in rows.all():
        counts.setdefault(directive, {})[unit] = int(count)
    return counts


async def replied_units(session: AsyncSession, directive_ids: list[int]) -> dict[int, int]:
    """How many units replied to each directive (those with at least one reply)."""
    counts = await reply_counts(session, directive_ids)
    return {directive: len(units) for directive, units in counts.items()}


async def recent(session: AsyncSession, limit: int = RECENT) -> list[tuple[Status, int]]:
    """The latest directives with their counts and how many units replied, newest first."""
    ids = list(
        await session.scalars(
            select(col(Directive.id)).order_by(col(Directive.id).desc()).limit(limit)
        )
    )
    found = {s.directive_id: s for s in await statuses(session, ids)}
    replied = await replied_units(session, ids)
    return [(found[i], replied.get(i, 0)) for i in ids if i in found]


async def _receipt(
    session: AsyncSession, identity: Identity, directive_id: int
) -> DirectiveReceipt | None:
    """This person's receipt of the directive, if they are a recipient."""
    return await session.scalar(
        select(DirectiveReceipt).where(
            col(DirectiveReceipt.directive_id) == directive_id,
            col(DirectiveReceipt.official_id) == identity.official.id,
        )
    )


async def _sender_id(session: AsyncSession, directive_id: int) -> int:
    """Who sent the directive."""
    return int(
        await session.scalar(
            select(col(Directive.sender_id)).where(col(Directive.id) == directive_id)
        )
        or 0
    )
