"""Importing a plan from Excel: the template round-trip, every kind of bad file, a big plan.

Workbooks are generated here with openpyxl; no binary fixture is committed. The province is
tests/province.py (units UBND, CA, SYT, SGDDT, X-DC; tasks NV-01..NV-03, MH-01) plus one
indicator CT-99 of our own, so that "already in the database" can be tried for both codes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cli
from bot.services.plan.importing import Imported, PlanImportError, import_plan
from bot.services.plan.template import (
    COLUMNS,
    SHEETS,
    STAFF_SHEETS,
    UNIT_SHEET,
    template,
    template_units,
)
from db.engine import Database
from db.migrate import upgrade
from db.models import (
    Assignment,
    AuditLog,
    Indicator,
    Plan,
    Task,
    TaskGroup,
    Unit,
)
from tests.province import build_province

NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 16)
TABLES = (Plan, TaskGroup, Task, Assignment, Indicator, AuditLog)

Sheets = dict[str, list[list[Any]]]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    async with database.transaction() as session:
        await build_province(session, NOW)
        await _add_indicator(session)
    yield database
    await database.dispose()


async def _add_indicator(session: AsyncSession) -> None:
    unit = await session.scalar(select(Unit).where(Unit.code == "SYT"))
    assert unit is not None
    session.add(Indicator(code="CT-99", title="Có sẵn", kind="count", unit_id=unit.id, target=1))


def _headers(sheet: str) -> list[str]:
    return [column.title for column in COLUMNS[sheet]]


def good_plan() -> Sheets:
    """A small valid plan: two groups, a task and a pilot model, two indicators."""
    return {
        "Kế hoạch": [_headers("Kế hoạch"), ["87/KH-UBND", "Kế hoạch 87/KH-UBND ngày 31/01/2024"]],
        "Nhóm nhiệm vụ": [
            _headers("Nhóm nhiệm vụ"),
            ["A", "Nhóm thể chế"],
            ["B", "Nhóm mô hình điểm"],
        ],
        "Nhiệm vụ": [
            _headers("Nhiệm vụ"),
            [
                "NV-A1",
                "A",
                "Ban hành quy chế",
                "nhiệm vụ",
                "Quy chế",
                "CA",
                "SYT, SGDDT",
                "31/12/2026",
            ],
            [
                "MH-B1",
                "B",
                "KIOSK thông minh",
                "Mô hình điểm",
                "02 KIOSK",
                "SYT",
                "",
                datetime(2027, 3, 31),
            ],
        ],
        "Chỉ tiêu": [
            _headers("Chỉ tiêu"),
            ["CT-A1", "Tỷ lệ hồ sơ trực tuyến", "tỷ lệ", "SYT", "70%", "≥"],
            ["CT-A2", "Hồ sơ quá hạn", "Tỷ lệ", "CA", 3, "≤"],
        ],
    }


def workbook_bytes(sheets: Sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _import(db: Database, data: bytes) -> Imported:
    async with db.transaction() as session:
        return await import_plan(session, data, now=NOW)


async def _counts(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return {
            table.__name__: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in TABLES
        }


async def _errors(db: Database, sheets: Sheets) -> list[str]:
    """Import a bad file: it must fail, list its errors and change nothing."""
    before = await _counts(db)
    with pytest.raises(PlanImportError) as caught:
        await _import(db, workbook_bytes(sheets))
    assert await _counts(db) == before
    return [str(issue) for issue in caught.value.issues]


async def test_the_template_imports_as_it_is(db: Database) -> None:
    async with db.read() as session:
        units = await template_units(session)
    data = template(today=TODAY, units=units)
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == [*SHEETS, *STAFF_SHEETS, UNIT_SHEET]
    tasks = book["Nhiệm vụ"]
    assert [c.value for c in tasks[1]] == _headers("Nhiệm vụ")
    assert all(c.font.bold for c in tasks[1])
    assert tasks["H2"].value == datetime(2026, 12, 31) and tasks["H2"].number_format == "dd/mm/yyyy"
    assert tasks.column_dimensions["C"].width == 60

    imported = await _import(db, data)

    assert (imported.groups, imported.tasks, imported.pilot_models, imported.indicators) == (
        1,
        1,
        0,
        1,
    )
    async with db.read() as session:
        plan = await session.scalar(select(Plan).where(Plan.code == "KH-DA06-2026"))
        assert plan is not None and plan.title == "Kế hoạch triển khai Đề án 06 năm 2026"
        task = await session.scalar(select(Task).where(Task.code == "NV-MAU-01"))
        assert task is not None and task.kind == "task"
        assert task.deliverable == "Báo cáo kết quả; danh sách dịch vụ công đã cung cấp"
        rows = await session.execute(
            select(Unit.code, Assignment.role, Assignment.deadline, Assignment.status)
            .join(Unit, Unit.id == Assignment.unit_id)
            .where(Assignment.task_id == task.id)
            .order_by(Assignment.role, Unit.code)
        )
        # Departments come first in the template's examples: SGDDT leads, SYT and the commune help.
        assert [tuple(r) for r in rows] == [
            ("SGDDT", "lead", date(2026, 12, 31), "not_started"),
            ("SYT", "support", date(2026, 12, 31), "not_started"),
            ("X-DC", "support", date(2026, 12, 31), "not_started"),
        ]
        indicator = await session.scalar(select(Indicator).where(Indicator.code == "CT-MAU-01"))
        assert indicator is not None
        assert (indicator.kind, indicator.target, indicator.direction) == ("ratio", 70.0, ">=")
        assert indicator.plan_id == plan.id
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "plan.imported"))
        assert entry is not None and entry.entity_id == plan.id and entry.actor_account == "cli"
        assert entry.after is not None and entry.after["tasks"] == 1


async def test_a_good_plan_imports_tasks_pilot_models_and_indicators(db: Database) -> None:
    imported = await _import(db, workbook_bytes(good_plan()))
    assert imported.tasks == 1 and imported.pilot_models == 1
    assert (imported.lead_assignments, imported.support_assignments) == (2, 2)
    async with db.read() as session:
        pilot = await session.scalar(select(Task).where(Task.code == "MH-B1"))
        assert pilot is not None and pilot.kind == "pilot_model"
        deadline = await session.scalar(
            select(Assignment.deadline).where(Assignment.task_id == pilot.id)
        )
        assert deadline == date(2027, 3, 31)
        targets = dict((await session.execute(select(Indicator.code, Indicator.target))).all())
        assert targets["CT-A1"] == 70.0 and targets["CT-A2"] == 3.0
        direction = await session.scalar(
            select(Indicator.direction).where(Indicator.code == "CT-A2")
        )
        assert direction == "<="
    assert await _counts(db) == {
        "Plan": 2,
        "TaskGroup": 3,
        "Task": 6,
        "Assignment": 8,
        "Indicator": 3,
        "AuditLog": 12,
    }


def _set(sheets: Sheets, sheet: str, row: int, column: str, value: Any) -> None:
    """Change one cell, addressed by sheet row number (1 = headers) and column key."""
    keys = [c.key for c in COLUMNS[sheet]]
    sheets[sheet][row - 1][keys.index(column)] = value


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value", "error"),
    [
        ("Nhiệm vụ", 2, "lead", "SYTT", 'Nhiệm vụ, dòng 2: đơn vị chủ trì "SYTT" không tồn tại'),
        (
            "Nhiệm vụ",
            2,
            "support",
            "SYT, XYZ",
            'Nhiệm vụ, dòng 2: đơn vị phối hợp "XYZ" không tồn tại',
        ),
        ("Nhiệm vụ", 2, "support", "CA", 'Nhiệm vụ, dòng 2: đơn vị "CA" vừa chủ trì vừa phối hợp'),
        (
            "Nhiệm vụ",
            3,
            "deadline",
            "31/13/2026",
            'Nhiệm vụ, dòng 3: thời hạn "31/13/2026" không phải ngày dd/mm/yyyy',
        ),
        (
            "Nhiệm vụ",
            3,
            "deadline",
            "sớm",
            'Nhiệm vụ, dòng 3: thời hạn "sớm" không phải ngày dd/mm/yyyy',
        ),
        ("Nhiệm vụ", 3, "code", "NV-A1", 'Nhiệm vụ, dòng 3: mã nhiệm vụ "NV-A1" trùng với dòng 2'),
        (
            "Nhiệm vụ",
            3,
            "code",
            "NV-01",
            'Nhiệm vụ, dòng 3: mã nhiệm vụ "NV-01" đã có trong cơ sở dữ liệu',
        ),
        ("Nhiệm vụ", 2, "title", "  ", 'Nhiệm vụ, dòng 2: thiếu "Tên nhiệm vụ"'),
        ("Nhiệm vụ", 2, "deadline", None, 'Nhiệm vụ, dòng 2: thiếu "Thời hạn"'),
        (
            "Nhiệm vụ",
            2,
            "kind",
            "dự án",
            'Nhiệm vụ, dòng 2: loại "dự án" không hợp lệ (nhiệm vụ / mô hình điểm)',
        ),
        (
            "Nhiệm vụ",
            2,
            "group",
            "Z",
            'Nhiệm vụ, dòng 2: mã nhóm "Z" không có trong trang "Nhóm nhiệm vụ"',
        ),
        (
            "Nhiệm vụ",
            2,
            "code",
            "X" * 40,
            'Nhiệm vụ, dòng 2: "Mã nhiệm vụ" dài 40 ký tự, tối đa 32',
        ),
        ("Chỉ tiêu", 3, "code", "CT-A1", 'Chỉ tiêu, dòng 3: mã chỉ tiêu "CT-A1" trùng với dòng 2'),
        (
            "Chỉ tiêu",
            2,
            "code",
            "CT-99",
            'Chỉ tiêu, dòng 2: mã chỉ tiêu "CT-99" đã có trong cơ sở dữ liệu',
        ),
        (
            "Chỉ tiêu",
            2,
            "kind",
            "phần trăm",
            'Chỉ tiêu, dòng 2: loại "phần trăm" không hợp lệ (tỷ lệ / số lượng / có-không)',
        ),
        (
            "Chỉ tiêu",
            2,
            "target",
            "bảy mươi",
            'Chỉ tiêu, dòng 2: chỉ tiêu "bảy mươi" không phải là số',
        ),
        (
            "Chỉ tiêu",
            2,
            "target",
            170,
            "Chỉ tiêu, dòng 2: chỉ tiêu tỷ lệ phải từ 0 đến 100 (%), không phải 170",
        ),
        ("Chỉ tiêu", 2, "direction", "=", 'Chỉ tiêu, dòng 2: chiều "=" không hợp lệ (≥ hoặc ≤)'),
        ("Chỉ tiêu", 2, "unit", "SXD", 'Chỉ tiêu, dòng 2: đơn vị "SXD" không tồn tại'),
        ("Nhóm nhiệm vụ", 3, "code", "A", 'Nhóm nhiệm vụ, dòng 3: mã nhóm "A" trùng với dòng 2'),
    ],
)
async def test_each_kind_of_bad_cell_is_named_with_its_sheet_and_row(
    db: Database, sheet: str, row: int, column: str, value: Any, error: str
) -> None:
    sheets = good_plan()
    _set(sheets, sheet, row, column, value)
    assert error in await _errors(db, sheets)


async def test_a_missing_sheet_and_wrong_headers_are_named(db: Database) -> None:
    sheets = good_plan()
    del sheets["Chỉ tiêu"]
    sheets["Nhiệm vụ"][0][4] = "San pham"
    sheets["Nhóm nhiệm vụ"][0] = ["Mã nhóm"]
    assert await _errors(db, sheets) == [
        'Nhóm nhiệm vụ, dòng 1: thiếu cột "Tên nhóm"',
        'Nhiệm vụ, dòng 1: cột "San pham" không có trong mẫu',
        'Nhiệm vụ, dòng 1: thiếu cột "Sản phẩm"',
        'thiếu trang tính "Chỉ tiêu"',
    ]


async def test_every_error_of_a_bad_file_is_listed_and_nothing_is_imported(db: Database) -> None:
    sheets = good_plan()
    sheets["Nhiệm vụ"] += [
        ["NV-A3", "A", "Nhiệm vụ ba", "nhiệm vụ", "Báo cáo", "CA", "", "01/02/2027"],
        ["NV-A4", "A", "Nhiệm vụ bốn", "nhiệm vụ", "Báo cáo", "CA", "", "01/02/2027"],
        [None] * 8,  # a blank row is skipped, but keeps its number
        ["NV-A1", "A", "", "việc", "Báo cáo", "SYTT", "", "30/02/2027"],
    ]
    sheets["Chỉ tiêu"][2][4] = "ba"
    sheets["Chỉ tiêu"][2][5] = ">"
    assert await _errors(db, sheets) == [
        'Nhiệm vụ, dòng 7: mã nhiệm vụ "NV-A1" trùng với dòng 2',
        'Nhiệm vụ, dòng 7: thiếu "Tên nhiệm vụ"',
        'Nhiệm vụ, dòng 7: loại "việc" không hợp lệ (nhiệm vụ / mô hình điểm)',
        'Nhiệm vụ, dòng 7: đơn vị chủ trì "SYTT" không tồn tại',
        'Nhiệm vụ, dòng 7: thời hạn "30/02/2027" không phải ngày dd/mm/yyyy',
        'Chỉ tiêu, dòng 3: chỉ tiêu "ba" không phải là số',
        'Chỉ tiêu, dòng 3: chiều ">" không hợp lệ (≥ hoặc ≤)',
    ]


async def test_a_plan_without_tasks_or_a_second_plan_row_is_refused(db: Database) -> None:
    sheets = good_plan()
    sheets["Nhiệm vụ"] = sheets["Nhiệm vụ"][:1]
    sheets["Kế hoạch"].append(["KH-2", "Kế hoạch thứ hai"])
    assert await _errors(db, sheets) == [
        "Kế hoạch, dòng 3: mỗi tệp chỉ nhập một kế hoạch; dòng này thừa",
        "Nhiệm vụ: chưa có nhiệm vụ nào",
    ]


async def test_a_file_that_is_not_excel_is_refused(db: Database) -> None:
    before = await _counts(db)
    with pytest.raises(PlanImportError) as caught:
        await _import(db, b"Ma nhiem vu;Ten\nNV-1;x\n")
    [issue] = caught.value.issues
    assert str(issue).startswith("không đọc được tệp Excel (.xlsx)")
    assert await _counts(db) == before


async def test_targets_are_read_as_an_operator_writes_them(db: Database) -> None:
    sheets = good_plan()
    sheets["Chỉ tiêu"][1:] = [
        ["CT-1", "a", "tỷ lệ", "SYT", "72,5%", ""],
        ["CT-2", "b", "có/không", "SYT", "có", "≥"],
        ["CT-3", "c", "số lượng", "SYT", 12, ">="],
        ["CT-4", "d", "Có - Không", "SYT", 0, "<="],
    ]
    book = load_workbook(BytesIO(workbook_bytes(sheets)))
    book["Chỉ tiêu"].append(["CT-5", "e", "tỷ lệ", "SYT", 0.45, "≥"])
    book["Chỉ tiêu"]["E6"].number_format = "0%"  # a percentage cell holds 0.45 for 45%
    buffer = BytesIO()
    book.save(buffer)
    await _import(db, buffer.getvalue())
    async with db.read() as session:
        rows = await session.execute(
            select(Indicator.code, Indicator.kind, Indicator.target, Indicator.direction)
            .where(Indicator.code.in_(["CT-1", "CT-2", "CT-3", "CT-4", "CT-5"]))
            .order_by(Indicator.code)
        )
        assert [tuple(r) for r in rows] == [
            ("CT-1", "ratio", 72.5, ">="),
            ("CT-2", "yes_no", 1.0, ">="),
            ("CT-3", "count", 12.0, ">="),
            ("CT-4", "yes_no", 0.0, "<="),
            ("CT-5", "ratio", 45.0, ">="),
        ]


def big_plan(tasks: int) -> Sheets:
    """A plan of `tasks` tasks in 10 groups, every fifth a pilot model with two supports."""
    sheets = good_plan()
    sheets["Nhóm nhiệm vụ"][1:] = [[f"G{g}", f"Nhóm {g}"] for g in range(10)]
    sheets["Nhiệm vụ"][1:] = [
        [
            f"BIG-{n:04d}",
            f"G{n % 10}",
            f"Nhiệm vụ số {n}",
            "mô hình điểm" if n % 5 == 0 else "nhiệm vụ",
            f"Sản phẩm {n}",
            ("SYT", "SGDDT", "X-DC")[n % 3],
            "CA, UBND" if n % 5 == 0 else "",
            date(2027, 1 + n % 12, 1 + n % 28),
        ]
        for n in range(tasks)
    ]
    return sheets


async def test_a_plan_of_500_tasks_imports(db: Database) -> None:
    data = workbook_bytes(big_plan(500))
    started = time.perf_counter()
    imported = await _import(db, data)
    elapsed = time.perf_counter() - started
    print(f"\nimported 500 tasks ({db.url.split(':')[0]}) in {elapsed:.2f} s")
    assert (imported.tasks, imported.pilot_models) == (400, 100)
    assert (imported.lead_assignments, imported.support_assignments) == (500, 200)
    async with db.read() as session:
        count = await session.scalar(
            select(func.count()).select_from(Task).where(Task.code.like("BIG-%"))
        )
        assert count == 500
        deadline = await session.scalar(
            select(Assignment.deadline)
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.code == "BIG-0137")
        )
        assert deadline == date(2027, 1 + 137 % 12, 1 + 137 % 28)


def test_the_command_line_imports_or_lists_errors_and_exits_2(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the working directory
    monkeypatch.setenv("ROVIEC_DATABASE_URL", sqlite_url)

    async def prepare() -> None:
        database = Database(sqlite_url)
        await upgrade(database)
        async with database.transaction() as session:
            await build_province(session, NOW)
        await database.dispose()

    asyncio.run(prepare())
    bad = good_plan()
    _set(bad, "Nhiệm vụ", 2, "lead", "SYTT")
    _set(bad, "Nhiệm vụ", 3, "deadline", "32/01/2027")
    (tmp_path / "bad.xlsx").write_bytes(workbook_bytes(bad))
    (tmp_path / "good.xlsx").write_bytes(workbook_bytes(good_plan()))

    assert cli.main(["import", "bad.xlsx"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        'roviec: Nhiệm vụ, dòng 2: đơn vị chủ trì "SYTT" không tồn tại',
        'roviec: Nhiệm vụ, dòng 3: thời hạn "32/01/2027" không phải ngày dd/mm/yyyy',
        "roviec: 2 lỗi, chưa nhập gì",
    ]
    assert cli.main(["import", "missing.xlsx"]) == 2
    assert "missing.xlsx" in capsys.readouterr().err
    assert cli.main(["import", "good.xlsx"]) == 0
    assert capsys.readouterr().out.strip() == (
        "đã nhập kế hoạch 87/KH-UBND: 2 nhóm, 1 nhiệm vụ, 1 mô hình điểm, "
        "2 đơn vị chủ trì, 2 đơn vị phối hợp, 2 chỉ tiêu"
    )
    assert cli.main(["template", "mau.xlsx"]) == 0
    assert load_workbook(tmp_path / "mau.xlsx").sheetnames[:4] == list(SHEETS)
