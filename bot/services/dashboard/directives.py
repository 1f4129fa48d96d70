"""The directives page: each directive with delivered and acknowledged receipts per unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Directive, DirectiveReceipt, Official, Unit

PAGE_SIZE = 10


@dataclass(frozen=True)
class UnitReceipts:
    """One unit's recipients of a directive: how many, delivered, acknowledged ("Đã nhận")."""

    unit_id: int
    unit_name: str
    recipients: int
    delivered: int
    acknowledged: int


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


@dataclass(frozen=True)
class DirectivesPage:
    """One page of directives, newest first."""

    directives: tuple[DirectiveLine, ...]
    page: int
    pages: int


async def directives_page(session: AsyncSession, page: int) -> DirectivesPage:
    """Newest directives first, `PAGE_SIZE` to a page, each with its receipts per unit."""
    total = int(await session.scalar(select(func.count()).select_from(Directive)) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = max(0, min(page, pages - 1))
    rows = (
        await session.execute(
            select(Directive, col(Official.name))
            .join(Official, col(Official.id) == Directive.sender_id)
            .order_by(col(Directive.created_at).desc(), col(Directive.id).desc())
            .offset(page * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    ).all()
    ids = [d.id for d, _ in rows]
    receipts: dict[int, list[UnitReceipts]] = defaultdict(list)
    if ids:
        counted = await session.execute(
            select(
                col(DirectiveReceipt.directive_id),
                col(Unit.id),
                col(Unit.name),
                func.count(),
                func.count(col(DirectiveReceipt.delivered_at)),
                func.count(col(DirectiveReceipt.acknowledged_at)),
            )
            .join(Unit, col(Unit.id) == DirectiveReceipt.unit_id)
            .where(col(DirectiveReceipt.directive_id).in_(ids))
            .group_by(col(DirectiveReceipt.directive_id), col(Unit.id), col(Unit.name))
            .order_by(col(Unit.name))
        )
        for directive_id, unit_id, name, total_, delivered, acked in counted:
            receipts[directive_id].append(
                UnitReceipts(unit_id, name, int(total_), int(delivered), int(acked))
            )
    return DirectivesPage(
        tuple(
            DirectiveLine(
                d.id or 0,
                d.code,
                d.text,
                sender,
                d.created_at,
                d.response_deadline,
                d.attachment_name,
                tuple(receipts.get(d.id or 0, ())),
            )
            for d, sender in rows
        ),
        page,
        pages,
    )
