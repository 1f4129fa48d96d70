"""A revised plan imported again updates its tasks by code, keeps original deadlines, audits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.services.plan.importing import Outcome, PlanImportError, import_workbook
from db.engine import Database
from db.migrate import upgrade
from db.models import Assignment, AuditLog, ProgressReport, Task, Unit
from tests.bot.test_cli import Operator
from tests.commandline import CommandLine
from tests.province import Province, build_province
from tests.services.test_plan_import import NOW, Sheets, _headers, workbook_bytes

DELIVERABLE = "Báo cáo kết quả triển khai"


def revised() -> Sheets:
    """KH-TEST again: NV-01 as it was, NV-02 later with a new deliverable, NV-03 with a
    supporting unit, MH-01 led by another unit, and a new task in a new group."""
    task = _headers("Nhiệm vụ")
    return {
        "Kế hoạch": [_headers("Kế hoạch"), ["KH-TEST", "Kế hoạch thử nghiệm"]],
        "Nhóm nhiệm vụ": [
            _headers("Nhóm nhiệm vụ"),
            ["N1", "Dịch vụ công trực tuyến"],
            ["N2", "Chuyển đổi số"],
        ],
        "Nhiệm vụ": [
            task,
            [
                "NV-01",
                "N1",
                "Khám chữa bệnh bằng thẻ Căn cước gắn chip",
                "",
                DELIVERABLE,
                "SYT",
                "",
                "11/11/2026",
            ],
            [
                "NV-02",
                "N1",
                "Cấp sổ sức khỏe điện tử",
                "",
                "Sổ sức khỏe điện tử",
                "SYT",
                "",
                "30/11/2026",
            ],
            [
                "NV-03",
                "N1",
                "Thu học phí không dùng tiền mặt",
                "",
                DELIVERABLE,
                "SGDDT",
                "SYT",
                "26/11/2026",
            ],
            [
                "MH-01",
                "N1",
                "KIOSK y tế thông minh",
                "mô hình điểm",
                DELIVERABLE,
                "SGDDT",
                "",
                "15/01/2027",
            ],
            ["NV-04", "N2", "Ký số cho cán bộ", "", "Chứng thư số", "CA", "", "31/12/2026"],
        ],
        "Chỉ tiêu": [_headers("Chỉ tiêu")],
    }


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[tuple[Database, Province]]:
    database = Database(database_url)
    await upgrade(database)
    async with database.transaction() as session:
        province = await build_province(session, NOW)
    yield database, province
    await database.dispose()


async def _import(db: Database, sheets: Sheets) -> Outcome:
    async with db.transaction() as session:
        return await import_workbook(session, workbook_bytes(sheets), now=NOW)


async def _units(db: Database, code: str) -> list[tuple[str, str, date, date]]:
    async with db.read() as session:
        rows = await session.execute(
            select(Unit.code, Assignment.role, Assignment.deadline, Assignment.original_deadline)
            .join(Unit, Unit.id == Assignment.unit_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.code == code)
            .order_by(Assignment.role, Unit.code)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_a_revised_plan_updates_its_tasks_by_code(db: tuple[Database, Province]) -> None:
    database, _ = db
    outcome = await _import(database, revised())
    revision = outcome.revision
    assert outcome.plan is None and revision is not None
    assert (revision.groups_added, revision.tasks_added, revision.unchanged) == (
        ["N2"],
        ["NV-04"],
        1,
    )
    assert [str(c) for c in revision.changes] == [
        f"NV-02: sản phẩm: {DELIVERABLE} → Sổ sức khỏe điện tử",
        "NV-02: thời hạn: 19/11/2026 → 30/11/2026",
        "NV-03: thêm đơn vị phối hợp: — → SYT",
        "MH-01: thêm đơn vị chủ trì: — → SGDDT",
        "MH-01: bỏ đơn vị: SYT → —",
    ]
    # The deadline moves; the deadline first given stays.
    assert await _units(database, "NV-02") == [
        ("SYT", "lead", date(2026, 11, 30), date(2026, 11, 19))
    ]
    assert await _units(database, "NV-03") == [
        ("SGDDT", "lead", date(2026, 11, 26), date(2026, 11, 26)),
        ("SYT", "support", date(2026, 11, 26), date(2026, 11, 26)),
    ]
    assert await _units(database, "MH-01") == [
        ("SGDDT", "lead", date(2027, 1, 15), date(2027, 1, 15))
    ]
    assert await _units(database, "NV-04") == [
        ("CA", "lead", date(2026, 12, 31), date(2026, 12, 31))
    ]
    async with database.read() as session:
        task = await session.scalar(select(Task).where(Task.code == "NV-02"))
        assert task is not None and task.deliverable == "Sổ sức khỏe điện tử"
        entries = list(
            await session.scalars(select(AuditLog).where(AuditLog.action == "task.revised"))
        )
        assert len(entries) == 3
        assert entries[0].entity_id == task.id and entries[0].after is not None
        assert entries[0].after["changes"][1] == "NV-02: thời hạn: 19/11/2026 → 30/11/2026"
        assert await session.scalar(select(AuditLog).where(AuditLog.action == "plan.revised"))
    # The same file a second time changes nothing.
    again = await _import(database, revised())
    assert again.revision is not None and again.revision.changes == []
    assert again.revision.unchanged == 5 and again.revision.tasks_added == []


async def test_an_extension_granted_since_stays_when_the_file_repeats_the_deadline(
    db: tuple[Database, Province],
) -> None:
    database, province = db
    async with database.transaction() as session:
        await session.execute(
            update(Assignment)
            .where(Assignment.id == province.due_soon)
            .values(deadline=date(2026, 11, 25))
        )
    sheets = revised()
    sheets["Nhiệm vụ"][2][7] = "19/11/2026"  # NV-02 as first given
    outcome = await _import(database, sheets)
    assert outcome.revision is not None
    assert not [c for c in outcome.revision.changes if c.what == "thời hạn"]
    assert await _units(database, "NV-02") == [
        ("SYT", "lead", date(2026, 11, 25), date(2026, 11, 19))
    ]


async def test_a_unit_that_reported_cannot_be_taken_off_and_nothing_changes(
    db: tuple[Database, Province],
) -> None:
    database, province = db
    async with database.transaction() as session:
        session.add(
            ProgressReport(
                assignment_id=province.later,
                official_id=province.health_focal,
                status="in_progress",
                progress=10,
                done_text="Đã khảo sát",
                channel="telegram",
                created_at=NOW,
            )
        )
    with pytest.raises(PlanImportError) as caught:
        await _import(database, revised())
    assert [str(i) for i in caught.value.issues] == [
        'Nhiệm vụ, dòng 5: đơn vị "SYT" đã báo cáo hoặc xin gia hạn nhiệm vụ "MH-01": '
        "không bỏ đơn vị này được"
    ]
    assert await _units(database, "NV-02") == [
        ("SYT", "lead", date(2026, 11, 19), date(2026, 11, 19))
    ]
    async with database.read() as session:
        assert await session.scalar(select(Task).where(Task.code == "NV-04")) is None


def test_the_command_line_shows_the_changes_and_a_dry_run_writes_nothing(
    tmp_path: Path, command_line: CommandLine, sqlite_template: Path
) -> None:
    import asyncio
    import shutil

    operator = Operator(tmp_path, command_line)
    shutil.copyfile(sqlite_template, operator.database)

    async def prepare() -> None:
        database = Database(operator.variables["ROVIEC_DATABASE_URL"])
        async with database.transaction() as session:
            await build_province(session, NOW)
        await database.dispose()

    asyncio.run(prepare())
    (tmp_path / "revised.xlsx").write_bytes(workbook_bytes(revised()))
    shown = operator.ok("import", "revised.xlsx", "--dry-run").splitlines()
    assert shown[:3] == [
        "chạy thử (--dry-run), chưa ghi gì:",
        "cập nhật kế hoạch KH-TEST: thêm 1 nhóm, thêm 1 nhiệm vụ, 3 nhiệm vụ thay đổi, "
        "1 nhiệm vụ giữ nguyên",
        f"  NV-02: sản phẩm: {DELIVERABLE} → Sổ sức khỏe điện tử",
    ]
    assert "  NV-04: nhiệm vụ mới" in shown
    assert operator.query("SELECT count(*) FROM task WHERE code = 'NV-04'") == [(0,)]
    assert operator.query("SELECT count(*) FROM auditlog WHERE action LIKE '%revised'") == [(0,)]
    written = operator.ok("import", "revised.xlsx").splitlines()
    assert written == shown[1:]
    assert operator.query("SELECT count(*) FROM task WHERE code = 'NV-04'") == [(1,)]
