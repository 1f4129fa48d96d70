"""Loading the demo province (bot/demo_province.toml) into the database.

Units and officials go in through the directory; the plan, its groups, tasks, pilot models
and indicators through the plan import's checks and storage, as rows built from the data
file; then each assignment gets its seeded status and a first report, and each indicator
its first values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot import demo_province as seed
from bot.services.dates.periods import Regime, period_of
from bot.services.indicators import demo as indicator_demo
from bot.services.people import accounts, directory
from bot.services.plan import importing as plan_import
from bot.services.plan.rows import Row
from bot.services.plan.template import GROUP_SHEET, INDICATOR_SHEET, PLAN_SHEET, TASK_SHEET
from db.models import Assignment, Official, Plan, ProgressReport, Review, Role, Status, Task


@dataclass(frozen=True)
class Invited:
    """An official of the demo with a fresh invitation code."""

    official_id: int
    name: str
    role: str
    unit: str
    code: str


async def is_loaded(session: AsyncSession) -> bool:
    """Whether the demo plan is in the database."""
    return bool(
        await session.scalar(
            select(func.count())
            .select_from(Plan)
            .where(col(Plan.code) == seed.province().plan.code)
        )
    )


async def load(session: AsyncSession, *, now: datetime, today: date) -> None:
    """Create the demo units, officials, plan, tasks, assignments and a first report each."""
    province = seed.province()
    unit_codes: dict[int, str] = {}
    for u in province.units:
        unit = await directory.add_unit(
            session, code=u.code, name=u.name, kind=u.kind, parent_code=u.parent, now=now
        )
        unit_codes[unit.id or 0] = u.code
    focals: dict[str, Official] = {}
    reviewer: Official | None = None
    for o in province.officials:
        official = await directory.add_official(
            session, name=o.name, role=o.role, unit_code=o.unit, title=o.title, now=now
        )
        if o.role == Role.FOCAL:
            focals.setdefault(o.unit, official)
        if o.role == Role.STANDING and reviewer is None:
            reviewer = official
    # The plan goes through the checks and storage of `roviec import`, as an operator's would.
    await plan_import.import_rows(session, _plan_rows(province, today), now=now)
    await _report_progress(
        session, province.tasks, unit_codes, focals, reviewer, now=now, today=today
    )
    # Indicators (chỉ tiêu) with last month's values and a few of this month's already in.
    month = period_of(Regime.MONTH, today)
    await indicator_demo.add_demo_values(
        session,
        province.indicators,
        now=now,
        last_period_key=month.previous().key,
        current_period_key=month.key,
    )


def _plan_rows(province: seed.Province, today: date) -> dict[str, list[Row] | None]:
    """The demo plan as the rows of the import's sheets, numbered as in a workbook."""
    sheets: dict[str, list[dict[str, object]]] = {
        PLAN_SHEET: [{"code": province.plan.code, "title": province.plan.title}],
        GROUP_SHEET: [{"code": g.code, "title": g.title} for g in province.groups],
        TASK_SHEET: [_task_row(t, today) for t in province.tasks],
        INDICATOR_SHEET: [_indicator_row(i) for i in province.indicators],
    }
    # Row 1 is a sheet's header, so a problem is reported at the row a workbook would have.
    return {
        sheet: [Row(number, values, {}) for number, values in enumerate(entries, start=2)]
        for sheet, entries in sheets.items()
    }


def _task_row(task: seed.TaskSeed, today: date) -> dict[str, object]:
    """A task's cells: support codes comma-separated, the deadline a date."""
    return {
        "code": task.code,
        "group": task.group,
        "title": task.title,
        "kind": task.kind,
        "deliverable": task.deliverable,
        "lead": task.lead,
        "support": ", ".join(task.support),
        "deadline": today + timedelta(days=task.deadline_days),
    }


def _indicator_row(indicator: seed.IndicatorSeed) -> dict[str, object]:
    """An indicator's cells, with the stored codes for kind and direction."""
    return {
        "code": indicator.code,
        "title": indicator.title,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "target": indicator.target,
        "direction": indicator.direction,
    }


async def _report_progress(
    session: AsyncSession,
    tasks: tuple[seed.TaskSeed, ...],
    unit_codes: dict[int, str],
    focals: dict[str, Official],
    reviewer: Official | None,
    *,
    now: datetime,
    today: date,
) -> None:
    """Give each imported assignment its task's status, its unit's focal officer and a report.

    A result reported done is confirmed by the standing office a day after the report,
    except every third assignment, whose result still waits for confirmation.
    """
    numbered = {s.code: (number, s) for number, s in enumerate(tasks)}
    assignments = await session.execute(
        select(Assignment, col(Task.code))
        .join(Task, col(Task.id) == Assignment.task_id)
        .where(col(Task.code).in_(numbered))
        .order_by(col(Assignment.id))
    )
    for place, (assignment, code) in enumerate(assignments):
        number, s = numbered[code]
        focal = focals.get(unit_codes[assignment.unit_id])
        assignment.focal_official_id = focal.id if focal else None
        assignment.status = s.status
        assignment.progress = s.progress
        assignment.done_on = _done_on(s.status, assignment.deadline, today, number)
        reported = now - timedelta(days=3 + number % 11)
        if s.status != Status.NOT_STARTED and focal is not None:
            assignment.last_report_at = reported
            session.add(
                ProgressReport(
                    assignment_id=assignment.id or 0,
                    official_id=focal.id or 0,
                    status=s.status,
                    progress=s.progress,
                    done_text=_report_text(s.status),
                    channel="demo",
                    created_at=reported,
                )
            )
        if s.status == Status.DONE:
            _review(assignment, reviewer, reported, waiting=place % 3 == 1)
    await session.flush()


def _review(
    assignment: Assignment, reviewer: Official | None, reported: datetime, *, waiting: bool
) -> None:
    """A done result as a claim, or confirmed by the standing office a day after the report."""
    if waiting or reviewer is None:
        assignment.review = Review.PENDING
        return
    assignment.review = Review.CONFIRMED
    assignment.reviewed_by = reviewer.id
    assignment.reviewed_at = reported + timedelta(days=1)


def _done_on(status: str, deadline: date, today: date, number: int) -> date | None:
    """The day finished work was done: near its deadline, never today or later."""
    if status != Status.DONE:
        return None
    # Most finished work was finished on time; every fifth item a few days late.
    finished = deadline + timedelta(days=3) if number % 5 == 0 else deadline - timedelta(days=2)
    return min(finished, today - timedelta(days=1))


def _report_text(status: str) -> str:
    """What the focal officer wrote in the first report, by status."""
    if status == Status.DONE:
        return "Đã hoàn thành, sản phẩm đã gửi Tổ công tác Đề án 06 tỉnh."
    if status == Status.MAINTAINED:
        return "Mô hình đang vận hành ổn định, duy trì báo cáo định kỳ."
    return "Đang triển khai theo kế hoạch, đã ban hành văn bản hướng dẫn và phân công cán bộ."


async def invite_everyone(session: AsyncSession, *, now: datetime, ttl: timedelta) -> list[Invited]:
    """A fresh invitation code for every official."""
    invited = []
    for official, unit in await directory.officials(session):
        code = await accounts.issue_invitation(session, official.id or 0, now, ttl)
        invited.append(Invited(official.id or 0, official.name, official.role, unit.name, code))
    return invited
