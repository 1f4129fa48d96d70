"""The single fields of a plan workbook's rows, parsed and checked one cell at a time.

A task's kind, support units and deadline; an indicator's kind and target; and whether a
code appears once in the file and not yet in the database. A bad cell is reported to the
checker with its sheet and row, and the field comes back empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services.plan.rows import Checker, Row
from bot.services.plan.template import INDICATOR_SHEET, KIND_WORDS, TASK_SHEET
from bot.services.workbook import normalized
from db.models import Indicator, IndicatorKind, Task, TaskGroup, TaskKind

_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", re.ASCII)
_LOOKUP_CHUNK = 500  # codes per IN (...) query; far below every driver's parameter limit


def task_kind(check: Checker, row: Row) -> str:
    """'nhiệm vụ' (the default when empty) or 'mô hình điểm'; the stored codes are accepted."""
    text = row.text("kind")
    if not text:
        return TaskKind.TASK
    kind = KIND_WORDS.get(normalized(text)) or (text if text in set(TaskKind) else "")
    if not kind:
        check.add(TASK_SHEET, row.number, f'loại "{text}" không hợp lệ (nhiệm vụ / mô hình điểm)')
    return kind


def support_units(
    check: Checker, row: Row, units: dict[str, int], lead_code: str
) -> tuple[int, ...]:
    """Support unit ids from a list of codes separated by commas (or semicolons)."""
    found: list[int] = []
    seen: set[str] = set()
    for code in (part.strip() for part in re.split(r"[,;\n]", row.text("support"))):
        if not code:
            continue
        key = normalized(code)
        if key in seen:
            check.add(TASK_SHEET, row.number, f'đơn vị phối hợp "{code}" ghi hai lần')
        elif key == normalized(lead_code):
            check.add(TASK_SHEET, row.number, f'đơn vị "{code}" vừa chủ trì vừa phối hợp')
        elif key not in units:
            check.add(TASK_SHEET, row.number, f'đơn vị phối hợp "{code}" không tồn tại')
        else:
            found.append(units[key])
        seen.add(key)
    return tuple(found)


def deadline(check: Checker, sheet: str, row: Row) -> date | None:
    """A date cell, or text dd/mm/yyyy."""
    value = row.value("deadline")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = check.text(sheet, row, "deadline")
    if not text:
        return None
    match = _DAY.match(text)
    try:
        if match is None:
            raise ValueError(text)
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    except ValueError:
        check.add(sheet, row.number, f'thời hạn "{text}" không phải ngày dd/mm/yyyy')
        return None


def kind_key(text: str) -> str:
    """'có/không', 'Có - không' and 'có-không' are one kind."""
    return re.sub(r"\s*[/-]\s*", "-", normalized(text))


def target(check: Checker, row: Row, kind: str) -> float | None:
    """The target as a number: ratios in percent, yes/no as 1 or 0."""
    sheet = INDICATOR_SHEET
    value = row.value("target")
    if isinstance(value, bool):
        number = float(value)
    elif isinstance(value, int | float):
        # A cell formatted as a percentage holds 0.7 for 70%.
        percent = "%" in row.formats.get("target", "")
        number = float(value) * (100 if percent else 1)
    else:
        text = check.text(sheet, row, "target")
        if not text:
            return None
        parsed = _parse_number(text)
        if parsed is None:
            check.add(sheet, row.number, f'chỉ tiêu "{text}" không phải là số')
            return None
        number = parsed
    if kind == IndicatorKind.RATIO and not 0 <= number <= 100:
        check.add(sheet, row.number, f"chỉ tiêu tỷ lệ phải từ 0 đến 100 (%), không phải {number:g}")
    elif kind == IndicatorKind.COUNT and number < 0:
        check.add(sheet, row.number, f"chỉ tiêu số lượng không được âm ({number:g})")
    elif kind == IndicatorKind.YES_NO and number not in (0, 1):
        check.add(sheet, row.number, "chỉ tiêu có-không phải là có (1) hoặc không (0)")
    return number


def _parse_number(text: str) -> float | None:
    """'70', '70%', '70,5' (decimal comma), 'có' / 'không'."""
    words = {"có": 1.0, "không": 0.0}
    if normalized(text) in words:
        return words[normalized(text)]
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def unique(
    check: Checker,
    sheet: str,
    number: int,
    label: str,
    code: str,
    seen: dict[str, int],
    existing: set[str],
) -> None:
    """A code appears once in the file and not yet in the database."""
    if not code:
        return
    if code in seen:
        check.add(sheet, number, f'{label} "{code}" trùng với dòng {seen[code]}')
    else:
        seen[code] = number
    if code in existing:
        check.add(sheet, number, f'{label} "{code}" đã có trong cơ sở dữ liệu')


async def existing_codes(session: AsyncSession, column: Any, codes: Iterable[str]) -> set[str]:
    """Which of these codes the database already has."""
    wanted = sorted({code for code in codes if code})
    found: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        found.update(await session.scalars(select(column).where(column.in_(chunk))))
    return found


async def task_codes_of(session: AsyncSession, plan_id: int | None) -> set[str]:
    """The codes of a plan's tasks and pilot models (none without a plan)."""
    if plan_id is None:
        return set()
    rows = await session.scalars(
        select(col(Task.code))
        .join(TaskGroup, col(TaskGroup.id) == Task.group_id)
        .where(col(TaskGroup.plan_id) == plan_id)
    )
    return set(rows)


async def indicator_codes_of(session: AsyncSession, plan_id: int | None) -> set[str]:
    """The codes of a plan's indicators (none without a plan)."""
    if plan_id is None:
        return set()
    rows = await session.scalars(
        select(col(Indicator.code)).where(col(Indicator.plan_id) == plan_id)
    )
    return set(rows)
