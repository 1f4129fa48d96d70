"""Units and officials: adding them, finding them, and the working units people choose from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.i18n import N_
from bot.services import audit
from db.models import Official, Role, Unit, UnitKind

# Units that take tasks and directives; the standing office and the UBND tỉnh give them.
WORKING_KINDS = (UnitKind.DEPARTMENT, UnitKind.COMMUNE)
DEPARTMENTS_FIRST = case((col(Unit.kind) == UnitKind.DEPARTMENT.value, 0), else_=1)


@dataclass(frozen=True)
class UnitOption:
    """A working unit as a choice: its id, name and kind."""

    id: int
    name: str
    kind: str


class DirectoryError(Exception):
    """An operator's request does not fit the directory (unknown unit, duplicate code…).

    It carries its sentence as a catalog message (`N_`) and the values of its placeholders,
    so that the CLI tells it in the deployment's language; str() is the English one.
    """

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values))
        self.message = message
        self.values = values


async def add_unit(
    session: AsyncSession,
    *,
    code: str,
    name: str,
    kind: str,
    parent_code: str | None,
    now: datetime,
) -> Unit:
    """Create a unit under an optional parent."""
    if kind not in {k.value for k in UnitKind}:
        raise DirectoryError(
            N_("unknown unit kind '{kind}'; use one of {kinds}"),
            kind=kind,
            kinds=", ".join(k.value for k in UnitKind),
        )
    if await unit_by_code(session, code) is not None:
        raise DirectoryError(N_("unit '{code}' exists already"), code=code)
    parent = await unit_by_code(session, parent_code) if parent_code else None
    if parent_code and parent is None:
        raise DirectoryError(N_("no unit with code '{code}'"), code=parent_code)
    unit = Unit(code=code, name=name, kind=kind, parent_id=parent.id if parent else None)
    session.add(unit)
    await session.flush()
    audit.record(
        session,
        now=now,
        action="unit.added",
        actor_account="cli",
        entity="unit",
        entity_id=unit.id,
        after={"code": code, "name": name, "kind": kind},
    )
    return unit


async def add_official(
    session: AsyncSession,
    *,
    name: str,
    role: str,
    unit_code: str,
    title: str,
    now: datetime,
    locale: str | None = None,
) -> Official:
    """Create an official in a unit."""
    if role not in {r.value for r in Role}:
        raise DirectoryError(
            N_("unknown role '{role}'; use one of {roles}"),
            role=role,
            roles=", ".join(r.value for r in Role),
        )
    unit = await unit_by_code(session, unit_code)
    if unit is None:
        raise DirectoryError(N_("no unit with code '{code}'"), code=unit_code)
    official = Official(name=name, role=role, unit_id=unit.id or 0, title=title, locale=locale)
    session.add(official)
    await session.flush()
    audit.record(
        session,
        now=now,
        action="official.added",
        actor_account="cli",
        entity="official",
        entity_id=official.id,
        after={"name": name, "role": role, "unit": unit_code},
    )
    return official


async def unit_by_code(session: AsyncSession, code: str | None) -> Unit | None:
    """A unit by its short code."""
    if not code:
        return None
    return await session.scalar(select(Unit).where(col(Unit.code) == code))


async def official_with_unit(session: AsyncSession, official_id: int) -> tuple[Official, Unit]:
    """An official and their unit, or DirectoryError."""
    row = (
        await session.execute(
            select(Official, Unit)
            .join(Unit, col(Unit.id) == Official.unit_id)
            .where(col(Official.id) == official_id)
        )
    ).first()
    if row is None:
        raise DirectoryError(N_("no official with id {id}"), id=official_id)
    return row[0], row[1]


async def officials(session: AsyncSession) -> list[tuple[Official, Unit]]:
    """Every official with their unit, in a stable order."""
    rows = await session.execute(
        select(Official, Unit)
        .join(Unit, col(Unit.id) == Official.unit_id)
        .order_by(col(Official.id))
    )
    return [(o, u) for o, u in rows.all()]


async def unit_page(session: AsyncSession, offset: int, limit: int) -> tuple[list[UnitOption], int]:
    """One page of the working units, departments first, by name."""
    where = col(Unit.kind).in_([k.value for k in WORKING_KINDS])
    total = await session.scalar(select(func.count()).select_from(Unit).where(where))
    rows = await session.execute(
        select(col(Unit.id), col(Unit.name), col(Unit.kind))
        .where(where)
        .order_by(DEPARTMENTS_FIRST, col(Unit.name), col(Unit.id))
        .offset(offset)
        .limit(limit)
    )
    return [UnitOption(i, n, k) for i, n, k in rows.all()], int(total or 0)


async def is_working_unit(session: AsyncSession, unit_id: int) -> bool:
    """Whether a unit id (from a button) is a working unit (one that takes tasks and directives)."""
    kind = await session.scalar(select(col(Unit.kind)).where(col(Unit.id) == unit_id))
    return kind in {k.value for k in WORKING_KINDS}
