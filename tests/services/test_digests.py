"""Weekly digests as data: what a head and the province read on Monday morning.

The story: Monday 16 November 2026, 07:30 in Hà Nội. The monthly period runs from
15/11 to 14/12. Sở Y tế has two overdue tasks (one named to Võ Thị Mai, one to nobody),
an open difficulty, finished one task on Saturday and reported on one task just after
midnight on Sunday 15/11, the first minute that counts for the new period.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.digests.province import province_digest
from bot.services.digests.units import LIST_LIMIT, unit_digests
from bot.services.figures import State, task_state
from bot.services.people import directory
from db.engine import Database
from db.migrate import upgrade
from db.models import (
    Assignment,
    AssignmentRole,
    Blocker,
    ProgressReport,
    Review,
    Status,
    Task,
    TaskGroup,
    TaskKind,
    Unit,
)
from tests.province import ZONE, Province, build_province

NOW = datetime(2026, 11, 16, 0, 30, tzinfo=UTC)  # Monday 07:30 in Hà Nội
TODAY = date(2026, 11, 16)
WEEK_START = TODAY - timedelta(days=7)


@dataclass(frozen=True)
class Week:
    """The province of tests/province.py after a week of work, with the ids a test needs."""

    province: Province
    health: int
    education: int
    commune: int
    group: int
    mai: int  # Võ Thị Mai, Sở Y tế's second focal officer
    records: int  # NV-04, 12 days late, named to Mai
    vaccines: int  # NV-05, done on Saturday 14/11
    education_late: int  # NV-07, 3 days late


async def add_assignment(
    session: AsyncSession,
    *,
    group: int,
    code: str,
    title: str,
    unit: int,
    deadline: date,
    status: str = Status.NOT_STARTED,
    progress: int = 0,
    done_on: date | None = None,
    focal: int | None = None,
    kind: str = TaskKind.TASK,
    role: str = AssignmentRole.LEAD,
    task: int | None = None,
    review: str | None = None,
) -> int:
    """Give a task (a new one unless `task` is given) to a unit; return the assignment id.

    Work done is confirmed by the standing office unless another `review` is given.
    """
    if task is None:
        new = Task(group_id=group, code=code, title=title, kind=kind, deliverable="Báo cáo")
        session.add(new)
        await session.flush()
        task = new.id or 0
    assignment = Assignment(
        task_id=task,
        unit_id=unit,
        role=role,
        focal_official_id=focal,
        deadline=deadline,
        original_deadline=deadline,
        status=status,
        progress=progress,
        done_on=done_on,
        review=review or (Review.CONFIRMED if status == Status.DONE else None),
    )
    session.add(assignment)
    await session.flush()
    return assignment.id or 0


async def report(
    session: AsyncSession,
    assignment: int,
    official: int,
    at: datetime,
    difficulty: str | None = None,
) -> int:
    """A progress report (and its blocker, when it raises a difficulty)."""
    row = ProgressReport(
        assignment_id=assignment,
        official_id=official,
        status=Status.IN_PROGRESS,
        progress=30,
        done_text="Đang triển khai",
        difficulty=difficulty,
        channel="telegram",
        created_at=at,
    )
    session.add(row)
    await session.flush()
    if difficulty:
        session.add(
            Blocker(assignment_id=assignment, report_id=row.id or 0, text=difficulty, opened_at=at)
        )
    return row.id or 0


async def build_week(session: AsyncSession, now: datetime = NOW) -> Week:
    """Build the story of the module docstring."""
    province = await build_province(session, now)
    units = dict((await session.execute(select(Unit.code, Unit.id))).all())
    health, education, commune = units["SYT"], units["SGDDT"], units["X-DC"]
    group = await session.scalar(select(TaskGroup.id)) or 0
    mai = await directory.add_official(
        session, name="Võ Thị Mai", role="focal", unit_code="SYT", title="", now=now
    )
    today = now.astimezone(ZONE).date()
    records = await add_assignment(
        session,
        group=group,
        code="NV-04",
        title="Số hóa hồ sơ bệnh án",
        unit=health,
        deadline=today - timedelta(days=12),
        status=Status.IN_PROGRESS,
        progress=40,
        focal=mai.id,
    )
    vaccines = await add_assignment(
        session,
        group=group,
        code="NV-05",
        title="Kết nối dữ liệu tiêm chủng",
        unit=health,
        deadline=today + timedelta(days=1),
        status=Status.DONE,
        progress=100,
        done_on=today - timedelta(days=2),
    )
    await add_assignment(
        session,
        group=group,
        code="NV-06",
        title="Thanh toán viện phí không dùng tiền mặt",
        unit=health,
        deadline=date(2026, 9, 25),
        status=Status.DONE,
        progress=100,
        done_on=date(2026, 10, 1),
    )
    education_late = await add_assignment(
        session,
        group=group,
        code="NV-07",
        title="Cấp học bạ số",
        unit=education,
        deadline=today - timedelta(days=3),
    )
    await add_assignment(
        session,
        group=group,
        code="NV-08",
        title="Thông báo lưu trú qua VNeID",
        unit=commune,
        deadline=today + timedelta(days=30),
    )
    await session.execute(
        update(Assignment)
        .where(Assignment.id == province.due_soon)
        .values(status=Status.IN_PROGRESS, progress=30)
    )
    await session.execute(
        update(Assignment)
        .where(Assignment.id == province.education_task)
        .values(
            status=Status.DONE,
            progress=100,
            done_on=today - timedelta(days=1),
            review=Review.CONFIRMED,
        )
    )
    # 01:00 on 15/11 in Hà Nội: the first hour of the new period.
    await report(
        session, province.due_soon, province.health_focal, datetime(2026, 11, 14, 18, 0, tzinfo=UTC)
    )
    # 23:00 on 14/11 in Hà Nội: the last hour of the old period, with a difficulty.
    await report(
        session,
        province.overdue,
        province.health_focal,
        datetime(2026, 11, 14, 16, 0, tzinfo=UTC),
        difficulty="Chưa có đầu đọc thẻ Căn cước tại 3 trạm y tế",
    )
    solved = await report(
        session,
        records,
        mai.id or 0,
        datetime(2026, 11, 1, 2, 0, tzinfo=UTC),
        difficulty="Thiếu máy quét",
    )
    await session.execute(
        update(Blocker)
        .where(Blocker.report_id == solved)
        .values(resolved_at=now, resolution="Đã cấp")
    )
    return Week(
        province, health, education, commune, group, mai.id or 0, records, vaccines, education_late
    )


async def add_pilot_models(session: AsyncSession, week: Week) -> None:
    """37 more pilot models, so that the province has 6 done, 20 in progress, 12 not started of 38.

    One of the done ones has a cooperating unit still at work: the lead unit decides.
    """
    plan = [(Status.DONE, 6), (Status.IN_PROGRESS, 20), (Status.NOT_STARTED, 11)]
    number = 0
    for status, count in plan:
        for _ in range(count):
            number += 1
            assignment = await add_assignment(
                session,
                group=week.group,
                code=f"MH-{number + 1:02d}",
                title=f"Mô hình điểm số {number + 1}",
                unit=week.commune,
                deadline=TODAY + timedelta(days=90),
                status=status,
                progress=100 if status == Status.DONE else 0,
                done_on=TODAY - timedelta(days=30) if status == Status.DONE else None,
                kind=TaskKind.PILOT_MODEL,
            )
            if number == 1:
                task = await session.scalar(
                    select(Assignment.task_id).where(Assignment.id == assignment)
                )
                await add_assignment(
                    session,
                    group=week.group,
                    code="",
                    title="",
                    unit=week.education,
                    deadline=TODAY + timedelta(days=90),
                    status=Status.IN_PROGRESS,
                    role=AssignmentRole.SUPPORT,
                    task=task,
                )


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    yield database
    await database.dispose()


@pytest.fixture
async def week(db: Database) -> Week:
    async with db.transaction() as session:
        return await build_week(session)


async def test_the_health_departments_week(db: Database, week: Week) -> None:
    async with db.read() as session:
        digests = await unit_digests(session, TODAY, WEEK_START)
    health = digests[week.health]
    assert health.name == "Sở Y tế"
    assert health.figures.assignments.by_state == {
        "not_started": 2,
        "in_progress": 2,
        "done": 2,
        "claimed": 0,
        "maintained": 0,
    }
    assert health.figures.tasks.total == 5 and health.figures.pilot_models.total == 1
    assert [i.task_code for i in health.done_this_week.items] == ["NV-05"]
    assert [(i.task_code, i.progress) for i in health.in_progress.items] == [
        ("NV-04", 40),
        ("NV-02", 30),
    ]
    assert [(i.task_code, i.deadline) for i in health.due_soon.items] == [
        ("NV-02", date(2026, 11, 19))
    ]
    # Longest late first; NV-01 names nobody, so both focal officers answer for it.
    assert [(i.task_code, i.days_late, i.responsible) for i in health.overdue.items] == [
        ("NV-04", 12, ("Võ Thị Mai",)),
        ("NV-01", 5, ("Nguyễn Thị Lan", "Võ Thị Mai")),
    ]
    # The difficulty of 14/11 is still open; the one on NV-04 was resolved.
    assert [(b.task_code, b.opened_on, b.age_days) for b in health.blockers.items] == [
        ("NV-01", date(2026, 11, 14), 2)
    ]
    # NV-02 reported at 01:00 on 15/11 (in the period); NV-01 at 23:00 on 14/11 (before it).
    assert [i.task_code for i in health.unreported.items] == ["NV-04", "NV-01", "MH-01"]
    assert (health.period.start, health.period.end) == (date(2026, 11, 15), date(2026, 12, 14))


async def test_every_unit_gets_a_digest_even_with_nothing_to_say(db: Database, week: Week) -> None:
    async with db.read() as session:
        digests = await unit_digests(session, TODAY, WEEK_START)
    education, standing = digests[week.education], min(digests.values(), key=lambda d: d.total)
    assert [i.task_code for i in education.done_this_week.items] == ["NV-03"]
    assert [(i.task_code, i.responsible) for i in education.overdue.items] == [
        ("NV-07", ("Lê Minh Tuấn",))
    ]
    assert standing.total == 0 and standing.overdue.total == 0 and standing.blockers.total == 0


async def test_long_lists_are_cut_in_the_database_but_counted(db: Database, week: Week) -> None:
    async with db.transaction() as session:
        for n in range(40):
            await add_assignment(
                session,
                group=week.group,
                code=f"XA-{n:02d}",
                title=f"Việc tồn đọng {n}",
                unit=week.commune,
                deadline=TODAY - timedelta(days=100 - n),
            )
    async with db.read() as session:
        commune = (await unit_digests(session, TODAY, WEEK_START))[week.commune]
    assert commune.overdue.total == 40 and len(commune.overdue.items) == LIST_LIMIT
    assert commune.overdue.hidden == 40 - LIST_LIMIT
    assert commune.overdue.items[0].days_late == 100  # the oldest first


async def test_the_province_in_numbers(db: Database, week: Week) -> None:
    async with db.read() as session:
        province = await province_digest(session, TODAY, WEEK_START)
    assigned = province.figures.assignments
    assert assigned.by_state == {
        "not_started": 4,
        "in_progress": 2,
        "done": 3,
        "claimed": 0,
        "maintained": 0,
    }
    assert assigned.overdue == 3
    assert [(g.code, g.work.total, g.work.overdue) for g in province.figures.groups] == [
        ("N1", 9, 3)
    ]
    # The ranking is /xephang's. The commune has nothing due: on time 1, nothing overdue,
    # nothing reported: 80. Sở GD&ĐT: 1 on time of 2 considered (NV-03 done early, NV-07
    # late), its only open work overdue, not reported: 30. Sở Y tế: NV-05 on time of NV-05,
    # NV-06 (done late), NV-01 and NV-04 (late); 2 of 4 open overdue, 1 of 4 reported: 30;
    # it has more overdue than Sở GD&ĐT, so comes after it.
    assert [(s.name, s.done_on_time, s.considered, s.score) for s in province.ranking] == [
        ("UBND xã Diễn Châu", 0, 0, 80.0),
        ("Sở Giáo dục và Đào tạo", 1, 2, 30.0),
        ("Sở Y tế", 1, 4, 30.0),
    ]
    assert [(i.task_code, i.unit_name, i.days_late) for i in province.longest_overdue] == [
        ("NV-04", "Sở Y tế", 12),
        ("NV-01", "Sở Y tế", 5),
        ("NV-07", "Sở Giáo dục và Đào tạo", 3),
    ]
    # Nghị định 09: Sở Y tế reported on some of its open assignments, not on each of them.
    assert [u.name for u in province.unreported_units] == [
        "Sở Giáo dục và Đào tạo",
        "Sở Y tế",
        "UBND xã Diễn Châu",
    ]
    assert province.units_expected == 3


async def test_pilot_models_are_counted_once_by_their_lead_unit(db: Database, week: Week) -> None:
    async with db.transaction() as session:
        await add_pilot_models(session, week)
    async with db.read() as session:
        province = await province_digest(session, TODAY, WEEK_START)
    assert province.figures.pilot_models.by_state == {
        "done": 6,
        "claimed": 0,
        "in_progress": 20,
        "not_started": 12,
        "maintained": 0,
    }
    assert province.figures.pilot_models.total == 38


def test_a_pilot_models_state_follows_all_its_assignments() -> None:
    assert task_state({State.DONE: 2}) == "done"
    assert task_state({State.DONE: 1, State.CLAIMED: 1}) == "claimed"
    assert task_state({State.DONE: 1, State.MAINTAINED: 1}) == "maintained"
    assert task_state({State.CLAIMED: 1, State.MAINTAINED: 1}) == "maintained"
    assert task_state({State.NOT_STARTED: 3}) == "not_started"
    assert task_state({State.DONE: 1, State.NOT_STARTED: 1}) == "in_progress"


async def test_the_number_of_queries_does_not_grow_with_the_province(
    db: Database, week: Week
) -> None:
    async def statements() -> int:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(args[2])

        event.listen(db.engine.sync_engine, "before_cursor_execute", count)
        try:
            async with db.read() as session:
                await unit_digests(session, TODAY, WEEK_START)
                await province_digest(session, TODAY, WEEK_START)
        finally:
            event.remove(db.engine.sync_engine, "before_cursor_execute", count)
        return len(seen)

    small = await statements()
    async with db.transaction() as session:
        for n in range(20):
            unit = await directory.add_unit(
                session,
                code=f"X-{n}",
                name=f"UBND xã {n}",
                kind="commune",
                parent_code="UBND",
                now=NOW,
            )
            await add_assignment(
                session,
                group=week.group,
                code=f"NV-X{n}",
                title="Việc của xã",
                unit=unit.id or 0,
                deadline=TODAY - timedelta(days=n),
            )
    assert await statements() == small
