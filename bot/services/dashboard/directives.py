"""The directives page: each directive with delivered, acknowledged and replied per unit.

Replies are counted by `bot.services.directives.replies.reply_counts` (the count /chidao
shows); recipients registered on the bot are told apart from units where nobody is
registered (they cannot be reached), as the sender's "who has not acknowledged" list does.
A head sees only the directives the own unit received, and only the own unit's row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from bot.services.directives.acknowledgement import registered_recipient
from bot.services.directives.replies import reply_counts
from db.models import Directive, DirectiveReceipt, Official, Unit

PAGE_SIZE = 10


@dataclass(frozen=True)
class UnitReceipts:
    """One unit's recipients of a directive: how many, registered on the bot, delivered,
    acknowledged ("Đã nhận"), and the replies the unit sent."""

    unit_id: int
    unit_name: str
    recipients: int
    registered: int
    delivered: int
    acknowledged: int
    replies: int

    @property
    def reachable(self) -> bool:
        """Whether anyone of the unit is registered on the bot (so it could be reached)."""
        return self.registered > 0


@dataclass(frozen=True)
class DirectiveLine:
    """A directive with its sender and its receipts per unit."""

    directive_id: int
    code: str
    text: str
    sender_name: str
    created_at: datetime
    response_deadline: date | None
    attachment_name: str | None
    units: tuple[UnitReceipts, ...]

    @property
    def recipients(self) -> int:
        """Everyone it was sent to."""
        return sum(u.recipients for u in self.units)

    @property
    def delivered(self) -> int:
        """Receipts delivered."""
        return sum(u.delivered for u in self.units)

    @property
    def acknowledged(self) -> int:
        """Receipts acknowledged."""
        return sum(u.acknowledged for u in self.units)

    @property
    def replied(self) -> int:
        """Units that replied at least once."""
        return sum(1 for u in self.units if u.replies)


@dataclass(frozen=True)
class DirectivesPage:
    """One page of directives, newest first."""

    directives: tuple[DirectiveLine, ...]
    page: int
    pages: int


def received_by(unit_id: int | None) -> list[ColumnElement[bool]]:
    """The condition that a directive reached this unit (none for the whole province)."""
    if unit_id is None:
        return []
    reached = select(col(DirectiveReceipt.directive_id)).where(
        col(DirectiveReceipt.unit_id) == unit_id
    )
    return [col(Directive.id).in_(reached)]


async def unit_receipts(
    session: AsyncSession, directive_ids: list[int], unit_id: int | None = None
) -> dict[int, list[UnitReceipts]]:
    """Each directive's receipts per unit (of one unit, if given), by unit name."""
    if not directive_ids:
        return {}
    only = [] if unit_id is None else [col(DirectiveReceipt.unit_id) == unit_id]
    counted = await session.execute(
        select(
            col(DirectiveReceipt.directive_id),
            col(Unit.id),
            col(Unit.name),
            func.count(),
            func.sum(case((registered_recipient(), 1), else_=0)),
            func.count(col(DirectiveReceipt.delivered_at)),
            func.count(col(DirectiveReceipt.acknowledged_at)),
        )
        .join(Unit, col(Unit.id) == DirectiveReceipt.unit_id)
        .where(col(DirectiveReceipt.directive_id).in_(directive_ids), *only)
        .group_by(col(DirectiveReceipt.directive_id), col(Unit.id), col(Unit.name))
        .order_by(col(Unit.name))
    )
    replies = await reply_counts(session, directive_ids)
    receipts: dict[int, list[UnitReceipts]] = defaultdict(list)
    for directive_id, unit, name, total, registered, delivered, acked in counted:
        replied = replies.get(directive_id, {}).get(unit, 0)
        receipts[directive_id].append(
            UnitReceipts(
                unit, name, int(total), int(registered or 0), int(delivered), int(acked), replied
            )
        )
    return receipts


def line(directive: Directive, sender: str, units: list[UnitReceipts]) -> DirectiveLine:
    """A directive's line from its row, its sender's name and its receipts."""
    return DirectiveLine(
        directive.id or 0,
        directive.code,
        directive.text,
        sender,
        directive.created_at,
        directive.response_deadline,
        directive.attachment_name,
        tuple(units),
    )


async def directives_page(
    session: AsyncSession, page: int, unit_id: int | None = None
) -> DirectivesPage:
    """Newest directives first (those the unit received, if given), `PAGE_SIZE` to a page,
    each with its receipts per unit."""
    where = received_by(unit_id)
    total = int(
        await session.scalar(select(func.count()).select_from(Directive).where(*where)) or 0
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = max(0, min(page, pages - 1))
    rows = (
        await session.execute(
            select(Directive, col(Official.name))
            .join(Official, col(Official.id) == Directive.sender_id)
            .where(*where)
            .order_by(col(Directive.created_at).desc(), col(Directive.id).desc())
            .offset(page * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    ).all()
    receipts = await unit_receipts(session, [d.id for d, _ in rows], unit_id)
    return DirectivesPage(
        tuple(line(d, sender, receipts.get(d.id or 0, [])) for d, sender in rows),
        page,
        pages,
    )
