"""The roster sheets of the template: units ("Đơn vị") and officials ("Cán bộ") to add.

Both sheets are optional. A unit whose code the database has already, and an active
official of that name in that unit, are left as they are, so a file can be imported again.
A unit may name as parent a unit of the database or one on an earlier row; an official's
unit may be one of the sheet. Problems go to the checker with sheet and row, like the plan's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import audit
from bot.services.plan.rows import Checker, Row
from bot.services.plan.template import (
    LANGUAGE_WORDS,
    NEW_UNIT_SHEET,
    ROLE_WORDS,
    STAFF_SHEET,
    UNIT_KIND_WORDS,
)
from bot.services.workbook import normalized
from db.models import Official, Role, Unit, UnitKind


@dataclass(frozen=True)
class UnitRow:
    """A unit to add, with its parent's code."""

    code: str
    name: str
    kind: str
    parent: str


@dataclass(frozen=True)
class OfficialRow:
    """An official to add, with their unit's code."""

    name: str
    title: str
    role: str
    unit: str
    locale: str | None


@dataclass
class Roster:
    """What the roster sheets add, and how many of their rows were there already."""

    units: list[UnitRow] = field(default_factory=list)
    officials: list[OfficialRow] = field(default_factory=list)
    units_known: int = 0
    officials_known: int = 0


def _word_key(text: str) -> str:
    """'Sở, ngành', 'sở/ngành' and 'Sở - ngành' are one word."""
    return re.sub(r"\s*[,/-]\s*", "/", normalized(text))


def _word(words: dict[str, str], codes: Sequence[str], text: str) -> str:
    """The stored code of a listed word (or of a stored code typed as is), else ''."""
    keyed = {_word_key(word): code for word, code in words.items()}
    return keyed.get(_word_key(text)) or (text if text in codes else "")


async def check(
    session: AsyncSession,
    unit_rows: list[Row] | None,
    staff_rows: list[Row] | None,
    units: dict[str, int],
    check: Checker,
) -> Roster:
    """The units and officials to add; `units` (normalized code → id) is the database's."""
    roster = Roster()
    seen: dict[str, int] = {}
    for row in unit_rows or []:
        before = len(check.issues)
        sheet = NEW_UNIT_SHEET
        code, name = check.text(sheet, row, "code"), check.text(sheet, row, "name")
        kind_text = check.text(sheet, row, "kind")
        kind = _word(UNIT_KIND_WORDS, [k.value for k in UnitKind], kind_text)
        if kind_text and not kind:
            check.add(sheet, row.number, f'loại đơn vị "{kind_text}" không hợp lệ')
        parent = row.text("parent")
        if parent and normalized(parent) not in units and normalized(parent) not in seen:
            check.add(sheet, row.number, f'đơn vị cấp trên "{parent}" không tồn tại')
        if normalized(code) in seen:
            check.add(
                sheet, row.number, f'mã đơn vị "{code}" trùng với dòng {seen[normalized(code)]}'
            )
        elif code:
            seen[normalized(code)] = row.number
        if len(check.issues) > before:
            continue
        if normalized(code) in units:
            roster.units_known += 1
        else:
            roster.units.append(UnitRow(code, name, kind, parent))
    names = await _active_names(session)
    staff: set[tuple[str, str]] = set()
    for row in staff_rows or []:
        before = len(check.issues)
        sheet = STAFF_SHEET
        name, title = check.text(sheet, row, "name"), check.text(sheet, row, "title")
        role_text = check.text(sheet, row, "role")
        role = _word(ROLE_WORDS, [r.value for r in Role], role_text)
        if role_text and not role:
            check.add(sheet, row.number, f'vai trò "{role_text}" không hợp lệ')
        unit = check.text(sheet, row, "unit")
        if unit and normalized(unit) not in units and normalized(unit) not in seen:
            check.add(sheet, row.number, f'đơn vị "{unit}" không tồn tại')
        language_text = row.text("language")
        locale = _word(LANGUAGE_WORDS, ["vi", "en"], language_text) or None
        if language_text and locale is None:
            check.add(sheet, row.number, f'ngôn ngữ "{language_text}" không hợp lệ')
        key = (normalized(name), normalized(unit))
        if name and key in staff:
            check.add(sheet, row.number, f'cán bộ "{name}" ghi hai lần cho đơn vị "{unit}"')
        staff.add(key)
        if len(check.issues) > before:
            continue
        if (normalized(name), units.get(normalized(unit))) in names:
            roster.officials_known += 1
        else:
            roster.officials.append(OfficialRow(name, title, role, unit, locale))
    return roster


async def _active_names(session: AsyncSession) -> set[tuple[str, int | None]]:
    """(normalized name, unit id) of every active official."""
    rows = await session.execute(
        select(col(Official.name), col(Official.unit_id)).where(col(Official.active))
    )
    return {(normalized(name), unit_id) for name, unit_id in rows.all()}


async def write(
    session: AsyncSession, roster: Roster, units: dict[str, int], now: datetime, actor: str
) -> None:
    """Add the checked units (parents first, as listed) and officials; one audit entry each."""
    for new in roster.units:
        parent = units.get(normalized(new.parent)) if new.parent else None
        unit = Unit(code=new.code, name=new.name, kind=new.kind, parent_id=parent)
        session.add(unit)
        await session.flush()
        units[normalized(new.code)] = unit.id
        audit.record(
            session,
            now=now,
            action="unit.added",
            actor_account=actor,
            entity="unit",
            entity_id=unit.id,
            after={"code": new.code, "name": new.name, "kind": new.kind, "import": True},
        )
    added = [
        Official(
            name=row.name,
            title=row.title,
            role=row.role,
            unit_id=units[normalized(row.unit)],
            locale=row.locale,
        )
        for row in roster.officials
    ]
    session.add_all(added)
    await session.flush()
    for official, row in zip(added, roster.officials, strict=True):
        audit.record(
            session,
            now=now,
            action="official.added",
            actor_account=actor,
            entity="official",
            entity_id=official.id,
            after={"name": row.name, "role": row.role, "unit": row.unit, "import": True},
        )
