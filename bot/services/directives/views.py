"""A stored directive as people see it, and the accounts it reaches.

The view (code, text, sender, attachment, response deadline) is what the directive's
message, its reminder and its acknowledgement show; an addressee is one reachable account
of a recipient. Issuing builds both; acknowledging and the reminders read them back here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Directive, Official, Unit


@dataclass(frozen=True)
class DirectiveView:
    """A directive as people see it."""

    id: int
    code: str
    text: str
    sender_name: str
    sender_unit: str
    attachment_kind: str | None
    attachment_name: str | None
    response_deadline: date | None
    attachment_file_id: str | None = None


@dataclass(frozen=True)
class Addressee:
    """One reachable account of a recipient."""

    official_id: int
    locale: str | None
    account_id: int
    channel: str
    chat_key: str


async def find(session: AsyncSession, directive_id: int) -> DirectiveView | None:
    """A directive with its sender, or None."""
    row = (
        await session.execute(
            select(Directive, Official, Unit)
            .join(Official, col(Official.id) == Directive.sender_id)
            .join(Unit, col(Unit.id) == Official.unit_id)
            .where(col(Directive.id) == directive_id)
        )
    ).first()
    if row is None:
        return None
    d, sender, unit = row
    return DirectiveView(
        d.id or 0,
        d.code,
        d.text,
        sender.name,
        unit.name,
        d.attachment_kind,
        d.attachment_name,
        d.response_deadline,
        d.attachment_file_id,
    )
