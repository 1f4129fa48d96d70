"""The rows of a plan workbook's sheets, and the problems found while reading and checking them.

Each sheet is read by its header titles into rows keyed by column, blank lines skipped; a
missing, unknown or doubled column is reported on the header. Every problem is an issue
with its sheet and row, in Vietnamese for the operator, collected rather than raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl.workbook.workbook import Workbook

from bot.services.plan.template import COLUMNS
from bot.services.workbook import normalized


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


@dataclass
class Row:
    """One data row: its number, and the values and number formats of the sheet's columns."""

    number: int
    values: dict[str, Any]
    formats: dict[str, str]

    def value(self, key: str) -> Any:
        return self.values.get(key)

    def text(self, key: str) -> str:
        return cell_text(self.values.get(key))


@dataclass
class Checker:
    """Collects issues while rows are checked."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, sheet: str | None, row: int | None, message: str) -> None:
        self.issues.append(Issue(sheet, row, message))

    def text(self, sheet: str, row: Row, key: str) -> str:
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


def read_sheet(book: Workbook, name: str, check: Checker) -> list[Row] | None:
    """The non-blank rows of a sheet, by column key; header problems are reported."""
    if name not in book.sheetnames:
        check.add(None, None, f'thiếu trang tính "{name}"')
        return None
    lines = book[name].iter_rows()
    titles = next(lines, ())
    columns = {normalized(c.name): c for c in COLUMNS[name]}
    positions: dict[str, int] = {}
    for index, cell in enumerate(titles):
        title = cell_text(cell.value)
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
        if all(cell_text(cell.value) == "" for cell in line):
            continue
        # A column past the row's last cell is present but empty.
        cells = {
            key: line[index] if index < len(line) else None for key, index in positions.items()
        }
        values = {key: cell.value if cell is not None else None for key, cell in cells.items()}
        formats = {key: str(cell.number_format) for key, cell in cells.items() if cell is not None}
        result.append(Row(number, values, formats))
    return result


def cell_text(value: Any) -> str:
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
