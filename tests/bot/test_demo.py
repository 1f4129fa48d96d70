"""The demo province in a real database: everyone invited, work overdue and due, loaded once."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot import demo
from bot import demo_province as seed
from bot.app import App, open_app
from bot.cli import commands
from bot.services.people import accounts
from bot.services.people.directory import DirectoryError
from bot.services.plan.importing import PlanImportError
from db.models import (
    Assignment,
    AuditLog,
    Indicator,
    Invitation,
    Official,
    Plan,
    Status,
    Task,
    Unit,
)
from tests.conftest import test_settings as settings_for
from tests.harness import FakeClock

OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)
TTL = timedelta(hours=72)


@pytest.fixture
async def app(database_url: str, clock: FakeClock) -> AsyncIterator[App]:
    app = await open_app(settings_for(database_url), clock)
    yield app
    await app.db.dispose()


async def load_and_invite(app: App) -> list[demo.Invited]:
    async with app.db.transaction() as session:
        assert not await demo.is_loaded(session)
        await demo.load(session, now=app.clock(), today=app.today())
        return await demo.invite_everyone(session, now=app.clock(), ttl=TTL)


async def count(app: App, model: type) -> int:
    async with app.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_every_official_gets_a_working_code(app: App) -> None:
    invited = await load_and_invite(app)

    async with app.db.transaction() as session:
        officials = {o.id: o.name for o in await session.scalars(select(Official))}
        issued = await session.execute(select(Invitation.code_hash, Invitation.official_id))
        hashes = dict(issued.all())
    assert len(officials) == len(seed.province().officials) >= 40
    assert {person.official_id: person.name for person in invited} == officials
    assert len({person.code for person in invited}) == len(invited)
    for person in invited:
        assert len(person.code) >= 22
        assert hashes[accounts.hash_code(person.code)] == person.official_id
        assert person.role and person.unit


async def test_every_unit_with_work_has_a_focal_officer_and_a_head(app: App) -> None:
    await load_and_invite(app)

    async with app.db.transaction() as session:
        roles = Counter(
            (unit_id, role)
            for unit_id, role in (await session.execute(select(Official.unit_id, Official.role)))
        )
        assigned = (
            await session.execute(select(Assignment.unit_id, Assignment.focal_official_id))
        ).all()
        unit_of = dict((await session.execute(select(Official.id, Official.unit_id))).all())
    assert assigned
    for unit_id in {unit_id for unit_id, _ in assigned}:
        assert roles[(unit_id, "focal")] >= 1, f"unit {unit_id} has work but no focal officer"
        assert roles[(unit_id, "head")] >= 1, f"unit {unit_id} has work but no head"
    for unit_id, focal_id in assigned:
        assert focal_id is not None and unit_of[focal_id] == unit_id


async def test_the_demo_has_overdue_work_and_work_due_this_week(app: App) -> None:
    await load_and_invite(app)
    today = app.today()
    assert today == date(2026, 11, 16)

    async with app.db.transaction() as session:
        open_deadlines = list(
            await session.scalars(select(Assignment.deadline).where(Assignment.status.in_(OPEN)))
        )
    overdue = [d for d in open_deadlines if d < today]
    due_this_week = [d for d in open_deadlines if today <= d <= today + timedelta(days=7)]
    later = [d for d in open_deadlines if d > today + timedelta(days=7)]
    assert len(overdue) >= 3
    assert len(due_this_week) >= 3
    assert later


async def test_the_demo_plan_has_the_provinces_tasks_and_pilot_models(app: App) -> None:
    await load_and_invite(app)

    async with app.db.transaction() as session:
        kinds = Counter(await session.scalars(select(Unit.kind)))
        pilot_models = Counter(
            await session.scalars(
                select(Assignment.status)
                .join(Task, Task.id == Assignment.task_id)
                .where(Task.kind == "pilot_model", Assignment.role == "lead")
            )
        )
        tasks = await session.scalar(
            select(func.count()).select_from(Task).where(Task.kind == "task")
        )
    assert kinds["department"] >= 10
    assert kinds["commune"] >= 6
    assert tasks >= 30
    assert pilot_models == {"done": 6, "in_progress": 20, "not_started": 12}


async def test_the_demo_plan_is_written_by_the_plan_import(app: App) -> None:
    await load_and_invite(app)
    province = seed.province()

    async with app.db.transaction() as session:
        entries = list(
            await session.scalars(select(AuditLog).where(AuditLog.action == "plan.imported"))
        )
        plan_id = await session.scalar(select(Plan.id))
        indicator_plans = set(await session.scalars(select(Indicator.plan_id)))
    assert len(entries) == 1
    after = entries[0].after
    assert after is not None
    assert after["code"] == province.plan.code
    assert (
        after["tasks"] + after["pilot_models"] == after["lead_assignments"] == len(province.tasks)
    )
    assert after["support_assignments"] == sum(len(t.support) for t in province.tasks)
    assert after["indicators"] == len(province.indicators)
    # As in an imported plan, the indicators belong to it.
    assert indicator_plans == {plan_id}


async def test_a_demo_plan_the_import_checks_refuse_is_not_written(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    province = seed.province()
    tasks = (dataclasses.replace(province.tasks[1], lead="SO-KHAC"), *province.tasks[2:])
    monkeypatch.setattr(seed, "province", lambda: dataclasses.replace(province, tasks=tasks))

    with pytest.raises(PlanImportError) as refused:
        async with app.db.transaction() as session:
            await demo.load(session, now=app.clock(), today=app.today())

    # The import's own message, at the row the task would have in a workbook.
    assert [str(issue) for issue in refused.value.issues] == [
        'Nhiệm vụ, dòng 2: đơn vị chủ trì "SO-KHAC" không tồn tại'
    ]
    assert await count(app, Unit) == await count(app, Plan) == 0


async def test_roviec_demo_checks_is_loaded_so_a_second_run_only_invites_again(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    await commands.demo(app, TTL)
    first = capsys.readouterr().out.splitlines()
    units, tasks = await count(app, Unit), await count(app, Task)

    await commands.demo(app, TTL)
    second = capsys.readouterr().out.splitlines()

    assert len(first) == len(second) == len(seed.province().officials)
    assert await count(app, Unit) == units
    assert await count(app, Task) == tasks
    assert await count(app, Plan) == 1
    assert await count(app, Invitation) == 2 * len(seed.province().officials)
    assert {line.split()[-1] for line in first}.isdisjoint(line.split()[-1] for line in second)

    # Loading again regardless would be refused: that is why the command asks is_loaded first.
    with pytest.raises(DirectoryError, match="exists already"):
        async with app.db.transaction() as session:
            assert await demo.is_loaded(session)
            await demo.load(session, now=app.clock(), today=app.today())
    assert await count(app, Unit) == units
