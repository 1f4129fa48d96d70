"""The summary sheet ("Tổng hợp") of the workbook, from `bot.services.figures`.

The figures are the ones the digests and /xephang show: tasks and pilot models each counted
once (judged on their lead units), assignments to units apart, and only results confirmed
by the standing office counted as done ("chờ xác nhận" for claims), as the sheet's note
says. The sheet has the headline figures, then tables by state, by group, by timing and the
indicators against their targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.services import workbook
from bot.services.dates.periods import Period
from bot.services.export.records import IndicatorLine
from bot.services.export.wording import (
    CONFIRMATION_NOTE,
    INDICATOR_KIND_WORDS,
    STATE_WORDS,
    assessment,
    headline,
    indicator_value,
    period_words,
)
from bot.services.figures import Figures, State
from bot.services.workbook import WRAP
from db.models import IndicatorKind


def summary_sheet(
    sheet: Worksheet,
    figures: Figures,
    indicators: list[IndicatorLine],
    today: date,
    period: Period | None,
) -> None:
    """Headline figures and the note on confirmation, then tables by state, group, timing."""
    for letter, width in zip("ABCDEFGHIJ", (26, 50, 16, 16, 16, 16, 16, 16, 12, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet["A1"] = "TỔNG HỢP KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"Số liệu đến ngày {today:%d/%m/%Y}"
    if period:
        sheet["A3"] = period_words(period).capitalize()
    tasks, pilots, assigned = figures.tasks, figures.pilot_models, figures.assignments
    rows = [
        ("Nhiệm vụ", headline(tasks.done, tasks.total)),
        ("Mô hình điểm", f"{pilots.done}/{pilots.total} mô hình hoàn thành"),
        ("Chờ xác nhận", f"{tasks.claimed} nhiệm vụ, {pilots.claimed} mô hình điểm"),
        ("Quá hạn", f"{tasks.overdue} nhiệm vụ, {pilots.overdue} mô hình điểm"),
        (
            "Lượt giao cho đơn vị",
            f"{assigned.total} lượt: {assigned.done} hoàn thành, {assigned.claimed} chờ xác "
            f"nhận, {assigned.overdue} quá hạn",
        ),
    ]
    if period:
        rows.append(
            (
                "Hoàn thành trong kỳ",
                f"{tasks.done_in_period} nhiệm vụ, {pilots.done_in_period} mô hình điểm",
            )
        )
    rows.append(("Ghi chú", CONFIRMATION_NOTE))
    row = 5
    for label, text in rows:
        sheet.cell(row=row, column=1, value=label).font = workbook.HEADER_FONT
        sheet.cell(row=row, column=2, value=text).alignment = WRAP
        row += 1
    row += 1
    by_state: list[list[workbook.CellValue]] = [
        [STATE_WORDS[s], tasks.of(s), pilots.of(s), tasks.of(s) + pilots.of(s), assigned.of(s)]
        for s in State
    ]
    by_state.append(
        ["Tổng số", tasks.total, pilots.total, tasks.total + pilots.total, assigned.total]
    )
    row = _table(
        sheet,
        row,
        "Theo trạng thái",
        ["Trạng thái", "Nhiệm vụ", "Mô hình điểm", "Tổng số", "Lượt giao cho đơn vị"],
        by_state,
    )
    group_rows: list[list[workbook.CellValue]] = [
        [
            g.code,
            g.title,
            g.work.total,
            g.work.done,
            g.work.claimed,
            g.work.of(State.IN_PROGRESS),
            g.work.of(State.NOT_STARTED),
            g.work.of(State.MAINTAINED),
            g.work.overdue,
            f"{g.work.done_percent}%",
        ]
        for g in figures.groups
    ]
    row = _table(
        sheet,
        row,
        "Theo nhóm nhiệm vụ (nhiệm vụ và mô hình điểm, mỗi nhiệm vụ tính một lần)",
        [
            "Mã nhóm",
            "Nhóm nhiệm vụ",
            "Tổng số",
            "Hoàn thành",
            "Chờ xác nhận",
            "Đang thực hiện",
            "Chưa thực hiện",
            "Đang duy trì",
            "Quá hạn",
            "Tỷ lệ hoàn thành",
        ],
        group_rows,
    )
    row = _table(
        sheet,
        row,
        "Theo thời hạn (số lượt giao cho đơn vị)",
        ["Tình trạng thời hạn", "Số lượt"],
        [
            ["trong hạn", assigned.open - assigned.overdue],
            ["quá hạn", assigned.overdue],
            ["hoàn thành đúng hạn", assigned.done_on_time],
            ["hoàn thành quá hạn", assigned.done_late],
            ["chờ xác nhận", assigned.claimed],
        ],
    )
    _table(
        sheet,
        row,
        "Chỉ tiêu",
        [
            "Mã chỉ tiêu",
            "Chỉ tiêu",
            "Đơn vị",
            "Loại",
            "Chiều",
            "Mục tiêu",
            "Giá trị",
            "Kỳ",
            "Đánh giá",
        ],
        [
            [
                i.code,
                i.title,
                i.unit,
                INDICATOR_KIND_WORDS.get(IndicatorKind(i.kind), i.kind),
                None if i.kind == IndicatorKind.YES_NO else "≤" if i.direction == "<=" else "≥",
                indicator_value(i.kind, i.target),
                indicator_value(i.kind, i.value),
                i.period_key or "",
                assessment(i.direction, i.target, i.value),
            ]
            for i in indicators
        ],
    )


def _table(
    sheet: Worksheet,
    row: int,
    title: str,
    headers: list[str],
    rows: Sequence[Sequence[workbook.CellValue]],
) -> int:
    """A titled table from `row`; returns the row after it plus one blank row."""
    sheet.cell(row=row, column=1, value=title).font = Font(bold=True, size=12)
    row += 1
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = workbook.HEADER_FONT
        cell.fill = workbook.HEADER_FILL
    for values in rows:
        row += 1
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if column == 2 and isinstance(value, str):
                cell.alignment = WRAP
    return row + 2
