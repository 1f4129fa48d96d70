"""A small province for tests: two departments, a commune, their people and assignments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.people import accounts, directory
from db.models import Assignment, Plan, Task, TaskGroup, TaskKind

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Province:
    """Ids a test needs."""

    health_focal: int
    health_head: int
    education_focal: int
    education_head: int
    commune_focal: int
    standing: int
    overdue: int  # Sở Y tế, 5 days late
    due_soon: int  # Sở Y tế, due in 3 days
    later: int  # Sở Y tế pilot model, due in 60 days
    education_task: int  # Sở Giáo dục và Đào tạo's own


async def build_province(session: AsyncSession, now: datetime) -> Province:
    """Create the units, officials, plan and assignments; return their ids."""
    add_unit, add_official = directory.add_unit, directory.add_official
    await add_unit(
        session, code="UBND", name="UBND tỉnh", kind="leadership", parent_code=None, now=now
    )
    await add_unit(
        session, code="CA", name="Công an tỉnh", kind="standing", parent_code="UBND", now=now
    )
    health = await add_unit(
        session, code="SYT", name="Sở Y tế", kind="department", parent_code="UBND", now=now
    )
    education = await add_unit(
        session,
        code="SGDDT",
        name="Sở Giáo dục và Đào tạo",
        kind="department",
        parent_code="UBND",
        now=now,
    )
    await add_unit(
        session, code="X-DC", name="UBND xã Diễn Châu", kind="commune", parent_code="UBND", now=now
    )
    people = {}
    for key, name, role, unit in [
        ("health_focal", "Nguyễn Thị Lan", "focal", "SYT"),
        ("health_head", "Trần Văn Hùng", "head", "SYT"),
        ("education_focal", "Lê Minh Tuấn", "focal", "SGDDT"),
        ("education_head", "Phạm Thu Hà", "head", "SGDDT"),
        ("commune_focal", "Hồ Văn Nam", "focal", "X-DC"),
        ("standing", "Đặng Quốc Việt", "standing", "CA"),
    ]:
        official = await add_official(
            session, name=name, role=role, unit_code=unit, title="", now=now
        )
        people[key] = official.id or 0
    plan = Plan(code="KH-TEST", title="Kế hoạch thử nghiệm")
    session.add(plan)
    await session.flush()
    group = TaskGroup(plan_id=plan.id or 0, code="N1", title="Dịch vụ công trực tuyến")
    session.add(group)
    await session.flush()
    today = now.astimezone(ZONE).date()
    assignments = {}
    for key, code, title, kind, unit_id, days in [
        ("overdue", "NV-01", "Khám chữa bệnh bằng thẻ Căn cước gắn chip", "task", health.id, -5),
        ("due_soon", "NV-02", "Cấp sổ sức khỏe điện tử", "task", health.id, 3),
        ("later", "MH-01", "KIOSK y tế thông minh", TaskKind.PILOT_MODEL, health.id, 60),
        ("education_task", "NV-03", "Thu học phí không dùng tiền mặt", "task", education.id, 10),
    ]:
        task = Task(
            group_id=group.id or 0,
            code=code,
            title=title,
            kind=kind,
            deliverable="Báo cáo kết quả triển khai",
        )
        session.add(task)
        await session.flush()
        deadline = today + timedelta(days=days)
        assignment = Assignment(
            task_id=task.id or 0,
            unit_id=unit_id or 0,
            deadline=deadline,
            original_deadline=deadline,
        )
        session.add(assignment)
        await session.flush()
        assignments[key] = assignment.id or 0
    return Province(**people, **assignments)


async def bind_account(
    session: AsyncSession, official_id: int, user_key: str, now: datetime, channel: str = "telegram"
) -> None:
    """Register a chat account for an official the way a person would: by an invitation."""
    code = await accounts.issue_invitation(session, official_id, now, timedelta(hours=1))
    outcome, _ = await accounts.redeem_invitation(
        session,
        channel=channel,
        user_key=user_key,
        chat_key=user_key,
        code=code,
        now=now,
        max_failures=5,
        lockout=timedelta(minutes=15),
    )
    assert outcome is accounts.Redemption.BOUND
