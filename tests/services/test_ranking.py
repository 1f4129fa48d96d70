"""The unit ranking against a hand-computed example.

Monday 16 November 2026 in Hà Nội; the monthly period runs 15/11–14/12, so it began at
17:00 UTC on 14/11. On top of tests/province.py:

Sở Y tế (SYT)
  NV-01  deadline −5, not started, reported only on 14/11 (last period) → overdue
  NV-02  deadline +3, in progress, reported in this period
  MH-01  deadline +60, not started
  NV-10  deadline −20, done on −22 → on time
  NV-11  deadline −10, done on −8 → late
  NV-12  deadline today, in progress, reported in this period → due, not overdue
  on time 1 / considered 4 (NV-10, NV-11, NV-01, NV-12) = 0.25
  overdue 1 / open 4 (NV-01, NV-02, MH-01, NV-12) = 0.25
  reported 2 / open 4 = 0.5
  score = 100 × (0.6 × 0.25 + 0.2 × 0.75 + 0.2 × 0.5) = 40

Sở Giáo dục và Đào tạo (SGDDT)
  NV-03  deadline +10, not started
  NV-13  deadline −3, done on −3 → on time
  MH-02  deadline −1, maintained, reported at 00:30 on 15/11 (first hour of the period)
  on time 1 / 2 = 0.5; overdue 1 / open 2 = 0.5; reported 1 / 2 = 0.5
  score = 100 × (0.6 × 0.5 + 0.2 × 0.5 + 0.2 × 0.5) = 50

UBND xã Diễn Châu (X-DC)
  NV-15  deadline +5, not started, never reported
  nothing due or done → on-time rate 1; overdue 0 / 1 = 0; reported 0 / 1 = 0
  score = 100 × (0.6 × 1 + 0.2 × 1 + 0.2 × 0) = 80

Units with no assignment (UBND tỉnh, Công an tỉnh) are not ranked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.services.figures import rank_units, score_of
from db.engine import Database
from db.migrate import upgrade
from db.models import (
    Assignment,
    ProgressReport,
    Review,
    Status,
    Task,
    TaskGroup,
    TaskKind,
    Unit,
)
from tests.province import Province, build_province

NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 16)


def settings(**overrides: object) -> Settings:
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


async def _add(
    session: AsyncSession,
    group: int,
    unit: int,
    code: str,
    days: int,
    status: str = Status.NOT_STARTED,
    done_days: int | None = None,
    kind: str = TaskKind.TASK,
    review: str | None = None,
) -> int:
    """A task given to a unit; work done is confirmed unless another `review` is given."""
    task = Task(group_id=group, code=code, title=code, kind=kind)
    session.add(task)
    await session.flush()
    deadline = TODAY + timedelta(days=days)
    assignment = Assignment(
        task_id=task.id or 0,
        unit_id=unit,
        deadline=deadline,
        original_deadline=deadline,
        status=status,
        progress=100 if status == Status.DONE else 30,
        done_on=TODAY + timedelta(days=done_days) if done_days is not None else None,
        review=review or (Review.CONFIRMED if status == Status.DONE else None),
    )
    session.add(assignment)
    await session.flush()
    return assignment.id or 0


async def _report(session: AsyncSession, assignment: int, official: int, at: datetime) -> None:
    session.add(
        ProgressReport(
            assignment_id=assignment,
            official_id=official,
            status=Status.IN_PROGRESS,
            progress=30,
            done_text="Đang triển khai",
            channel="telegram",
            created_at=at,
        )
    )


async def build_example(session: AsyncSession) -> tuple[Province, dict[str, int]]:
    """The province of the module docstring; returns unit ids by code."""
    province = await build_province(session, NOW)
    return province, await add_example(session, province)


async def add_example(session: AsyncSession, province: Province) -> dict[str, int]:
    """Add the assignments and reports of the module docstring to tests/province.py's province."""
    units = dict((await session.execute(select(Unit.code, Unit.id))).all())
    group = await session.scalar(select(TaskGroup.id)) or 0
    health, education, commune = units["SYT"], units["SGDDT"], units["X-DC"]
    await session.execute(
        update(Assignment)
        .where(Assignment.id == province.due_soon)
        .values(status=Status.IN_PROGRESS)
    )
    await _add(session, group, health, "NV-10", -20, Status.DONE, -22)
    await _add(session, group, health, "NV-11", -10, Status.DONE, -8)
    due_today = await _add(session, group, health, "NV-12", 0, Status.IN_PROGRESS)
    await _add(session, group, education, "NV-13", -3, Status.DONE, -3)
    model = await _add(
        session, group, education, "MH-02", -1, Status.MAINTAINED, kind=TaskKind.PILOT_MODEL
    )
    await _add(session, group, commune, "NV-15", 5)
    focal = province.health_focal
    # 23:59 on 14/11 in Hà Nội: the last minute of the old period does not count.
    await _report(session, province.overdue, focal, datetime(2026, 11, 14, 16, 59, tzinfo=UTC))
    await _report(session, province.due_soon, focal, NOW - timedelta(hours=3))
    await _report(session, due_today, focal, NOW - timedelta(days=1))
    await _report(
        session, model, province.education_focal, datetime(2026, 11, 14, 17, 30, tzinfo=UTC)
    )
    return units


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    yield database
    await database.dispose()


