"""The tracking workbook (`roviec export`, /xuatbaocao): every assignment, and the headline figures.

The workbook is a fixed Vietnamese report format (the document the standing office files and
forwards), so its texts are written here in Vietnamese and do not follow the reader's chat
language; only the bot's caption goes through the Translator.

Sheet "Theo dõi" has one row per assignment; sheet "Tổng hợp" has the headline figures,
counts by status, by group and by timing, and the indicators against their targets. A task's
status is judged on its lead units (all units if it has no lead), as in the weekly digest.
With a reporting period (Nghị định 09/2019/NĐ-CP) the "last report" columns only look at
reports inside the period, and a "done in the period" column and figure are added.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit, workbook
from bot.services.accounts import Identity
from bot.services.digests import period_bounds, pilot_status
from bot.services.periods import Period, Regime, period_of
from bot.services.timing import Timing, days_late, derive_timing
from bot.services.workbook import DATE_FORMAT, WRAP
from db.models import (
    Assignment,
    AssignmentRole,
    Blocker,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    ProgressReport,
    Review,
    Role,
    Status,
    Task,
    TaskGroup,
    TaskKind,
    Unit,
)

TRACKING_SHEET = "Theo dõi"
SUMMARY_SHEET = "Tổng hợp"
TRACKING_HEADER_ROW = 4
"""Row of the tracking table's headers; assignments follow from the next row."""
ALLOWED_ROLES = (Role.STANDING, Role.LEADER)

STATUS_WORDS = {
    Status.NOT_STARTED: "chưa thực hiện",
    Status.IN_PROGRESS: "đang thực hiện",
    Status.DONE: "hoàn thành",
    Status.MAINTAINED: "đang duy trì",
}
ROLE_WORDS = {AssignmentRole.LEAD: "chủ trì", AssignmentRole.SUPPORT: "phối hợp"}
KIND_WORDS = {TaskKind.TASK: "nhiệm vụ", TaskKind.PILOT_MODEL: "mô hình điểm"}
REVIEW_WORDS = {
    Review.PENDING: "chờ xác nhận",
    Review.CONFIRMED: "đã xác nhận",
    Review.RETURNED: "đã trả lại",
}
INDICATOR_KIND_WORDS = {
    IndicatorKind.RATIO: "tỷ lệ (%)",
    IndicatorKind.COUNT: "số lượng",
    IndicatorKind.YES_NO: "có-không (1/0)",
}
PERIOD_WORDS = {
    Regime.MONTH: "tháng",
    Regime.QUARTER: "quý",
    Regime.HALF_YEAR: "6 tháng",
    Regime.YEAR: "năm",
}


class ExportRefused(Exception):
    """The person's role may not export the province's tracking table."""


@dataclass(frozen=True)
class Export:
    """The workbook and the figures a caption needs."""

    data: bytes
    filename: str
    assignments: int
    tasks_done: int
    tasks_total: int
    pilots_done: int
    pilots_total: int
    period: Period | None


@dataclass
class _Line:
    """One assignment of the tracking table."""

    unit: str
    task_id: int
    task_code: str
    task_title: str
    kind: str
    group_id: int
    role: str
    status: str
    progress: int
    deadline: date
    done_on: date | None
    review: str | None
    timing: Timing
    days_late: int
    report_day: date | None = None
    report_text: str = ""
    blockers: list[str] = field(default_factory=list)


def timing_words(timing: Timing, late: int) -> str:
    """Timing as the tracking table writes it."""
    if timing is Timing.OVERDUE:
        return f"quá hạn {late} ngày"
    return {
        Timing.ON_TIME: "trong hạn",
        Timing.DONE_ON_TIME: "hoàn thành đúng hạn",
        Timing.DONE_LATE: "hoàn thành quá hạn",
    }[timing]


def headline(done: int, total: int) -> str:
    """E.g. '71/83 nhiệm vụ hoàn thành, đạt 86%' (rounded half up)."""
    share = (200 * done + total) // (2 * total) if total else 0
    return f"{done}/{total} nhiệm vụ hoàn thành, đạt {share}%"


