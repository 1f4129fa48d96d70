"""The plan import template (`roviec template`): sheets, Vietnamese headers, one example row each.

The sheet and column definitions here are the contract that `bot.services.plan.importing` reads
back. A header matches on its name; the explanation in brackets after it is optional, so an
operator may write "Loại" or "Loại (nhiệm vụ / mô hình điểm)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.services import workbook
from bot.services.workbook import DATE_FORMAT
from db.models import Unit, UnitKind


@dataclass(frozen=True)
class Column:
    """One column of an import sheet."""

    key: str
    name: str
    hint: str = ""
    width: float = 20
    required: bool = True
    max_length: int | None = None

    @property
    def title(self) -> str:
        """The header as written in the template."""
        return f"{self.name} ({self.hint})" if self.hint else self.name


PLAN_SHEET = "Kế hoạch"
GROUP_SHEET = "Nhóm nhiệm vụ"
TASK_SHEET = "Nhiệm vụ"
INDICATOR_SHEET = "Chỉ tiêu"
NEW_UNIT_SHEET = "Đơn vị"
"""Units to add (optional): a unit whose code exists already is left as it is."""
STAFF_SHEET = "Cán bộ"
"""Officials to add (optional): one already in the unit under that name is left as it is."""
UNIT_SHEET = "Danh mục đơn vị"
"""A reference list of unit codes for the operator; the import ignores it."""

KIND_WORDS = {"nhiệm vụ": "task", "mô hình điểm": "pilot_model"}
INDICATOR_KIND_WORDS = {"tỷ lệ": "ratio", "số lượng": "count", "có-không": "yes_no"}
DIRECTION_WORDS = {"≥": ">=", "≤": "<="}
UNIT_KIND_WORDS = {
    "sở/ngành": "department",
    "xã/phường": "commune",
    "thường trực": "standing",
    "lãnh đạo": "leadership",
}
ROLE_WORDS = {
    "đầu mối": "focal",
    "thủ trưởng": "head",
    "thường trực": "standing",
    "lãnh đạo": "leader",
    "quản trị": "admin",
}
LANGUAGE_WORDS = {"tiếng việt": "vi", "english": "en", "tiếng anh": "en"}

COLUMNS: dict[str, tuple[Column, ...]] = {
    PLAN_SHEET: (
        Column("code", "Mã kế hoạch", "ví dụ 87/KH-UBND", 24, max_length=64),
        Column("title", "Tên kế hoạch", width=70, max_length=300),
    ),
    GROUP_SHEET: (
        Column("code", "Mã nhóm", width=14, max_length=32),
        Column("title", "Tên nhóm", width=60, max_length=300),
    ),
    TASK_SHEET: (
        Column("code", "Mã nhiệm vụ", width=16, max_length=32),
        Column("group", "Mã nhóm", width=12, max_length=32),
        Column("title", "Tên nhiệm vụ", width=60, max_length=500),
        Column("kind", "Loại", "nhiệm vụ / mô hình điểm", 18, required=False),
        Column("deliverable", "Sản phẩm", width=40, max_length=1000),
        Column("lead", "Đơn vị chủ trì", "mã đơn vị", 16),
        Column("support", "Đơn vị phối hợp", "mã, cách nhau bởi dấu phẩy", 24, required=False),
        Column("deadline", "Thời hạn", "dd/mm/yyyy", 16),
    ),
    INDICATOR_SHEET: (
        Column("code", "Mã chỉ tiêu", width=14, max_length=32),
        Column("title", "Tên chỉ tiêu", width=60, max_length=300),
        Column("kind", "Loại", "tỷ lệ / số lượng / có-không", 22),
        Column("unit", "Đơn vị", "mã đơn vị", 14),
        Column("target", "Chỉ tiêu", "số; tỷ lệ tính bằng %", 16),
        Column("direction", "Chiều", "≥ / ≤", 10, required=False),
    ),
    NEW_UNIT_SHEET: (
        Column("code", "Mã đơn vị", width=16, max_length=32),
        Column("name", "Tên đơn vị", width=50, max_length=200),
        Column("kind", "Loại", "sở/ngành, xã/phường, thường trực, lãnh đạo", 22),
        Column("parent", "Đơn vị cấp trên", "mã đơn vị", 18, required=False),
    ),
    STAFF_SHEET: (
        Column("name", "Họ tên", width=30, max_length=120),
        Column("title", "Chức vụ", width=24, required=False, max_length=120),
        Column("role", "Vai trò", "đầu mối, thủ trưởng, thường trực, lãnh đạo", 22),
        Column("unit", "Mã đơn vị", width=16),
        Column("language", "Ngôn ngữ", "tiếng Việt / English", 16, required=False),
    ),
}
SHEETS = (PLAN_SHEET, GROUP_SHEET, TASK_SHEET, INDICATOR_SHEET)
STAFF_SHEETS = (NEW_UNIT_SHEET, STAFF_SHEET)


def template(
    *,
    today: date,
    units: list[tuple[str, str]] | None = None,
) -> bytes:
    """The import template as .xlsx bytes; example rows use the first units of `units`."""
    units = units or []
    codes = [code for code, _ in units]
    lead = codes[0] if codes else "SYT"
    support = ", ".join(codes[1:3]) if len(codes) > 1 else "SGDDT"
    deadline = date(today.year, 12, 31)
    year = today.year
    examples: dict[str, list[object]] = {
        PLAN_SHEET: [f"KH-DA06-{year}", f"Kế hoạch triển khai Đề án 06 năm {year}"],
        GROUP_SHEET: ["N1", "Dịch vụ công trực tuyến"],
        TASK_SHEET: [
            "NV-MAU-01",
            "N1",
            "Cung cấp dịch vụ công trực tuyến toàn trình thiết yếu",
            "nhiệm vụ",
            "Báo cáo kết quả; danh sách dịch vụ công đã cung cấp",
            lead,
            support,
            deadline,
        ],
        INDICATOR_SHEET: [
            "CT-MAU-01",
            "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến",
            "tỷ lệ",
            lead,
            70,
            "≥",
        ],
        NEW_UNIT_SHEET: ["X-MAU", "UBND xã Mẫu", "xã/phường", ""],
        STAFF_SHEET: ["Nguyễn Văn Mẫu", "Chuyên viên", "đầu mối", "X-MAU", "tiếng Việt"],
    }
    book = Workbook()
    # A new workbook always has its one active sheet; the stubs type `active` as optional.
    book.remove(book.active)  # type: ignore[arg-type]
    for name in SHEETS + STAFF_SHEETS:
        sheet = book.create_sheet(name)
        columns = COLUMNS[name]
        workbook.header(sheet, 1, [(c.title, c.width) for c in columns])
        sheet.freeze_panes = "A2"
        for number, value in enumerate(examples[name], start=1):
            cell = sheet.cell(row=2, column=number, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
        _validations(sheet, name)
        if name == TASK_SHEET:
            # Rows the operator adds below the example show dates the same way.
            column = [c.key for c in COLUMNS[TASK_SHEET]].index("deadline") + 1
            for row in range(3, 1001):
                sheet.cell(row=row, column=column).number_format = DATE_FORMAT
    _unit_list(book, units)
    return workbook.to_bytes(book)


async def template_units(session: AsyncSession) -> list[tuple[str, str]]:
    """Unit codes and names for the template: departments and communes first, then the rest."""
    rows = await session.execute(
        select(col(Unit.code), col(Unit.name), col(Unit.kind)).order_by(Unit.code)
    )
    units = [(code, name, kind) for code, name, kind in rows]
    assignable = (UnitKind.DEPARTMENT, UnitKind.COMMUNE)
    units.sort(key=lambda u: (u[2] not in assignable, u[2] != UnitKind.DEPARTMENT))
    return [(code, name) for code, name, _ in units]


def _validations(sheet: Worksheet, name: str) -> None:
    """Drop-down lists for the columns that take one of a few words."""
    choices = {
        TASK_SHEET: [("D", KIND_WORDS)],
        INDICATOR_SHEET: [("C", INDICATOR_KIND_WORDS), ("F", DIRECTION_WORDS)],
        NEW_UNIT_SHEET: [("C", UNIT_KIND_WORDS)],
        STAFF_SHEET: [("C", ROLE_WORDS), ("E", {"tiếng Việt": "vi", "English": "en"})],
    }.get(name, [])
    for letter, words in choices:
        validation = DataValidation(
            type="list", formula1='"' + ",".join(words) + '"', allow_blank=True
        )
        validation.error = "Chọn một giá trị trong danh sách"
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}1000")


def _unit_list(book: Workbook, units: list[tuple[str, str]]) -> None:
    """The units known to the database, for reference while filling the template."""
    sheet = book.create_sheet(UNIT_SHEET)
    workbook.header(sheet, 1, [("Mã đơn vị", 16), ("Tên đơn vị", 60)])
    sheet.freeze_panes = "A2"
    for row, (code, name) in enumerate(units, start=2):
        sheet.cell(row=row, column=1, value=code)
        sheet.cell(row=row, column=2, value=name)
    note = sheet.cell(row=len(units) + 3, column=1, value="Trang này chỉ để tra cứu, không nhập.")
    note.font = Font(italic=True)
