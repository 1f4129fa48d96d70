"""Shared Excel helpers: the layout every roviec workbook uses (bold headers, widths, dates)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "dd/mm/yyyy"
"""How dates are shown in every sheet (Vietnamese order: day, month, year)."""

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")

CellValue = str | float | date | None
"""What roviec writes into a cell (an int is a float to a type checker)."""


def header(sheet: Worksheet, row: int, columns: Sequence[tuple[str, float]]) -> None:
    """Write bold column headers on `row` and set each column's width."""
    for number, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=number, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(number)].width = width


def to_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes."""
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def normalized(text: str) -> str:
    """Text compared the way an operator means it: NFC, trimmed, one space, case-folded."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()
