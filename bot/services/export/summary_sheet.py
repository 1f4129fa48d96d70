"""The summary sheet ("Tổng hợp") of the workbook and the figures behind it.

A task's status is judged on its lead units (all units if it has no lead), as in the weekly
digest; the sheet has the headline figures, then tables by status, by group, by timing and
the indicators against their targets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.services import workbook
from bot.services.dates.periods import Period
from bot.services.dates.timing import Timing
from bot.services.digests.province import pilot_status
from bot.services.export.records import AssignmentLine, IndicatorLine
from bot.services.export.wording import (
    INDICATOR_KIND_WORDS,
    STATUS_WORDS,
    assessment,
    headline,
    period_words,
)
from bot.services.workbook import WRAP
from db.models import AssignmentRole, IndicatorKind, Status, TaskKind


@dataclass
class _TaskState:
    kind: str
    group_id: int
    status: str
    overdue: bool
    done_in_period: bool


@dataclass
class Summary:
    """Tasks judged on their lead units, and assignments by timing."""

    tasks: list[_TaskState]
    timings: dict[Timing, int]

    @classmethod
    def of(cls, lines: list[AssignmentLine], today: date, period: Period | None) -> Summary:
        by_task: dict[int, list[AssignmentLine]] = defaultdict(list)
        for line in lines:
            by_task[line.task_id].append(line)
        tasks = []
        for task_lines in by_task.values():
            lead = [x for x in task_lines if x.role == AssignmentRole.LEAD] or task_lines
            counts: dict[str, int] = defaultdict(int)
            for line in lead:
                counts[line.status] += 1
            status = pilot_status(counts)
            finished = [x.done_on for x in lead if x.done_on is not None]
            tasks.append(
                _TaskState(
                    kind=task_lines[0].kind,
                    group_id=task_lines[0].group_id,
                    status=status,
                    overdue=status != Status.DONE
                    and any(x.status != Status.DONE and x.deadline < today for x in lead),
                    done_in_period=period is not None
                    and status == Status.DONE
                    and len(finished) == len(lead)
                    and period.contains(max(finished)),
                )
            )
        timings = dict.fromkeys(Timing, 0)
        for line in lines:
            timings[line.timing] += 1
        return cls(tasks, timings)

    def total(self, kind: str | None = None, status: str | None = None) -> int:
        return sum(
            1
            for t in self.tasks
            if (kind is None or t.kind == kind) and (status is None or t.status == status)
        )

    def done(self, kind: str) -> int:
        return self.total(kind, Status.DONE)


def summary_sheet(
    sheet: Worksheet,
    summary: Summary,
    groups: Sequence[tuple[int, str, str]],
    indicators: list[IndicatorLine],
    today: date,
    period: Period | None,
) -> None:
    """Headline figures, then tables by status, group, timing and the indicators."""
    for letter, width in zip("ABCDEFGHI", (26, 50, 16, 16, 16, 16, 16, 12, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet["A1"] = "TỔNG HỢP KẾT QUẢ THỰC HIỆN ĐỀ ÁN 06"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"Số liệu đến ngày {today:%d/%m/%Y}"
    if period:
        sheet["A3"] = period_words(period).capitalize()
    tasks, pilots = TaskKind.TASK, TaskKind.PILOT_MODEL
    overdue = sum(1 for t in summary.tasks if t.overdue)
    figures = [
        ("Nhiệm vụ", headline(summary.done(tasks), summary.total(tasks))),
        (
            "Mô hình điểm",
            f"{summary.done(pilots)}/{summary.total(pilots)} mô hình hoàn thành",
        ),
        ("Quá hạn", f"{overdue} nhiệm vụ, mô hình quá hạn"),
    ]
    if period:
        done_tasks = sum(1 for t in summary.tasks if t.done_in_period and t.kind == tasks)
        done_pilots = sum(1 for t in summary.tasks if t.done_in_period and t.kind == pilots)
        figures.append(
            ("Hoàn thành trong kỳ", f"{done_tasks} nhiệm vụ, {done_pilots} mô hình điểm")
        )
    row = 5
    for label, text in figures:
        sheet.cell(row=row, column=1, value=label).font = workbook.HEADER_FONT
        sheet.cell(row=row, column=2, value=text)
        row += 1
    row += 1
    by_status: list[list[workbook.CellValue]] = [
        [
            STATUS_WORDS[s],
            summary.total(tasks, s),
            summary.total(pilots, s),
            summary.total(None, s),
        ]
        for s in Status
    ]
    by_status.append(["Tổng số", summary.total(tasks), summary.total(pilots), summary.total()])
    row = _table(
        sheet,
        row,
        "Theo trạng thái",
        ["Trạng thái", "Nhiệm vụ", "Mô hình điểm", "Tổng số"],
        by_status,
    )
    group_rows: list[list[workbook.CellValue]] = []
    for group_id, code, title in groups:
        states = [t for t in summary.tasks if t.group_id == group_id]
        done = sum(1 for t in states if t.status == Status.DONE)
        group_rows.append(
            [
                code,
                title,
                len(states),
                done,
                sum(1 for t in states if t.status == Status.IN_PROGRESS),
                sum(1 for t in states if t.status == Status.NOT_STARTED),
                sum(1 for t in states if t.status == Status.MAINTAINED),
                sum(1 for t in states if t.overdue),
                f"{(200 * done + len(states)) // (2 * len(states)) if states else 0}%",
            ]
        )
    row = _table(
        sheet,
        row,
        "Theo nhóm nhiệm vụ",
        [
            "Mã nhóm",
            "Nhóm nhiệm vụ",
            "Tổng số",
            "Hoàn thành",
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
        "Theo thời hạn (số lượt phân công)",
        ["Tình trạng thời hạn", "Số lượt"],
        [
            ["trong hạn", summary.timings[Timing.ON_TIME]],
            ["quá hạn", summary.timings[Timing.OVERDUE]],
            ["hoàn thành đúng hạn", summary.timings[Timing.DONE_ON_TIME]],
            ["hoàn thành quá hạn", summary.timings[Timing.DONE_LATE]],
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
                "≤" if i.direction == "<=" else "≥",
                i.target,
                i.value,
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