def period_words(period: Period) -> str:
    """E.g. 'kỳ báo cáo tháng 11/2026 (15/10/2026 – 14/11/2026)'."""
    name = PERIOD_WORDS[period.regime]
    if period.regime is Regime.MONTH:
        name += f" {period.index:02d}/{period.year}"
    elif period.regime is not Regime.YEAR:
        name += f" {period.index}/{period.year}"
    else:
        name += f" {period.year}"
    span = f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}"
    return f"kỳ báo cáo {name} ({span})"


async def export_for(
    session: AsyncSession,
    identity: Identity,
    *,
    now: datetime,
    today: date,
    zone: ZoneInfo,
    regime: Regime | None,
    actor_account: str,
) -> Export:
    """The workbook for a standing officer or leader; anyone else is refused and audited."""
    if identity.official.role not in ALLOWED_ROLES:
        audit.record(
            session,
            now=now,
            action="export.refused",
            actor_official_id=identity.official.id,
            actor_account=actor_account,
            detail=f"role {identity.official.role} may not export",
        )
        raise ExportRefused(identity.official.role)
    return await export(
        session,
        now=now,
        today=today,
        zone=zone,
        regime=regime,
        actor_official_id=identity.official.id,
        actor_account=actor_account,
    )


async def export(
    session: AsyncSession,
    *,
    now: datetime,
    today: date,
    zone: ZoneInfo,
    regime: Regime | None = None,
    actor_official_id: int | None = None,
    actor_account: str = "cli",
) -> Export:
    """Build the tracking workbook as of `today`, for the current period of `regime` if given."""
    period = period_of(regime, today) if regime else None
    lines = await _lines(session, today, zone, period)
    groups = list(await session.execute(select(TaskGroup.id, TaskGroup.code, TaskGroup.title)))
    indicators = await _indicators(session, zone, period)
    book = Workbook()
    tracking = book.active
    assert tracking is not None
    tracking.title = TRACKING_SHEET
    _tracking_sheet(tracking, lines, today, period)
    summary = _Summary.of(lines, today, period)
    _summary_sheet(book.create_sheet(SUMMARY_SHEET), summary, groups, indicators, today, period)
    result = Export(
        data=workbook.to_bytes(book),
        filename=f"bao-cao-de-an-06-{today.isoformat()}.xlsx",
        assignments=len(lines),
        tasks_done=summary.done(TaskKind.TASK),
        tasks_total=summary.total(TaskKind.TASK),
        pilots_done=summary.done(TaskKind.PILOT_MODEL),
        pilots_total=summary.total(TaskKind.PILOT_MODEL),
        period=period,
    )
    audit.record(
        session,
        now=now,
        action="export.created",
        actor_official_id=actor_official_id,
        actor_account=actor_account,
        entity="workbook",
        after={
            "filename": result.filename,
            "assignments": result.assignments,
            "period": period.key if period else None,
        },
    )
    return result


async def _lines(
    session: AsyncSession, today: date, zone: ZoneInfo, period: Period | None
) -> list[_Line]:
    """Every assignment with its task and unit, last report (in the period) and open blockers."""
    rows = await session.execute(
        select(Assignment, Task, Unit.name)
        .join(Task, Task.id == Assignment.task_id)
        .join(Unit, Unit.id == Assignment.unit_id)
        .order_by(Unit.name, Unit.id, Assignment.deadline, Task.code)
    )
    lines: dict[int, _Line] = {}
    for assignment, task, unit_name in rows:
        timing = derive_timing(assignment.status, assignment.deadline, assignment.done_on, today)
        lines[assignment.id or 0] = _Line(
            unit=unit_name,
            task_id=task.id or 0,
            task_code=task.code,
            task_title=task.title,
            kind=task.kind,
            group_id=task.group_id,
            role=assignment.role,
            status=assignment.status,
            progress=assignment.progress,
            deadline=assignment.deadline,
            done_on=assignment.done_on,
            review=assignment.review,
            timing=timing,
            days_late=days_late(assignment.deadline, today),
        )
    # Reports are append-only, so the highest id of an assignment is its newest report.
    newest = select(func.max(ProgressReport.id)).group_by(ProgressReport.assignment_id)
    if period is not None:
        start, end = period_bounds(period, zone)
        newest = newest.where(ProgressReport.created_at >= start, ProgressReport.created_at < end)
    reports = await session.execute(
        select(
            ProgressReport.assignment_id, ProgressReport.created_at, ProgressReport.done_text
        ).where(ProgressReport.id.in_(newest.scalar_subquery()))
    )
    for assignment_id, created_at, text in reports:
        line = lines[assignment_id]
        line.report_day, line.report_text = created_at.astimezone(zone).date(), text
    blockers = await session.execute(
        select(Blocker.assignment_id, Blocker.text)
        .where(Blocker.resolved_at.is_(None))
        .order_by(Blocker.opened_at, Blocker.id)
    )
    for assignment_id, text in blockers:
        lines[assignment_id].blockers.append(text)
    return list(lines.values())


