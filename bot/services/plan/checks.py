"""The sheets of a plan workbook checked into the plan they describe, nothing written yet.

The plan sheet gives the one plan's code and title, the group sheet its task groups, the
task sheet its tasks and pilot models with lead and support units and deadlines, and the
indicator sheet its indicators. Every problem goes to the checker; a row with any problem
is left out, so only a file without issues is ever written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.plan import fields as plan_fields
from bot.services.plan.rows import Checker, Row
from bot.services.plan.template import (
    DIRECTION_WORDS,
    GROUP_SHEET,
    INDICATOR_KIND_WORDS,
    INDICATOR_SHEET,
    PLAN_SHEET,
    TASK_SHEET,
)
from bot.services.workbook import normalized
from db.models import Indicator, IndicatorKind, Plan, Task


@dataclass(frozen=True)
class TaskRow:
    """One checked task or pilot model, with its group code and its units' ids."""

    code: str
    group: str
    title: str
    kind: str
    deliverable: str
    lead: int
    support: tuple[int, ...]
    deadline: date
    row: int = 0


@dataclass(frozen=True)
class IndicatorRow:
    """One checked indicator, with its unit's id."""

    code: str
    title: str
    kind: str
    unit: int
    target: float
    direction: str


async def plan(
    session: AsyncSession, rows: list[Row] | None, check: Checker
) -> tuple[str, str, int | None] | None:
    """The plan's code and title from the one row of the plan sheet, and the id of the plan
    of that code when the database has it already (the file revises it)."""
    if rows is None:
        return None
    if not rows:
        check.add(PLAN_SHEET, None, "chưa có dòng kế hoạch (mã và tên ở dòng 2)")
        return None
    for extra in rows[1:]:
        check.add(PLAN_SHEET, extra.number, "mỗi tệp chỉ nhập một kế hoạch; dòng này thừa")
    row = rows[0]
    code = check.text(PLAN_SHEET, row, "code")
    title = check.text(PLAN_SHEET, row, "title")
    known = (
        await session.scalar(select(col(Plan.id)).where(col(Plan.code) == code)) if code else None
    )
    return code, title, known


def groups(rows: list[Row] | None, check: Checker) -> dict[str, str]:
    """Group code → title."""
    groups: dict[str, str] = {}
    seen: dict[str, int] = {}
    for row in rows or []:
        code = check.text(GROUP_SHEET, row, "code")
        title = check.text(GROUP_SHEET, row, "title")
        if code in seen:
            check.add(GROUP_SHEET, row.number, f'mã nhóm "{code}" trùng với dòng {seen[code]}')
        elif code:
            seen[code] = row.number
            groups[code] = title
    if rows is not None and not rows:
        check.add(GROUP_SHEET, None, "chưa có nhóm nhiệm vụ nào")
    return groups


async def tasks(
    session: AsyncSession,
    rows: list[Row] | None,
    groups: set[str],
    units: dict[str, int],
    check: Checker,
    plan_id: int | None = None,
) -> list[TaskRow]:
    """Tasks and pilot models, each with its lead and support units; a code may be one of
    the revised plan's own tasks (`plan_id`), never another plan's."""
    if rows is None:
        return []
    if not rows:
        check.add(TASK_SHEET, None, "chưa có nhiệm vụ nào")
    sheet = TASK_SHEET
    existing = await plan_fields.existing_codes(
        session, Task.code, [row.text("code") for row in rows]
    ) - await plan_fields.task_codes_of(session, plan_id)
    seen: dict[str, int] = {}
    tasks = []
    for row in rows:
        before = len(check.issues)
        code = check.text(sheet, row, "code")
        plan_fields.unique(check, sheet, row.number, "mã nhiệm vụ", code, seen, existing)
        group = check.text(sheet, row, "group")
        if group and group not in groups and groups:
            check.add(sheet, row.number, f'mã nhóm "{group}" không có trong trang "{GROUP_SHEET}"')
        title = check.text(sheet, row, "title")
        kind = plan_fields.task_kind(check, row)
        deliverable = check.text(sheet, row, "deliverable")
        lead_code = check.text(sheet, row, "lead")
        lead = units.get(normalized(lead_code))
        if lead_code and lead is None:
            check.add(sheet, row.number, f'đơn vị chủ trì "{lead_code}" không tồn tại')
        support = plan_fields.support_units(check, row, units, lead_code)
        deadline = plan_fields.deadline(check, sheet, row)
        if len(check.issues) == before:
            tasks.append(
                TaskRow(
                    code,
                    group,
                    title,
                    kind,
                    deliverable,
                    lead or 0,
                    support,
                    deadline or date.min,
                    row.number,
                )
            )
    return tasks


async def indicators(
    session: AsyncSession,
    rows: list[Row] | None,
    units: dict[str, int],
    check: Checker,
    plan_id: int | None = None,
) -> list[IndicatorRow]:
    """Indicators with their unit, target and direction; the revised plan's own (`plan_id`)
    are left out, as they are."""
    sheet = INDICATOR_SHEET
    codes = [row.text("code") for row in rows or []]
    existing = await plan_fields.existing_codes(session, Indicator.code, codes)
    own = await plan_fields.indicator_codes_of(session, plan_id)
    existing -= own
    seen: dict[str, int] = {}
    indicators = []
    for row in rows or []:
        before = len(check.issues)
        code = check.text(sheet, row, "code")
        plan_fields.unique(check, sheet, row.number, "mã chỉ tiêu", code, seen, existing)
        title = check.text(sheet, row, "title")
        kind_text = check.text(sheet, row, "kind")
        kind = INDICATOR_KIND_WORDS.get(plan_fields.kind_key(kind_text), "")
        if kind_text and not kind:
            if kind_text in {k.value for k in IndicatorKind}:
                kind = kind_text
            else:
                check.add(
                    sheet,
                    row.number,
                    f'loại "{kind_text}" không hợp lệ (tỷ lệ / số lượng / có-không)',
                )
        unit_code = check.text(sheet, row, "unit")
        unit = units.get(normalized(unit_code))
        if unit_code and unit is None:
            check.add(sheet, row.number, f'đơn vị "{unit_code}" không tồn tại')
        target = plan_fields.target(check, row, kind)
        direction_text = row.text("direction")
        direction = DIRECTION_WORDS.get(direction_text, direction_text) if direction_text else ">="
        if direction not in DIRECTION_WORDS.values():
            check.add(sheet, row.number, f'chiều "{direction_text}" không hợp lệ (≥ hoặc ≤)')
        if len(check.issues) == before and code not in own:
            indicators.append(IndicatorRow(code, title, kind, unit or 0, target or 0.0, direction))
    return indicators
