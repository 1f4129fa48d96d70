"""One directive's page: its receipts unit by unit, each recipient, and the replies in order.

A head sees it only if the own unit received it, and then only the own unit's receipts and
replies; the counts are those of the directives page (`unit_receipts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dashboard.directives import (
    DirectiveLine,
    UnitReceipts,
    line,
    received_by,
    unit_receipts,
)
from bot.services.directives.acknowledgement import registered_recipient
from bot.services.directives.replies import Reply, replies_by_unit
from db.models import Directive, DirectiveReceipt, DirectiveReply, Official

UNITS_PER_PAGE = 30  # units shown on one page of a directive (a directive may reach 5,000)

# A reply's file is kept by roviec (``stored:12``) when it came from Zalo, whose links expire;
# any other reference is Telegram's own file id, fetched from Telegram.
PLATFORM_FILES = "telegram"


@dataclass(frozen=True)
class Recipient:
    """One recipient of the directive: delivered and acknowledged when, registered or not."""

    unit_id: int
    official_name: str
    registered: bool
    delivered_at: datetime | None
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class DirectivePage:
    """The directive with its per-unit counts (all units), and one page of units with their
    recipients and replies."""

    directive: DirectiveLine
    units: tuple[UnitReceipts, ...]
    recipients: tuple[Recipient, ...]
    replies: tuple[Reply, ...]
    page: int
    pages: int

    def recipients_of(self, unit_id: int) -> tuple[Recipient, ...]:
        """The recipients in one unit."""
        return tuple(r for r in self.recipients if r.unit_id == unit_id)

    def replies_of(self, unit_id: int) -> tuple[Reply, ...]:
        """The replies of one unit, oldest first."""
        return tuple(r for r in self.replies if r.unit_id == unit_id)


@dataclass(frozen=True)
class ReplyFile:
    """The file attached to a reply, and the unit that sent it (to authorise)."""

    reply_id: int
    unit_id: int
    channel: str
    file_id: str
    kind: str
    name: str | None


async def received(session: AsyncSession, directive_id: int, unit_id: int | None) -> bool | None:
    """Whether the directive reached the unit (any unit, if None); None if there is no such
    directive."""
    if await session.get(Directive, directive_id) is None:
        return None
    found = await session.scalar(
        select(col(Directive.id)).where(col(Directive.id) == directive_id, *received_by(unit_id))
    )
    return found is not None


async def directive_page(
    session: AsyncSession, directive_id: int, unit_id: int | None = None, page: int = 0
) -> DirectivePage | None:
    """One page of the directive's units (the unit's part only, if given), or None if there
    is no such directive."""
    row = (
        await session.execute(
            select(Directive, col(Official.name))
            .join(Official, col(Official.id) == Directive.sender_id)
            .where(col(Directive.id) == directive_id)
        )
    ).first()
    if row is None:
        return None
    directive, sender = row
    units = (await unit_receipts(session, [directive_id], unit_id)).get(directive_id, [])
    pages = max(1, -(-len(units) // UNITS_PER_PAGE))
    page = max(0, min(page, pages - 1))
    shown = units[page * UNITS_PER_PAGE : (page + 1) * UNITS_PER_PAGE]
    only = [col(DirectiveReceipt.unit_id).in_([u.unit_id for u in shown])]
    people = await session.execute(
        select(
            col(DirectiveReceipt.unit_id),
            col(Official.name),
            registered_recipient(),
            col(DirectiveReceipt.delivered_at),
            col(DirectiveReceipt.acknowledged_at),
        )
        .join(Official, col(Official.id) == DirectiveReceipt.official_id)
        .where(col(DirectiveReceipt.directive_id) == directive_id, *only)
        .order_by(col(Official.name), col(DirectiveReceipt.id))
    )
    replies: list[Reply] = []
    for replied in (u for u in shown if u.replies):
        replies.extend(await replies_by_unit(session, directive_id, replied.unit_id))
    return DirectivePage(
        line(directive, sender, units),
        tuple(shown),
        tuple(Recipient(u, n, bool(r), d, a) for u, n, r, d, a in people.all()),
        tuple(replies),
        page,
        pages,
    )


async def reply_file(session: AsyncSession, reply_id: int) -> ReplyFile | None:
    """The file attached to a reply, or None when it has none or does not exist."""
    reply = await session.get(DirectiveReply, reply_id)
    if reply is None or not reply.attachment_file_id or not reply.attachment_kind:
        return None
    return ReplyFile(
        reply_id,
        reply.unit_id,
        PLATFORM_FILES,
        reply.attachment_file_id,
        reply.attachment_kind,
        reply.attachment_name,
    )
