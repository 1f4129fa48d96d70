"""The tracking workbook, read back with openpyxl and checked cell by cell.

The story: Monday 16 November 2026 in Hà Nội; the monthly period runs from 15/11 to 14/12.
On top of tests/province.py, Sở Y tế reported 40% on NV-01 (five days late) with an open
difficulty, finished NV-02 on Sunday 15/11 (waiting for confirmation), and keeps the pilot
model MH-01 running; Sở GD&ĐT helps on NV-01 and finished its own NV-04 late on 14/11, the
last day of the previous period. Three indicators: one met, one never reported, one with
only last period's value.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cli
from bot.services.dates.periods import Regime
from bot.services.export.tracking_sheet import TRACKING_HEADER_ROW
from bot.services.export.workbook import SUMMARY_SHEET, TRACKING_SHEET, export
from db.engine import Database
from db.migrate import upgrade
from db.models import (
    Assignment,
    AuditLog,
    Blocker,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Task,
    TaskGroup,
    Unit,
)
from tests.province import ZONE, Province, build_province

NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội
TODAY = date(2026, 11, 16)

# What the database holds, written as the standing office reads it: the words are the
# report format's, so they are spelled out here rather than taken from the module.
STATUS = {
    "not_started": "chưa thực hiện",
    "in_progress": "đang thực hiện",
    "done": "hoàn thành",
    "maintained": "đang duy trì",
}
# A result reported done counts as done once the standing office confirms it.
CLAIM = "chờ xác nhận"
NOTE = (
    "“Hoàn thành” chỉ tính kết quả đã được cơ quan thường trực xác nhận; "
    "“chờ xác nhận” là kết quả đơn vị đã báo hoàn thành nhưng chưa được xác nhận."
)


async def _unit(session: AsyncSession, code: str) -> int:
    unit_id = await session.scalar(select(Unit.id).where(Unit.code == code))
    assert unit_id is not None
    return unit_id


async def build_story(session: AsyncSession) -> Province:
    """The province of tests/province.py after a week of work (see the module docstring)."""
    p = await build_province(session, NOW)
    health, education = await _unit(session, "SYT"), await _unit(session, "SGDDT")
    group = await session.scalar(select(TaskGroup.id))
    assert group is not None

    async def report(assignment_id: int, official: int, at: datetime, text: str) -> int:
        row = ProgressReport(
            assignment_id=assignment_id,
            official_id=official,
            status="in_progress",
            progress=0,
            done_text=text,
            channel="telegram",
            created_at=at,
        )
        session.add(row)
        await session.flush()
        return row.id or 0

    overdue = await session.get(Assignment, p.overdue)
    assert overdue is not None
    overdue.status, overdue.progress = "in_progress", 40
    await report(p.overdue, p.health_focal, datetime(2026, 11, 10, 2, tzinfo=UTC), "Bắt đầu")
    first = await report(
        p.overdue, p.health_focal, datetime(2026, 11, 15, 1, tzinfo=UTC), "Đã lắp 12/20 đầu đọc"
    )
    session.add(
        Blocker(assignment_id=p.overdue, report_id=first, text="Thiếu kinh phí", opened_at=NOW)
    )
    session.add(
        Blocker(
            assignment_id=p.overdue,
            report_id=first,
            text="Chưa có mạng",
            opened_at=NOW,
            resolved_at=NOW,
        )
    )
    session.add(
        Assignment(
            task_id=overdue.task_id,
            unit_id=education,
            role="support",
            deadline=overdue.deadline,
            original_deadline=overdue.deadline,
            status="in_progress",
            progress=30,
        )
    )
    done = await session.get(Assignment, p.due_soon)
    assert done is not None
    done.status, done.progress, done.done_on, done.review = (
        "done",
        100,
        date(2026, 11, 15),
        "pending",
    )
    await report(p.due_soon, p.health_focal, datetime(2026, 11, 15, 2, tzinfo=UTC), "Đã cấp sổ")
    pilot = await session.get(Assignment, p.later)
    assert pilot is not None
    pilot.status, pilot.progress = "maintained", 100
    late = Task(group_id=group, code="NV-04", title="Số hóa học bạ", deliverable="Học bạ số")
    session.add(late)
    await session.flush()
    late_assignment = Assignment(
        task_id=late.id or 0,
        unit_id=education,
        deadline=date(2026, 11, 6),
        original_deadline=date(2026, 11, 6),
        status="done",
        progress=100,
        done_on=date(2026, 11, 14),
        review="confirmed",
    )
    session.add(late_assignment)
    await session.flush()
    await report(
        late_assignment.id or 0,
        p.education_focal,
        datetime(2026, 11, 14, 3, tzinfo=UTC),
        "Đã số hóa 100% học bạ",
    )
    indicators = [
        Indicator(code="CT-A", title="Tỷ lệ A", kind="ratio", unit_id=health, target=70),
        Indicator(
            code="CT-B",
            title="Số B",
            kind="count",
            unit_id=await _unit(session, "CA"),
            target=3,
            direction="<=",
        ),
        Indicator(code="CT-C", title="Có C", kind="yes_no", unit_id=education, target=1),
    ]
    session.add_all(indicators)
    await session.flush()
    for indicator, key, value, at in [
        (indicators[0], "2026-M12", 60.0, NOW - timedelta(hours=5)),
        (indicators[0], "2026-M12", 75.0, NOW - timedelta(hours=1)),
        (indicators[2], "2026-M11", 0.0, NOW - timedelta(days=20)),
    ]:
        session.add(
            IndicatorValue(
                indicator_id=indicator.id or 0,
                period_key=key,
                value=value,
                official_id=p.health_focal,
                created_at=at,
            )
        )
    return p


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    async with database.transaction() as session:
        await build_story(session)
    yield database
    await database.dispose()


async def _workbook(db: Database, regime: Regime | None = None) -> Any:
    async with db.transaction() as session:
        made = await export(session, now=NOW, today=TODAY, zone=ZONE, regime=regime)
    assert made.filename == "bao-cao-de-an-06-2026-11-16.xlsx"
    return load_workbook(BytesIO(made.data))


def _rows(sheet: Worksheet, first: int) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(min_row=first, values_only=True)]


def _day(d: int, m: int, y: int = 2026) -> datetime:
    return datetime(y, m, d)


async def test_the_tracking_table_matches_the_database_cell_by_cell(db: Database) -> None:
    book = await _workbook(db)
    assert book.sheetnames == [TRACKING_SHEET, SUMMARY_SHEET]
    sheet = book[TRACKING_SHEET]
    assert sheet["A2"].value == "Số liệu đến ngày 16/11/2026"
    headers = [c.value for c in sheet[TRACKING_HEADER_ROW]]
    assert headers == [
        "Đơn vị",
        "Mã nhiệm vụ",
        "Nhiệm vụ",
        "Loại",
        "Vai trò",
        "Trạng thái",
        "Tiến độ (%)",
        "Thời hạn",
        "Tình trạng thời hạn",
        "Ngày báo cáo gần nhất",
        "Nội dung báo cáo gần nhất",
        "Khó khăn, vướng mắc chưa giải quyết",
        "Xác nhận kết quả",
    ]
    assert all(c.font.bold for c in sheet[TRACKING_HEADER_ROW])
    edu, health = "Sở Giáo dục và Đào tạo", "Sở Y tế"
    title = "Khám chữa bệnh bằng thẻ Căn cước gắn chip"
    assert _rows(sheet, TRACKING_HEADER_ROW + 1) == [
        # Sở GD&ĐT: its own late task, its support on NV-01, its task due in ten days.
        (edu, "NV-04", "Số hóa học bạ", "nhiệm vụ", "chủ trì", "hoàn thành", 100, _day(6, 11),
         "hoàn thành quá hạn", _day(14, 11), "Đã số hóa 100% học bạ", None, "đã xác nhận"),
        (edu, "NV-01", title, "nhiệm vụ", "phối hợp", "đang thực hiện", 30, _day(11, 11),
         "quá hạn 5 ngày", None, None, None, None),
        (edu, "NV-03", "Thu học phí không dùng tiền mặt", "nhiệm vụ", "chủ trì",
         "chưa thực hiện", 0, _day(26, 11), "trong hạn", None, None, None, None),
        (health, "NV-01", title, "nhiệm vụ", "chủ trì", "đang thực hiện", 40, _day(11, 11),
         "quá hạn 5 ngày", _day(15, 11), "Đã lắp 12/20 đầu đọc", "Thiếu kinh phí", None),
        (health, "NV-02", "Cấp sổ sức khỏe điện tử", "nhiệm vụ", "chủ trì", CLAIM, 100,
         _day(19, 11), CLAIM, _day(15, 11), "Đã cấp sổ", None, "chờ xác nhận"),
        (health, "MH-01", "KIOSK y tế thông minh", "mô hình điểm", "chủ trì", "đang duy trì",
         100, _day(15, 1, 2027), "trong hạn", None, None, None, None),
    ]  # fmt: skip
    assert sheet.cell(row=TRACKING_HEADER_ROW + 1, column=8).number_format == "dd/mm/yyyy"
    # And the other way round: every assignment in the database is one row, as stored.
    async with db.read() as session:
        stored = await session.execute(
            select(
                Unit.name,
                Task.code,
                Assignment.status,
                Assignment.review,
                Assignment.progress,
                Assignment.deadline,
            )
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Task, Task.id == Assignment.task_id)
        )
        expected = {
            (u, code): (
                CLAIM if status == "done" and review != "confirmed" else STATUS[status],
                progress,
                datetime.combine(deadline, datetime.min.time()),
            )
            for u, code, status, review, progress, deadline in stored
        }
    shown = {(r[0], r[1]): (r[5], r[6], r[7]) for r in _rows(sheet, TRACKING_HEADER_ROW + 1)}
    assert shown == expected


def _section(sheet: Worksheet, title: str) -> list[tuple[Any, ...]]:
    """The rows of a titled table on the summary sheet (headers first), up to a blank row."""
    start = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == title)
    rows = []
    for row in sheet.iter_rows(min_row=start + 1, values_only=True):
        if row[0] is None:
            break
        rows.append(tuple(v for v in row if v is not None))
    return rows


async def test_the_summary_has_the_headline_figures_and_the_indicators(db: Database) -> None:
    sheet = (await _workbook(db))[SUMMARY_SHEET]
    assert sheet["A2"].value == "Số liệu đến ngày 16/11/2026"
    # NV-02 was reported done but is not confirmed yet: a claim, not a result.
    assert [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(5, 11)] == [
        ("Nhiệm vụ", "1/4 nhiệm vụ hoàn thành (đã xác nhận), đạt 25%"),
        ("Mô hình điểm", "0/1 mô hình hoàn thành"),
        ("Chờ xác nhận", "1 nhiệm vụ, 0 mô hình điểm"),
        ("Quá hạn", "1 nhiệm vụ, 0 mô hình điểm"),
        ("Lượt giao cho đơn vị", "6 lượt: 1 hoàn thành, 1 chờ xác nhận, 2 quá hạn"),
        ("Ghi chú", NOTE),
    ]
    assert _section(sheet, "Theo trạng thái") == [
        ("Trạng thái", "Nhiệm vụ", "Mô hình điểm", "Tổng số", "Lượt giao cho đơn vị"),
        ("hoàn thành", 1, 0, 1, 1),
        (CLAIM, 1, 0, 1, 1),
        ("đang duy trì", 0, 1, 1, 1),
        ("đang thực hiện", 1, 0, 1, 2),
        ("chưa thực hiện", 1, 0, 1, 1),
        ("Tổng số", 4, 1, 5, 6),
    ]
    groups = "Theo nhóm nhiệm vụ (nhiệm vụ và mô hình điểm, mỗi nhiệm vụ tính một lần)"
    assert _section(sheet, groups)[1:] == [
        ("N1", "Dịch vụ công trực tuyến", 5, 1, 1, 1, 1, 1, 1, "20%")
    ]
    assert _section(sheet, "Theo thời hạn (số lượt giao cho đơn vị)")[1:] == [
        ("trong hạn", 2),
        ("quá hạn", 2),
        ("hoàn thành đúng hạn", 0),
        ("hoàn thành quá hạn", 1),
        (CLAIM, 1),
    ]
    indicators = _section(sheet, "Chỉ tiêu")
    assert indicators[0] == (
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị",
        "Loại",
        "Chiều",
        "Mục tiêu",
        "Giá trị",
        "Kỳ",
        "Đánh giá",
    )
    assert indicators[1:] == [
        ("CT-A", "Tỷ lệ A", "Sở Y tế", "tỷ lệ (%)", "≥", 70, 75, "2026-M12", "đạt"),
        ("CT-B", "Số B", "Công an tỉnh", "số lượng", "≤", 3, "chưa có số liệu"),
        ("CT-C", "Có C", "Sở Giáo dục và Đào tạo", "đạt/chưa đạt", "đạt", "chưa đạt",
         "2026-M11", "chưa đạt"),
    ]  # fmt: skip
    async with db.read() as session:
        entry = await session.scalar(select(AuditLog).where(AuditLog.action == "export.created"))
        assert entry is not None and entry.actor_account == "cli"
        assert entry.after == {
            "filename": "bao-cao-de-an-06-2026-11-16.xlsx",
            "assignments": 6,
            "period": None,
        }


async def test_with_a_period_only_its_reports_and_completions_count(db: Database) -> None:
    book = await _workbook(db, Regime.MONTH)
    sheet = book[TRACKING_SHEET]
    assert sheet["A2"].value == (
        "Số liệu đến ngày 16/11/2026 — kỳ báo cáo tháng 12/2026 (15/11/2026 – 14/12/2026)"
    )
    headers = [c.value for c in sheet[TRACKING_HEADER_ROW]]
    assert headers[9:] == [
        "Ngày báo cáo trong kỳ",
        "Nội dung báo cáo trong kỳ",
        "Khó khăn, vướng mắc chưa giải quyết",
        "Xác nhận kết quả",
        "Hoàn thành trong kỳ",
    ]
    by_task = {(r[0], r[1]): (r[9], r[10], r[13]) for r in _rows(sheet, TRACKING_HEADER_ROW + 1)}
    # NV-04 was finished and reported on 14/11, the last day of the previous period.
    assert by_task[("Sở Giáo dục và Đào tạo", "NV-04")] == (None, None, None)
    # NV-02 was reported done in the period, but a claim is not a completion yet.
    assert by_task[("Sở Y tế", "NV-02")] == (_day(15, 11), "Đã cấp sổ", None)
    assert by_task[("Sở Y tế", "NV-01")] == (_day(15, 11), "Đã lắp 12/20 đầu đọc", None)
    summary = book[SUMMARY_SHEET]
    assert summary["A3"].value == "Kỳ báo cáo tháng 12/2026 (15/11/2026 – 14/12/2026)"
    assert (summary["A10"].value, summary["B10"].value) == (
        "Hoàn thành trong kỳ",
        "0 nhiệm vụ, 0 mô hình điểm",
    )
    indicators = {row[0]: row for row in _section(summary, "Chỉ tiêu")[1:]}
    assert indicators["CT-A"][-3:] == (75, "2026-M12", "đạt")
    assert indicators["CT-C"][-1] == "chưa có số liệu"


def test_the_command_line_writes_the_workbook(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the working directory
    monkeypatch.setenv("ROVIEC_DATABASE_URL", sqlite_url)

    async def prepare() -> None:
        database = Database(sqlite_url)
        await upgrade(database)
        async with database.transaction() as session:
            await build_story(session)
        await database.dispose()

    asyncio.run(prepare())
    assert cli.main(["export", "bao-cao.xlsx", "--period", "quarter"]) == 0
    assert capsys.readouterr().out.strip() == "đã ghi bao-cao.xlsx: 6 dòng theo dõi"
    book = load_workbook(tmp_path / "bao-cao.xlsx")
    assert book.sheetnames == [TRACKING_SHEET, SUMMARY_SHEET]
    assert "kỳ báo cáo quý" in book[TRACKING_SHEET]["A2"].value
    assert cli.main(["export", "no/such/dir/x.xlsx"]) == 2
    assert capsys.readouterr().err.startswith("roviec: no/such/dir/x.xlsx: ")
