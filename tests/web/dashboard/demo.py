"""The demo province (bot/demo_province.toml) as the browser tests' database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot import demo
from db.models import Assignment, Official, Status, Unit
from tests.province import ZONE, Province


async def _official(session: AsyncSession, name: str) -> int:
    found = await session.scalar(select(col(Official.id)).where(col(Official.name) == name))
    assert found is not None, name
    return found


async def _unit(session: AsyncSession, code: str) -> int:
    found = await session.scalar(select(col(Unit.id)).where(col(Unit.code) == code))
    assert found is not None, code
    return found


async def _assignments(session: AsyncSession, unit_id: int, today: object) -> list[Assignment]:
    rows = await session.scalars(
        select(Assignment)
        .where(col(Assignment.unit_id) == unit_id)
        .order_by(col(Assignment.deadline), col(Assignment.id))
    )
    return list(rows)


async def demo_province(session: AsyncSession, now: datetime) -> Province:
    """Load the demo province; name its people and assignments as the small province does."""
    today = now.astimezone(ZONE).date()
    await demo.load(session, now=now, today=today)
    health, education = await _unit(session, "SYT"), await _unit(session, "SGDDT")
    mine = await _assignments(session, health, today)
    theirs = await _assignments(session, education, today)
    open_ = [a for a in mine if a.status != Status.DONE]
    overdue = next((a for a in open_ if a.deadline < today), open_[0])
    due_soon = next(a for a in open_ if a.deadline >= today)
    commune = await session.scalar(
        select(col(Official.id))
        .join(Unit, col(Unit.id) == Official.unit_id)
        .where(col(Unit.kind) == "commune", col(Official.role) == "focal")
        .limit(1)
    )
    return Province(
        health_focal=await _official(session, "Nguyễn Thị Thanh Tâm"),
        health_head=await _official(session, "Hoàng Văn Thịnh"),
        education_focal=await _official(session, "Lê Đức Mạnh"),
        education_head=await _official(session, "Trần Thị Kim Oanh"),
        commune_focal=commune or 0,
        standing=await _official(session, "Hồ Sỹ Long"),
        overdue=overdue.id,
        due_soon=due_soon.id,
        later=open_[-1].id,
        education_task=theirs[0].id,
    )
