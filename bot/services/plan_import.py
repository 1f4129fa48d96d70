"""Import a whole plan from the Excel template (`roviec import`), all or nothing.

The file is read and checked completely before anything is written: every problem is
collected with its sheet and row, in Vietnamese for the operator, and a file with any
problem imports nothing. A good file becomes the plan, its groups, its tasks and pilot
models with a lead and support assignments each, and its indicators, in the caller's one
transaction, with one "plan.imported" audit entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.services.plan_template import (
    COLUMNS,
    DIRECTION_WORDS,
    GROUP_SHEET,
    INDICATOR_KIND_WORDS,
    INDICATOR_SHEET,
    KIND_WORDS,
    PLAN_SHEET,
    SHEETS,
    TASK_SHEET,
)
from bot.services.workbook import normalized
from db.models import (
    Assignment,
    AssignmentRole,
    Indicator,
    IndicatorKind,
    Plan,
    Task,
    TaskGroup,
    TaskKind,
    Unit,
)

_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_LOOKUP_CHUNK = 500  # codes per IN (...) query; far below every driver's parameter limit


@dataclass(frozen=True)
class Issue:
    """One problem in the file, where the operator will find it."""

    sheet: str | None
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.sheet and self.row:
            return f"{self.sheet}, dòng {self.row}: {self.message}"
        return f"{self.sheet}: {self.message}" if self.sheet else self.message


class PlanImportError(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} lỗi")
        self.issues = issues


@dataclass(frozen=True)
class Imported:
    """What an import created."""

    plan_id: int
    plan_code: str
    groups: int
    tasks: int
    pilot_models: int
    lead_assignments: int
    support_assignments: int
    indicators: int


@dataclass
class _Row:
    """One data row: its number, and the values and number formats of the sheet's columns."""

    number: int
    values: dict[str, Any]
    formats: dict[str, str]

    def value(self, key: str) -> Any:
        return self.values.get(key)

    def text(self, key: str) -> str:
        return _text(self.values.get(key))


@dataclass
class _Checker:
    """Collects issues while rows are checked."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, sheet: str | None, row: int | None, message: str) -> None:
        self.issues.append(Issue(sheet, row, message))

    def text(self, sheet: str, row: _Row, key: str) -> str:
        """A cell's text, checked for presence (when required) and length."""
        column = next(c for c in COLUMNS[sheet] if c.key == key)
        text = row.text(key)
        # A missing column is reported once on the header, not again on every row.
        if not text and column.required and key in row.values:
            self.add(sheet, row.number, f'thiếu "{column.name}"')
        if column.max_length and len(text) > column.max_length:
            self.add(
                sheet,
                row.number,
                f'"{column.name}" dài {len(text)} ký tự, tối đa {column.max_length}',
            )
        return text


