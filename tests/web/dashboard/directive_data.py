"""A directive with receipts and replies, written straight to the database for page tests."""

from __future__ import annotations

from datetime import timedelta

from db.models import Directive, DirectiveReceipt, DirectiveReply
from tests.harness import BotUnderTest


async def add_directive(
    bot: BotUnderTest,
    code: str,
    recipients: list[tuple[int, str]],
    *,
    acknowledged: tuple[int, ...] = (),
) -> int:
    """A directive from the standing officer to these (official, unit code) pairs, all
    delivered, acknowledged by those named; its id."""
    now = bot.clock()
    async with bot.app.db.transaction() as session:
        directive = Directive(
            code=code,
            year=now.year,
            number=int(code.rsplit("-", 1)[1]),
            sender_id=bot.province.standing,
            text=f"Chỉ đạo {code}: đẩy nhanh <tiến độ>",
            target_kind="all",
            created_at=now - timedelta(hours=3),
        )
        session.add(directive)
        await session.flush()
        for official, unit in recipients:
            session.add(
                DirectiveReceipt(
                    directive_id=directive.id,
                    official_id=official,
                    unit_id=await bot.unit_id(unit),
                    delivered_at=now - timedelta(hours=2),
                    acknowledged_at=now - timedelta(hours=1) if official in acknowledged else None,
                )
            )
        return directive.id or 0


async def add_reply(
    bot: BotUnderTest,
    directive_id: int,
    official_id: int,
    text: str | None,
    *,
    attachment: tuple[str, str, str | None] | None = None,
    minutes_ago: int = 30,
) -> int:
    """A reply from a recipient (text and/or a file as (kind, reference, name)); its id."""
    from sqlalchemy import select
    from sqlmodel import col

    async with bot.app.db.transaction() as session:
        receipt = await session.scalar(
            select(DirectiveReceipt).where(
                col(DirectiveReceipt.directive_id) == directive_id,
                col(DirectiveReceipt.official_id) == official_id,
            )
        )
        assert receipt is not None
        kind, reference, name = attachment or (None, None, None)
        reply = DirectiveReply(
            directive_id=directive_id,
            receipt_id=receipt.id,
            official_id=official_id,
            unit_id=receipt.unit_id,
            text=text,
            attachment_kind=kind,
            attachment_file_id=reference,
            attachment_name=name,
            created_at=bot.clock() - timedelta(minutes=minutes_ago),
        )
        session.add(reply)
        await session.flush()
        return reply.id or 0
