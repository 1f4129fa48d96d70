"""Loading the demo province (bot/demo_province.py) into the database."""

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
from db.models import (
    Assignment,
    AssignmentRole,
    Official,
    Plan,
    ProgressReport,
    Role,
    Status,
    Task,
    TaskGroup,
    Unit,
)


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
            select(func.count()).select_from(Plan).where(col(Plan.code) == seed.PLAN_CODE)
        )
    )


async def load(session: AsyncSession, *, now: datetime, today: date) -> None:
    """Create the demo units, officials, plan, tasks, assignments and a first report each."""
    units: dict[str, Unit] = {}
    for u in seed.UNITS:
        units[u.code] = await directory.add_unit(
            session, code=u.code, name=u.name, kind=u.kind, parent_code=u.parent, now=now
        )
    focals: dict[str, Official] = {}
    for o in seed.OFFICIALS:
        official = await directory.add_official(
            session, name=o.name, role=o.role, unit_code=o.unit, title=o.title, now=now
        )
        if o.role == Role.FOCAL:
            focals.setdefault(o.unit, official)
    plan = Plan(code=seed.PLAN_CODE, title=seed.PLAN_TITLE)
    session.add(plan)
    await session.flush()
    groups: dict[str, TaskGroup] = {}
    for g in seed.GROUPS:
        groups[g.code] = TaskGroup(plan_id=plan.id or 0, code=g.code, title=g.title)
        session.add(groups[g.code])
    await session.flush()
    for number, s in enumerate(seed.TASKS):
        task = Task(
            group_id=groups[s.group].id or 0,
            code=s.code,
            title=s.title,
            kind=s.kind,
            deliverable=s.deliverable,
        )
        session.add(task)
        await session.flush()
        deadline = today + timedelta(days=s.deadline_days)
        for unit_code, role in [
            (s.lead, AssignmentRole.LEAD),
            *((c, AssignmentRole.SUPPORT) for c in s.support),
        ]:
            focal = focals.get(unit_code)
            assignment = Assignment(
                task_id=task.id or 0,
                unit_id=units[unit_code].id or 0,
                role=role,
                focal_official_id=focal.id if focal else None,
                deadline=deadline,
                original_deadline=deadline,
                status=s.status,
                progress=s.progress,
                done_on=_done_on(s.status, deadline, today, number),
            )
            session.add(assignment)
            await session.flush()
            if s.status != Status.NOT_STARTED and focal is not None:
                reported = now - timedelta(days=3 + number % 11)
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
    # Indicators (chỉ tiêu) with last month's values and a few of this month's already in.
    month = period_of(Regime.MONTH, today)
    await indicator_demo.load_demo(
        session,
        seed.INDICATORS,
        now=now,
        last_period_key=month.previous().key,
        current_period_key=month.key,
    )


def _done_on(status: str, deadline: date, today: date, number: int) -> date | None:
    if status != Status.DONE:
        return None
    # Most finished work was finished on time; every fifth item a few days late.
    finished = deadline + timedelta(days=3) if number % 5 == 0 else deadline - timedelta(days=2)
    return min(finished, today - timedelta(days=1))


def _report_text(status: str) -> str:
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
