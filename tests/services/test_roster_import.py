"""The roster sheets of the template: units ("Đơn vị") and officials ("Cán bộ") to add."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.services.plan.importing import Outcome, PlanImportError, import_workbook
from db.engine import Database
from db.migrate import upgrade
from db.models import Assignment, AuditLog, Official, Task, Unit
from tests.province import build_province
from tests.services.test_plan_import import NOW, Sheets, _headers, good_plan, workbook_bytes


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    async with database.transaction() as session:
        await build_province(session, NOW)
    yield database
    await database.dispose()


def roster() -> Sheets:
    """Two new units (one under the other) and three officials, one of an existing unit."""
    return {
        "Đơn vị": [
            _headers("Đơn vị"),
            ["STP", "Sở Tư pháp", "sở/ngành", "UBND"],
            ["X-QL", "UBND xã Quỳnh Lưu", "Xã, phường", ""],
        ],
        "Cán bộ": [
            _headers("Cán bộ"),
            ["Lê Thị Hoa", "Chuyên viên", "đầu mối", "STP", "tiếng Việt"],
            ["Trịnh Văn Bình", "Giám đốc", "Thủ trưởng", "STP", ""],
            ["Vũ Minh Khoa", "", "focal", "SYT", "English"],
        ],
    }


async def _import(db: Database, sheets: Sheets) -> Outcome:
    async with db.transaction() as session:
        return await import_workbook(session, workbook_bytes(sheets), now=NOW)


async def _people(db: Database) -> tuple[int, int]:
    async with db.read() as session:
        officials = len(list(await session.scalars(select(Official.id))))
        return officials, len(list(await session.scalars(select(Unit.id))))


async def _refused(db: Database, sheets: Sheets) -> list[str]:
    before = await _people(db)
    with pytest.raises(PlanImportError) as caught:
        await _import(db, sheets)
    assert await _people(db) == before
    return [str(issue) for issue in caught.value.issues]


async def test_a_roster_only_file_adds_units_then_officials(db: Database) -> None:
    outcome = await _import(db, roster())
    assert outcome.plan is None and outcome.revision is None
    assert (len(outcome.roster.units), len(outcome.roster.officials)) == (2, 3)
    async with db.read() as session:
        rows = await session.execute(
            select(Official.name, Official.role, Unit.code, Official.locale, Official.title)
            .join(Unit, Unit.id == Official.unit_id)
            .where(Official.id > 6)
            .order_by(Official.id)
        )
        assert [tuple(r) for r in rows] == [
            ("Lê Thị Hoa", "focal", "STP", "vi", "Chuyên viên"),
            ("Trịnh Văn Bình", "head", "STP", None, "Giám đốc"),
            ("Vũ Minh Khoa", "focal", "SYT", "en", ""),
        ]
        stp = await session.scalar(select(Unit).where(Unit.code == "STP"))
        assert stp is not None and stp.kind == "department"
        assert await session.scalar(select(Unit.code).where(Unit.id == stp.parent_id)) == "UBND"
        audits = list(await session.scalars(select(AuditLog.action).where(AuditLog.id > 11)))
        assert audits.count("unit.added") == 2 and audits.count("official.added") == 3
    # The same file again adds nothing: everyone is there already.
    again = await _import(db, roster())
    assert (len(again.roster.units), len(again.roster.officials)) == (0, 0)
    assert (again.roster.units_known, again.roster.officials_known) == (2, 3)


async def test_every_roster_error_is_listed_by_sheet_and_row_and_nothing_is_added(
    db: Database,
) -> None:
    sheets = roster()
    sheets["Đơn vị"][1][2] = "tổng cục"
    sheets["Đơn vị"][2][3] = "XYZ"
    sheets["Đơn vị"].append(["STP", "Sở Tư pháp (lần hai)", "sở/ngành", ""])
    sheets["Cán bộ"][1][2] = "trưởng phòng"
    sheets["Cán bộ"][2][3] = "SXX"
    sheets["Cán bộ"][3][4] = "Français"
    sheets["Cán bộ"].append(["", "", "đầu mối", "SYT", ""])
    assert await _refused(db, sheets) == [
        'Đơn vị, dòng 2: loại đơn vị "tổng cục" không hợp lệ',
        'Đơn vị, dòng 3: đơn vị cấp trên "XYZ" không tồn tại',
        'Đơn vị, dòng 4: mã đơn vị "STP" trùng với dòng 2',
        'Cán bộ, dòng 2: vai trò "trưởng phòng" không hợp lệ',
        'Cán bộ, dòng 3: đơn vị "SXX" không tồn tại',
        'Cán bộ, dòng 4: ngôn ngữ "Français" không hợp lệ',
        'Cán bộ, dòng 5: thiếu "Họ tên"',
    ]


async def test_a_plan_may_give_work_to_a_unit_the_same_file_adds(db: Database) -> None:
    sheets = good_plan() | roster()
    sheets["Nhiệm vụ"][1][5] = "STP"  # NV-A1 led by the new Sở Tư pháp
    outcome = await _import(db, sheets)
    assert outcome.plan is not None and outcome.plan.tasks == 1
    async with db.read() as session:
        lead = await session.scalar(
            select(Unit.code)
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.code == "NV-A1", Assignment.role == "lead")
        )
        assert lead == "STP"
    # A unit neither in the database nor in the file is still refused, with the plan's rows.
    bad = good_plan() | roster()
    bad["Nhiệm vụ"][1][5] = "SNN"
    assert 'Nhiệm vụ, dòng 2: đơn vị chủ trì "SNN" không tồn tại' in await _refused(db, bad)
