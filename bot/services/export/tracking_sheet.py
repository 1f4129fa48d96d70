"""The tracking sheet ("Theo dõi") of the workbook: one row per assignment, with a filter.

With a reporting period the report columns are headed "trong kỳ" and a "Hoàn thành trong
kỳ" column is added.
"""

from __future__ import annotations

from datetime import date

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.services import workbook
from bot.services.dates.periods import Period
from bot.services.export.records import AssignmentLine
from bot.services.export.wording import (
    KIND_WORDS,
    REVIEW_WORDS,
    ROLE_WORDS,
    STATE_WORDS,
    period_words,
    timing_words,
)
from bot.services.figures import State
from bot.services.workbook import DATE_FORMAT, WRAP
from db.models import AssignmentRole, Review, TaskKind

TRACKING_HEADER_ROW = 4
"""Row of the tracking table's headers; assignments follow from the next row."""


def tracking_sheet(
    sheet: Worksheet, lines: list[AssignmentLine], today: date, period: Period | None
) -> None:
    """The tracking table, one row per assignment."""
    sheet["A1"] = "BẢNG THEO DÕI TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ ĐỀ ÁN 06"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"Số liệu đến ngày {today:%d/%m/%Y}" + (
        f" — {period_words(period)}" if period else ""
    )
    in_period = " trong kỳ" if period else " gần nhất"
    columns = [
        ("Đơn vị", 28),
        ("Mã nhiệm vụ", 13),
        ("Nhiệm vụ", 50),
        ("Loại", 13),
        ("Vai trò", 10),
        ("Trạng thái", 16),
        ("Tiến độ (%)", 10),
        ("Thời hạn", 12),
        ("Tình trạng thời hạn", 20),
        ("Ngày báo cáo" + in_period, 14),
        ("Nội dung báo cáo" + in_period, 50),
        ("Khó khăn, vướng mắc chưa giải quyết", 40),
        ("Xác nhận kết quả", 14),
    ]
    if period:
        columns.append(("Hoàn thành trong kỳ", 12))
    workbook.header(sheet, TRACKING_HEADER_ROW, columns)
    sheet.freeze_panes = sheet.cell(row=TRACKING_HEADER_ROW + 1, column=3).coordinate
    for number, line in enumerate(lines, start=TRACKING_HEADER_ROW + 1):
        values: list[workbook.CellValue] = [
            line.unit,
            line.task_code,
            line.task_title,
            KIND_WORDS.get(TaskKind(line.kind), line.kind),
            ROLE_WORDS.get(AssignmentRole(line.role), line.role),
            STATE_WORDS[line.state],
            line.progress,
            line.deadline,
            "chờ xác nhận"
            if line.state is State.CLAIMED
            else timing_words(line.timing, line.days_late),
            line.report_day,
            line.report_text,
            "\n".join(line.blockers),
            REVIEW_WORDS.get(Review(line.review), line.review) if line.review else "",
        ]
        if period:
            values.append("có" if _done_in(line, period) else "")
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif column in (3, 11, 12):
                cell.alignment = WRAP
    if lines:
        last = sheet.cell(row=TRACKING_HEADER_ROW + len(lines), column=len(columns))
        sheet.auto_filter.ref = f"A{TRACKING_HEADER_ROW}:{last.coordinate}"


def _done_in(line: AssignmentLine, period: Period) -> bool:
    return line.state is State.DONE and line.done_on is not None and period.contains(line.done_on)