@pytest.fixture
async def units(db: Database) -> dict[str, int]:
    async with db.transaction() as session:
        _, found = await build_example(session)
    return found


async def test_the_hand_computed_example(db: Database, units: dict[str, int]) -> None:
    async with db.read() as session:
        ranking = await rank_units(session, TODAY, settings())
    by_code = {code: unit_id for code, unit_id in units.items()}
    assert [s.unit_id for s in ranking] == [by_code["X-DC"], by_code["SGDDT"], by_code["SYT"]]
    assert [s.rank for s in ranking] == [1, 2, 3]
    commune, education, health = ranking
    assert (health.done_on_time, health.considered, health.open) == (1, 4, 4)
    assert (health.overdue, health.reported) == (1, 2)
    assert (health.on_time_rate, health.overdue_share, health.reporting_rate) == (0.25, 0.25, 0.5)
    assert health.score == pytest.approx(40.0)
    assert (education.done_on_time, education.considered, education.open) == (1, 2, 2)
    assert (education.overdue, education.reported) == (1, 1)
    assert education.score == pytest.approx(50.0)
    assert (commune.considered, commune.open, commune.overdue, commune.reported) == (0, 1, 0, 0)
    assert (commune.on_time_rate, commune.overdue_share, commune.reporting_rate) == (1, 0, 0)
    assert commune.score == pytest.approx(80.0)
    assert health.name == "Sở Y tế"


async def test_weights_come_from_settings_and_ties_break_on_work_then_name(
    db: Database, units: dict[str, int]
) -> None:
    # Weights 1, 1, 2 (sum 4): SYT (0.25 + 0.75 + 1.0) / 4 = 0.5, SGDDT (0.5 + 0.5 + 1) / 4
    # = 0.5, X-DC (1 + 1 + 0) / 4 = 0.5. All 50: SGDDT and SYT have one on-time task and one
    # overdue each, so the name decides; X-DC has no work done on time and comes last.
    weights = {"on_time": 1.0, "overdue": 1.0, "reporting": 2.0}
    async with db.read() as session:
        ranking = await rank_units(session, TODAY, settings(ranking_weights=weights))
    assert [s.score for s in ranking] == [50.0, 50.0, 50.0]
    assert [s.unit_id for s in ranking] == [units["SGDDT"], units["SYT"], units["X-DC"]]


async def test_reporting_follows_the_configured_regime(db: Database, units: dict[str, int]) -> None:
    # The quarterly period (15/09–14/12) also counts NV-01's report of 14/11.
    async with db.read() as session:
        ranking = await rank_units(session, TODAY, settings(period_regime="quarter"))
    health = next(s for s in ranking if s.unit_id == units["SYT"])
    assert health.reported == 3
    assert health.score == pytest.approx(100 * (0.6 * 0.25 + 0.2 * 0.75 + 0.2 * 0.75))


async def test_a_claim_counts_as_done_only_once_the_standing_office_confirms_it(
    db: Database, units: dict[str, int]
) -> None:
    # Sở Y tế reports NV-16 (deadline two days ago) done on time; the claim waits.
    async with db.transaction() as session:
        group = await session.scalar(select(TaskGroup.id)) or 0
        claim = await _add(
            session, group, units["SYT"], "NV-16", -2, Status.DONE, -3, review=Review.PENDING
        )
    async with db.read() as session:
        health = next(
            s for s in await rank_units(session, TODAY, settings()) if s.unit_id == units["SYT"]
        )
    # Due so far, not done on time yet, not open either: 1 on time of 5 considered.
    assert (health.done_on_time, health.considered, health.open, health.claimed) == (1, 5, 4, 1)
    async with db.transaction() as session:
        await session.execute(
            update(Assignment).where(Assignment.id == claim).values(review=Review.CONFIRMED)
        )
    async with db.read() as session:
        health = next(
            s for s in await rank_units(session, TODAY, settings()) if s.unit_id == units["SYT"]
        )
    assert (health.done_on_time, health.considered, health.claimed) == (2, 5, 0)


async def test_the_ranking_is_two_queries_whatever_the_number_of_units(
    db: Database, units: dict[str, int]
) -> None:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with db.read() as session:
            await rank_units(session, TODAY, settings())
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert len(statements) == 2  # the counts per unit, then the units' names


def test_score_formula() -> None:
    assert score_of(1, 0, 1) == 100
    assert score_of(0, 1, 0) == 0
    assert score_of(0.5, 0.5, 0.5) == 50
    assert score_of(1, 1, 0, {"on_time": 3, "overdue": 1, "reporting": 0}) == 75


@pytest.mark.parametrize(
    "weights",
    [
        {"on_time": 1.0},
        {"on_time": -1, "overdue": 1, "reporting": 1},
        dict.fromkeys(("on_time", "overdue", "reporting"), 0.0),
    ],
    ids=["missing", "negative", "all-zero"],
)
def test_malformed_weights_are_refused(weights: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        settings(ranking_weights=weights)
