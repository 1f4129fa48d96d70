"""Acknowledging a directive: a recipient presses "Received", and who has not yet.

An acknowledgement is recorded once per receipt (a conditional update), also marks the
receipt delivered, is audited, and returns the directive's fresh counts for the sender's
status message; anyone who is not a recipient is refused and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from bot.services import audit
from bot.services.directives.issuing import refuse
from bot.services.directives.tracking import Status, status
from bot.services.directives.views import DirectiveView, find
from bot.services.people.identity import Identity
from db.engine import rowcount
from db.models import ChatAccount, DirectiveReceipt, Official, Unit


class AckOutcome(StrEnum):
    """How pressing "Received" ended."""

    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"
    NOT_RECIPIENT = "not_recipient"


@dataclass(frozen=True)
class Acknowledgement:
    """The result of pressing "Received"."""

    outcome: AckOutcome
    directive: DirectiveView | None = None
    acknowledged_at: datetime | None = None
    status: Status | None = None


async def acknowledge(
    session: AsyncSession, identity: Identity, directive_id: int, now: datetime
) -> Acknowledgement:
    """Record "Received" once for a recipient; anyone else is refused and audited."""
    official_id = identity.official.id
    mine = (col(DirectiveReceipt.directive_id) == directive_id) & (
        col(DirectiveReceipt.official_id) == official_id
    )
    receipt = await session.scalar(select(DirectiveReceipt).where(mine))
    view = await find(session, directive_id) if receipt is not None else None
    if receipt is None or view is None:
        refuse(session, identity, now, f"acknowledge directive {directive_id}: not a recipient")
        return Acknowledgement(AckOutcome.NOT_RECIPIENT)
    # The conditional update is the one place an acknowledgement is recorded: twice is once.
    result = await session.execute(
        update(DirectiveReceipt)
        .where(mine, col(DirectiveReceipt.acknowledged_at).is_(None))
        .values(
            acknowledged_at=now,
            # Whoever pressed the button has received the message, whatever the outbox says.
            delivered_at=func.coalesce(DirectiveReceipt.delivered_at, now),
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        await session.refresh(receipt)
        return Acknowledgement(AckOutcome.ALREADY, view, receipt.acknowledged_at)
    audit.record(
        session,
        now=now,
        action="directive.acknowledged",
        actor_official_id=official_id,
        actor_account=f"{identity.account.channel}:{identity.account.user_key}",
        entity="directivereceipt",
        entity_id=receipt.id,
        before={"acknowledged_at": None},
        after={"acknowledged_at": now.isoformat(), "directive": view.code},
    )
    return Acknowledgement(AckOutcome.ACKNOWLEDGED, view, now, await status(session, directive_id))


def registered_recipient(registered: bool = True) -> ColumnElement[bool]:
    """Whether a receipt's official is registered on the bot (has a chat account), or not."""
    has_account = (
        select(col(ChatAccount.id))
        .where(col(ChatAccount.official_id) == DirectiveReceipt.official_id)
        .exists()
    )
    return has_account if registered else ~has_account


async def not_acknowledged(
    session: AsyncSession, directive_id: int, *, registered: bool | None = None
) -> list[tuple[str, str]]:
    """(unit, official) of every recipient who has not pressed "Received", by unit; only
    those with a chat account (`registered` True), or only those without one (False)."""
    where = [] if registered is None else [registered_recipient(registered)]
    rows = await session.execute(
        select(col(Unit.name), col(Official.name))
        .select_from(DirectiveReceipt)
        .join(Official, col(Official.id) == DirectiveReceipt.official_id)
        .join(Unit, col(Unit.id) == DirectiveReceipt.unit_id)
        .where(
            col(DirectiveReceipt.directive_id) == directive_id,
            col(DirectiveReceipt.acknowledged_at).is_(None),
            *where,
        )
        .order_by(Unit.name, Official.name)
    )
    return [(u, o) for u, o in rows.all()]