@dataclass(frozen=True)
class _IndicatorLine:
    code: str
    title: str
    unit: str
    kind: str
    direction: str
    target: float
    value: float | None
    period_key: str | None


async def _indicators(
    session: AsyncSession, zone: ZoneInfo, period: Period | None
) -> list[_IndicatorLine]:
    """Each indicator with its newest value (for the period: keyed to it or reported in it)."""
    newest = select(func.max(IndicatorValue.id)).group_by(IndicatorValue.indicator_id)
    if period is not None:
        start, end = period_bounds(period, zone)
        in_period = and_(IndicatorValue.created_at >= start, IndicatorValue.created_at < end)
        newest = newest.where(or_(IndicatorValue.period_key == period.key, in_period))
    values = {
        indicator_id: (value, key)
        for indicator_id, value, key in await session.execute(
            select(
                IndicatorValue.indicator_id, IndicatorValue.value, IndicatorValue.period_key
            ).where(IndicatorValue.id.in_(newest.scalar_subquery()))
        )
    }
    rows = await session.execute(
        select(Indicator, Unit.name)
        .join(Unit, Unit.id == Indicator.unit_id)
        .order_by(Indicator.code)
    )
    result = []
    for indicator, unit_name in rows:
        value, key = values.get(indicator.id or 0, (None, None))
        result.append(
            _IndicatorLine(
                indicator.code,
                indicator.title,
                unit_name,
                indicator.kind,
                indicator.direction,
                indicator.target,
                value,
                key,
            )
        )
    return result


def assessment(direction: str, target: float, value: float | None) -> str:
    """'đạt' / 'chưa đạt' against the target, or 'chưa có số liệu'."""
    if value is None:
        return "chưa có số liệu"
    met = value <= target if direction == "<=" else value >= target
    return "đạt" if met else "chưa đạt"


def _tracking_sheet(
    sheet: Worksheet, lines: list[_Line], today: date, period: Period | None
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
    sheet.freeze_panes = sheet.cell(row=TRACKING_HEADER_ROW + 1, column=3)
    for number, line in enumerate(lines, start=TRACKING_HEADER_ROW + 1):
        values: list[object] = [
            line.unit,
            line.task_code,
            line.task_title,
            KIND_WORDS.get(TaskKind(line.kind), line.kind),
            ROLE_WORDS.get(AssignmentRole(line.role), line.role),
            STATUS_WORDS.get(Status(line.status), line.status),
            line.progress,
            line.deadline,
            timing_words(line.timing, line.days_late),
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


def _done_in(line: _Line, period: Period) -> bool:
    return line.status == Status.DONE and line.done_on is not None and period.contains(line.done_on)


@dataclass
class _TaskState:
    kind: str
    group_id: int
    status: str
    overdue: bool
    done_in_period: bool


@dataclass
class _Summary:
    """Tasks judged on their lead units, and assignments by timing."""

    tasks: list[_TaskState]
    timings: dict[Timing, int]

    @classmethod
    def of(cls, lines: list[_Line], today: date, period: Period | None) -> _Summary:
        by_task: dict[int, list[_Line]] = defaultdict(list)
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


def _summary_sheet(
    sheet: Worksheet,
    summary: _Summary,
    groups: list[tuple[int, str, str]],
    indicators: list[_IndicatorLine],
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
    row = _table(
        sheet,
        row,
        "Theo trạng thái",
        ["Trạng thái", "Nhiệm vụ", "Mô hình điểm", "Tổng số"],
        [
            [
                STATUS_WORDS[s],
                summary.total(tasks, s),
                summary.total(pilots, s),
                summary.total(None, s),
            ]
            for s in Status
        ]
        + [["Tổng số", summary.total(tasks), summary.total(pilots), summary.total()]],
    )
    group_rows = []
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
    sheet: Worksheet, row: int, title: str, headers: list[str], rows: list[list[object]]
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
