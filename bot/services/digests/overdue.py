"""What is overdue, longest first, in a unit or the province: /quahan and the digest."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.dates.timing import days_late
from bot.services.digests.criteria import focal_names, is_open
from bot.services.digests.model import Item, Listing
from db.models import Assignment, Official, Task, Unit


async def overdue_page(
    session: AsyncSession, today: date, *, unit_id: int | None, page: int, size: int
) -> Listing[Item]:
    """Page `page` (from 0) of the open assignments past their deadline, longest overdue
    first, with who answers for each (the assignment's focal officer, else the unit's)."""
    where = [is_open(), col(Assignment.deadline) < today]
    if unit_id is not None:
        where.append(col(Assignment.unit_id) == unit_id)
    total = await session.scalar(select(func.count()).select_from(Assignment).where(*where))
    rows = await session.execute(
        select(
            Assignment,
            col(Task.code),
            col(Task.title),
            col(Unit.name),
            col(Official.name),
            col(Official.active),
        )
        .join(Task, col(Task.id) == Assignment.task_id)
        .join(Unit, col(Unit.id) == Assignment.unit_id)
        .outerjoin(Official, col(Official.id) == Assignment.focal_official_id)
        .where(*where)
        .order_by(col(Assignment.deadline), col(Assignment.id))
        .offset(page * size)
        .limit(size)
    )
    found = rows.all()
    focals = await focal_names(session, sorted({a.unit_id for a, *_ in found}))
    items = tuple(
        Item(
            assignment_id=a.id or 0,
            unit_id=a.unit_id,
            task_code=code,
            title=title,
            deadline=a.deadline,
            status=a.status,
            progress=a.progress,
            days_late=days_late(a.deadline, today),
            responsible=(person,) if person and active else focals.get(a.unit_id, ()),
            unit_name=unit_name,
        )
        for a, code, title, unit_name, person, active in found
    )
    return Listing(items, int(total or 0))