async def import_plan(
    session: AsyncSession, data: bytes, *, now: datetime, actor_account: str = "cli"
) -> Imported:
    """Check the whole file, then write the plan; raise PlanImportError listing every problem."""
    check = _Checker()
    try:
        book = load_workbook(BytesIO(data), data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as error:
        raise PlanImportError(
            [Issue(None, None, f"không đọc được tệp Excel (.xlsx): {error}")]
        ) from None
    rows = {name: _read_sheet(book, name, check) for name in SHEETS}
    units = {
        normalized(code): unit_id
        for code, unit_id in await session.execute(select(Unit.code, Unit.id))
    }
    plan = await _plan(session, rows[PLAN_SHEET], check)
    groups = _groups(rows[GROUP_SHEET], check)
    tasks = await _tasks(session, rows[TASK_SHEET], set(groups), units, check)
    indicators = await _indicators(session, rows[INDICATOR_SHEET], units, check)
    if check.issues:
        raise PlanImportError(check.issues)
    assert plan is not None
    return await _write(session, plan, groups, tasks, indicators, now, actor_account)


def _read_sheet(book: Workbook, name: str, check: _Checker) -> list[_Row] | None:
    """The non-blank rows of a sheet, by column key; header problems are reported."""
    if name not in book.sheetnames:
        check.add(None, None, f'thiếu trang tính "{name}"')
        return None
    lines = book[name].iter_rows()
    titles = next(lines, ())
    columns = {normalized(c.name): c for c in COLUMNS[name]}
    positions: dict[str, int] = {}
    for index, cell in enumerate(titles):
        title = _text(cell.value)
        if not title:
            continue
        column = columns.get(normalized(title.split("(", 1)[0]))
        if column is None:
            check.add(name, 1, f'cột "{title}" không có trong mẫu')
        elif column.key in positions:
            check.add(name, 1, f'cột "{column.name}" ghi hai lần')
        else:
            positions[column.key] = index
    for column in COLUMNS[name]:
        if column.key not in positions:
            check.add(name, 1, f'thiếu cột "{column.name}"')
    result = []
    for number, line in enumerate(lines, start=2):
        if all(_text(cell.value) == "" for cell in line):
            continue
        # A column past the row's last cell is present but empty.
        cells = {
            key: line[index] if index < len(line) else None for key, index in positions.items()
        }
        values = {key: cell.value if cell is not None else None for key, cell in cells.items()}
        formats = {key: str(cell.number_format) for key, cell in cells.items() if cell is not None}
        result.append(_Row(number, values, formats))
    return result


async def _plan(
    session: AsyncSession, rows: list[_Row] | None, check: _Checker
) -> tuple[str, str] | None:
    """The plan's code and title from the one row of the plan sheet."""
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
    if code and await session.scalar(select(Plan.id).where(Plan.code == code)) is not None:
        check.add(PLAN_SHEET, row.number, f'kế hoạch "{code}" đã có trong cơ sở dữ liệu')
    return code, title


def _groups(rows: list[_Row] | None, check: _Checker) -> dict[str, str]:
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


@dataclass(frozen=True)
class _TaskRow:
    code: str
    group: str
    title: str
    kind: str
    deliverable: str
    lead: int
    support: tuple[int, ...]
    deadline: date


async def _tasks(
    session: AsyncSession,
    rows: list[_Row] | None,
    groups: set[str],
    units: dict[str, int],
    check: _Checker,
) -> list[_TaskRow]:
    """Tasks and pilot models, each with its lead and support units."""
    if rows is None:
        return []
    if not rows:
        check.add(TASK_SHEET, None, "chưa có nhiệm vụ nào")
    sheet = TASK_SHEET
    existing = await _existing(session, Task.code, [row.text("code") for row in rows])
    seen: dict[str, int] = {}
    tasks = []
    for row in rows:
        before = len(check.issues)
        code = check.text(sheet, row, "code")
        _unique(check, sheet, row.number, "mã nhiệm vụ", code, seen, existing)
        group = check.text(sheet, row, "group")
        if group and group not in groups and groups:
            check.add(sheet, row.number, f'mã nhóm "{group}" không có trong trang "{GROUP_SHEET}"')
        title = check.text(sheet, row, "title")
        kind = _task_kind(check, row)
        deliverable = check.text(sheet, row, "deliverable")
        lead_code = check.text(sheet, row, "lead")
        lead = units.get(normalized(lead_code))
        if lead_code and lead is None:
            check.add(sheet, row.number, f'đơn vị chủ trì "{lead_code}" không tồn tại')
        support = _support(check, row, units, lead_code)
        deadline = _deadline(check, sheet, row)
        if len(check.issues) == before:
            tasks.append(
                _TaskRow(
                    code,
                    group,
                    title,
                    kind,
                    deliverable,
                    lead or 0,
                    support,
                    deadline or date.min,
                )
            )
    return tasks


def _task_kind(check: _Checker, row: _Row) -> str:
    """'nhiệm vụ' (the default when empty) or 'mô hình điểm'; the stored codes are accepted."""
    text = row.text("kind")
    if not text:
        return TaskKind.TASK
    kind = KIND_WORDS.get(normalized(text)) or (text if text in set(TaskKind) else "")
    if not kind:
        check.add(TASK_SHEET, row.number, f'loại "{text}" không hợp lệ (nhiệm vụ / mô hình điểm)')
    return kind


def _support(check: _Checker, row: _Row, units: dict[str, int], lead_code: str) -> tuple[int, ...]:
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


def _deadline(check: _Checker, sheet: str, row: _Row) -> date | None:
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


@dataclass(frozen=True)
class _IndicatorRow:
    code: str
    title: str
    kind: str
    unit: int
    target: float
    direction: str


async def _indicators(
    session: AsyncSession, rows: list[_Row] | None, units: dict[str, int], check: _Checker
) -> list[_IndicatorRow]:
    """Indicators with their unit, target and direction."""
    sheet = INDICATOR_SHEET
    existing = await _existing(session, Indicator.code, [row.text("code") for row in rows or []])
    seen: dict[str, int] = {}
    indicators = []
    for row in rows or []:
        before = len(check.issues)
        code = check.text(sheet, row, "code")
        _unique(check, sheet, row.number, "mã chỉ tiêu", code, seen, existing)
        title = check.text(sheet, row, "title")
        kind_text = check.text(sheet, row, "kind")
        kind = INDICATOR_KIND_WORDS.get(_kind_key(kind_text), "")
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
        target = _target(check, row, kind)
        direction_text = row.text("direction")
        direction = DIRECTION_WORDS.get(direction_text, direction_text) if direction_text else ">="
        if direction not in DIRECTION_WORDS.values():
            check.add(sheet, row.number, f'chiều "{direction_text}" không hợp lệ (≥ hoặc ≤)')
        if len(check.issues) == before:
            indicators.append(_IndicatorRow(code, title, kind, unit or 0, target or 0.0, direction))
    return indicators


def _kind_key(text: str) -> str:
    """'có/không', 'Có - không' and 'có-không' are one kind."""
    return re.sub(r"\s*[/-]\s*", "-", normalized(text))


def _target(check: _Checker, row: _Row, kind: str) -> float | None:
    """The target as a number: ratios in percent, yes/no as 1 or 0."""
    sheet = INDICATOR_SHEET
    value = row.value("target")
    if isinstance(value, bool):
        number: float | None = float(value)
    elif isinstance(value, int | float):
        # A cell formatted as a percentage holds 0.7 for 70%.
        percent = "%" in row.formats.get("target", "")
        number = float(value) * (100 if percent else 1)
    else:
        text = check.text(sheet, row, "target")
        if not text:
            return None
        number = _parse_number(text)
        if number is None:
            check.add(sheet, row.number, f'chỉ tiêu "{text}" không phải là số')
            return None
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


def _unique(
    check: _Checker,
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


async def _existing(session: AsyncSession, column: Any, codes: Iterable[str]) -> set[str]:
    """Which of these codes the database already has."""
    wanted = sorted({code for code in codes if code})
    found: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        found.update(await session.scalars(select(column).where(column.in_(chunk))))
    return found


async def _write(
    session: AsyncSession,
    plan_row: tuple[str, str],
    groups: dict[str, str],
    tasks: list[_TaskRow],
    indicators: list[_IndicatorRow],
    now: datetime,
    actor_account: str,
) -> Imported:
    """Insert everything checked; ids come back from batched inserts, not row by row."""
    plan = Plan(code=plan_row[0], title=plan_row[1])
    session.add(plan)
    await session.flush()
    plan_id = plan.id or 0
    group_rows = {
        code: TaskGroup(plan_id=plan_id, code=code, title=t) for code, t in groups.items()
    }
    session.add_all(group_rows.values())
    await session.flush()
    task_rows = [
        Task(
            group_id=group_rows[t.group].id or 0,
            code=t.code,
            title=t.title,
            kind=t.kind,
            deliverable=t.deliverable,
        )
        for t in tasks
    ]
    session.add_all(task_rows)
    await session.flush()
    assignments = []
    for source, task in zip(tasks, task_rows, strict=True):
        for unit_id, role in [
            (source.lead, AssignmentRole.LEAD),
            *((u, AssignmentRole.SUPPORT) for u in source.support),
        ]:
            assignments.append(
                Assignment(
                    task_id=task.id or 0,
                    unit_id=unit_id,
                    role=role,
                    deadline=source.deadline,
                    original_deadline=source.deadline,
                )
            )
    session.add_all(assignments)
    session.add_all(
        Indicator(
            code=i.code,
            title=i.title,
            kind=i.kind,
            unit_id=i.unit,
            target=i.target,
            direction=i.direction,
            plan_id=plan_id,
        )
        for i in indicators
    )
    await session.flush()
    pilots = sum(1 for t in tasks if t.kind == TaskKind.PILOT_MODEL)
    supports = sum(len(t.support) for t in tasks)
    result = Imported(
        plan_id=plan_id,
        plan_code=plan.code,
        groups=len(group_rows),
        tasks=len(tasks) - pilots,
        pilot_models=pilots,
        lead_assignments=len(tasks),
        support_assignments=supports,
        indicators=len(indicators),
    )
    audit.record(
        session,
        now=now,
        action="plan.imported",
        actor_account=actor_account,
        entity="plan",
        entity_id=plan_id,
        after={"code": plan.code, "title": plan.title, **_counts(result)},
    )
    return result


def _counts(result: Imported) -> dict[str, int]:
    return {
        "groups": result.groups,
        "tasks": result.tasks,
        "pilot_models": result.pilot_models,
        "lead_assignments": result.lead_assignments,
        "support_assignments": result.support_assignments,
        "indicators": result.indicators,
    }


def _text(value: Any) -> str:
    """A cell as trimmed text; whole numbers without '.0' (a code typed as 1 is "1")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())
