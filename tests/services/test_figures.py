"""One figure, one meaning: each figure counted here from the database, by plain SQL, and
compared with what every place shows: the figures service, the province digest's text, the
chart's data, a head's digest, /xephang through the fake Telegram and the export workbook
(/tonghop and the dashboard's province page: tests/services/test_figures_on_demand.py).

The province is the demo's (bot/demo_province.toml): 58 tasks, 38 pilot models, 274
assignments to 27 units, a third of the results reported done still waiting for the
standing office's confirmation. Monday 16 November 2026, 09:00 in Hà Nội.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Date, DateTime, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot import demo
from bot.channels.limits import Limits, limits_of
from bot.i18n import Translator
from bot.services.dates.periods import Regime, period_of
from bot.services.digests import province_digest, unit_digests
from bot.services.export import SUMMARY_SHEET, TRACKING_HEADER_ROW, TRACKING_SHEET, export
from bot.services.figures import Figures, province_figures, unit_figures
from bot.services.indicators.achievement import achievement
from db.engine import Database
from db.migrate import upgrade
from db.models import Official, Role, Unit
from scheduler.digest.chart import Segment, chart_data, draw_status_chart
from scheduler.digest.province import render_province_digest
from scheduler.digest.unit import render_unit_digest
from tests.conftest import test_settings
from tests.harness import FakeClock, running_bot
from tests.province import ZONE, Province

NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 16)
STATES = ("done", "claimed", "maintained", "in_progress", "not_started")
VI = {
    "done": "hoàn thành",
    "claimed": "chờ xác nhận",
    "in_progress": "đang thực hiện",
    "not_started": "chưa thực hiện",
    "maintained": "đang duy trì",
}
# The rule, written out once more in SQL: done counts only when confirmed.
STATE = (
    "CASE WHEN a.status = 'done' AND a.review = 'confirmed' THEN 'done' "
    "WHEN a.status = 'done' THEN 'claimed' ELSE a.status END"
)
LATE = "CASE WHEN a.status <> 'done' AND a.deadline < :today THEN 1 ELSE 0 END"


def _query(sql: str) -> Any:
    return text(sql).bindparams(bindparam("today", type_=Date))


@dataclass
class Tally:
    """What the test counted for one scope: by state, and overdue."""

    by_state: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def _tally(rows: Any) -> dict[Any, Tally]:
    found: dict[Any, Tally] = defaultdict(lambda: Tally(dict.fromkeys(STATES, 0), 0))
    for key, state, late, count in rows:
        found[key].by_state[state] += count
        found[key].overdue += count if late else 0
    return found


async def assignments_by(session: AsyncSession, key: str | None) -> dict[Any, Tally]:
    """Assignments counted by `key` (an expression over a and t; None: all), state, lateness."""
    grouped = f"{key}, " if key else ""
    rows = await session.execute(
        _query(
            f"SELECT {grouped}{STATE}, {LATE}, count(*) FROM assignment a "
            f"JOIN task t ON t.id = a.task_id GROUP BY {grouped}{STATE}, {LATE}"
        ),
        {"today": TODAY},
    )
    return _tally(rows if key else (("all", *row) for row in rows))


async def tasks_by(session: AsyncSession, key: str) -> dict[Any, Tally]:
    """Tasks, each once, in the state of its lead unit's assignment (the demo has one lead)."""
    rows = await session.execute(
        _query(
            f"SELECT {key}, {STATE}, {LATE}, count(*) FROM task t "
            f"JOIN assignment a ON a.task_id = t.id AND a.role = 'lead' "
            f"GROUP BY {key}, {STATE}, {LATE}"
        ),
        {"today": TODAY},
    )
    return _tally(rows)


@dataclass(frozen=True)
class Place:
    """A unit's place as the test computes it."""

    unit_id: int
    name: str
    on_time: int
    considered: int
    open: int
    overdue: int
    reported: int

    @property
    def score(self) -> float:
        on_time = self.on_time / self.considered if self.considered else 1.0
        overdue = self.overdue / self.open if self.open else 0.0
        reported = self.reported / self.open if self.open else 1.0
        return round(100 * (0.6 * on_time + 0.2 * (1 - overdue) + 0.2 * reported), 2)


async def expected_ranking(session: AsyncSession) -> list[Place]:
    """Every unit with work, best first, from the counts behind the three components."""
    # The monthly period of 16/11/2026 runs from 15/11 to 14/12, local midnights.
    start = datetime.combine(date(2026, 11, 15), time(0), ZONE).astimezone(UTC)
    end = datetime.combine(date(2026, 12, 15), time(0), ZONE).astimezone(UTC)
    confirmed = "a.status = 'done' AND a.review = 'confirmed'"
    rows = await session.execute(
        text(
            "SELECT u.id, u.name, "
            f"sum(CASE WHEN {confirmed} AND coalesce(a.done_on, :today) <= a.deadline "
            "THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN ({confirmed}) OR a.deadline <= :today THEN 1 ELSE 0 END), "
            "sum(CASE WHEN a.status <> 'done' THEN 1 ELSE 0 END), "
            f"sum({LATE}), "
            "sum(CASE WHEN a.status <> 'done' AND EXISTS (SELECT 1 FROM progressreport r "
            "WHERE r.assignment_id = a.id AND r.created_at >= :start AND r.created_at < :end) "
            "THEN 1 ELSE 0 END) "
            "FROM assignment a JOIN unit u ON u.id = a.unit_id GROUP BY u.id, u.name"
        ).bindparams(
            bindparam("today", type_=Date),
            bindparam("start", type_=DateTime(timezone=True)),
            bindparam("end", type_=DateTime(timezone=True)),
        ),
        {"today": TODAY, "start": start, "end": end},
    )
    places = [Place(*(int(v) if i != 1 else v for i, v in enumerate(row))) for row in rows]
    places.sort(key=lambda p: (-p.score, -p.on_time, p.overdue, p.name, p.unit_id))
    return places


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    async with database.transaction() as session:
        await demo.load(session, now=NOW, today=TODAY)
    yield database
    await database.dispose()


def vi() -> Translator:
    return Translator("vi", ZONE)


def counts_line(what: str, tally: Tally) -> str:
    """A counting line as the digest writes it in Vietnamese."""
    s = tally.by_state
    return (
        f"{what} ({tally.total}): {s['done']} hoàn thành, {s['claimed']} chờ xác nhận, "
        f"{s['in_progress']} đang thực hiện, {s['not_started']} chưa thực hiện, "
        f"{s['maintained']} đang duy trì; {tally.overdue} quá hạn."
    )


def number(value: float) -> str:
    """A score as the ranking writes it in Vietnamese, to one decimal: 80,5."""
    return f"{round(value, 1):g}".replace(".", ",")


def shown_name(name: str, limit: int = 50) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


async def test_the_demo_has_tasks_models_claims_and_confirmed_results(db: Database) -> None:
    async with db.read() as session:
        kinds = await tasks_by(session, "t.kind")
        every = await assignments_by(session, None)
        leads = await session.execute(
            text("SELECT count(*) FROM assignment WHERE role = 'lead' GROUP BY task_id")
        )
    assert {n for (n,) in leads} == {1}  # one lead per task: what tasks_by relies on
    assert (kinds["task"].total, kinds["pilot_model"].total, every["all"].total) == (58, 38, 274)
    assert every["all"].by_state["claimed"] > 0 and every["all"].by_state["done"] > 0
    assert every["all"].overdue > 0


async def test_the_service_counts_what_the_database_holds(db: Database) -> None:
    async with db.read() as session:
        figures = await province_figures(session, TODAY)
        kinds = await tasks_by(session, "t.kind")
        groups = await tasks_by(session, "t.group_id")
        every = await assignments_by(session, None)
        units = await assignments_by(session, "a.unit_id")
        one = next(iter(units))
        unit = await unit_figures(session, TODAY, one)

    def same(counts: Any, tally: Tally) -> None:
        assert {s: counts.of(s) for s in STATES} == tally.by_state
        assert counts.overdue == tally.overdue

    same(figures.tasks, kinds["task"])
    same(figures.pilot_models, kinds["pilot_model"])
    same(figures.assignments, every["all"])
    assert [g.group_id for g in figures.groups] == sorted(groups)
    for g in figures.groups:
        same(g.work, groups[g.group_id])
    same(unit.assignments, units[one])
    assert unit.tasks.total + unit.pilot_models.total == units[one].total


async def test_the_province_digest_says_the_same_figures(db: Database) -> None:
    async with db.read() as session:
        digest = await province_digest(session, TODAY, TODAY - timedelta(days=7), zone=ZONE)
        kinds = await tasks_by(session, "t.kind")
        groups = await tasks_by(session, "t.group_id")
        codes = dict((await session.execute(text("SELECT id, code FROM taskgroup"))).all())
        every = await assignments_by(session, None)
        ranking = await expected_ranking(session)
    # Without a length limit, so that every list is there to compare (on Telegram the
    # details are cut to fit 4,096 characters: the test below that checks nothing else).
    caption, details = render_province_digest(digest, vi(), Limits(None, None))
    assert details is None
    lines = caption.split("\n")
    assert counts_line("Nhiệm vụ", kinds["task"]) in lines
    assert counts_line("Mô hình điểm", kinds["pilot_model"]) in lines
    assert counts_line("Lượt giao cho đơn vị", every["all"]) in lines
    assert any(line.startswith("“Hoàn thành” chỉ tính kết quả đã được") for line in lines)
    shown = {}
    for line in lines:
        found = re.match(
            r"^• (\S+) (.+): (\d+)/(\d+) hoàn thành, (\d+) chờ xác nhận, (\d+) quá hạn$", line
        )
        if found:
            code, label, *numbers = found.groups()
            assert not label.startswith("Nhóm")
            shown[code] = tuple(map(int, numbers))
    assert shown == {
        codes[g]: (t.by_state["done"], t.total, t.by_state["claimed"], t.overdue)
        for g, t in groups.items()
    }
    # The ranking: the best five and the lowest five, in /xephang's order with its scores.
    ranked = [
        (int(m[1]), m[2], m[3])
        for m in (re.match(r"^(\d+)\. (.+) — ([\d,]+) điểm$", line) for line in lines)
        if m
    ]
    expected = [(n, shown_name(p.name), number(p.score)) for n, p in enumerate(ranking, 1)]
    assert ranked == expected[:5] + expected[-5:]
    assert "🐢" not in caption
    on_telegram = "\n".join(
        part or "" for part in render_province_digest(digest, vi(), limits_of("telegram"))
    )
    assert counts_line("Lượt giao cho đơn vị", every["all"]) in on_telegram.split("\n")
    assert "🐢" not in on_telegram


async def test_the_chart_draws_the_same_figures(db: Database) -> None:
    async with db.read() as session:
        figures = await province_figures(session, TODAY)
        groups = await tasks_by(session, "t.group_id")
        labels = dict((await session.execute(text("SELECT id, code FROM taskgroup"))).all())
        kinds = await tasks_by(session, "t.kind")
    data = chart_data(figures, vi())
    bars = {bar.label.split(" ", 1)[0]: bar for bar in data.bars}
    assert set(bars) == {labels[g] for g in groups}
    for group_id, tally in groups.items():
        bar = bars[labels[group_id]]
        assert bar.total == tally.total
        assert bar.segments[Segment.DONE] == tally.by_state["done"]
        assert bar.segments[Segment.CLAIMED] == tally.by_state["claimed"]
        assert bar.segments[Segment.OVERDUE] == tally.overdue
        assert "Nhóm" not in bar.label and "…" not in bar.label
    # The pilot models' bar counts models, as the text does: 38, not the units given them.
    assert bars["MH"].total == kinds["pilot_model"].total == 38
    assert draw_status_chart(figures, vi()).startswith(b"\x89PNG")


async def test_every_heads_digest_says_the_units_figures_and_place(db: Database) -> None:
    async with db.read() as session:
        digests = await unit_digests(session, TODAY, TODAY - timedelta(days=7), zone=ZONE)
        given = await assignments_by(session, "CAST(a.unit_id AS TEXT) || ':' || t.kind")
        ranking = await expected_ranking(session)
    places = {p.unit_id: n for n, p in enumerate(ranking, 1)}
    checked = 0
    for unit_id, digest in digests.items():
        if not digest.total:
            continue
        text_ = render_unit_digest(digest, vi(), TODAY, None)
        tasks = given.get(f"{unit_id}:task")
        if tasks is not None:
            assert counts_line("Nhiệm vụ", tasks) in text_.split("\n")
        models = given.get(f"{unit_id}:pilot_model")
        if models is not None:
            assert counts_line("Mô hình điểm", models) in text_.split("\n")
        assert f"🏅 Xếp hạng: thứ {places[unit_id]}/{len(ranking)} đơn vị, " in text_
        checked += 1
    assert checked == len(ranking) == 27


async def demo_province(session: AsyncSession, now: datetime) -> Province:
    """The demo province, with the ids of a standing officer and a head in it."""
    await demo.load(session, now=now, today=now.astimezone(ZONE).date())
    standing = await session.scalar(select(Official.id).where(Official.role == Role.STANDING))
    health = await session.scalar(select(Unit.id).where(Unit.name == "Sở Y tế"))
    head = await session.scalar(
        select(Official.id).where(Official.role == Role.HEAD, Official.unit_id == health)
    )
    ids = {"standing": standing or 0, "health_head": head or 0}
    return Province(**{f: ids.get(f, 0) for f in Province.__dataclass_fields__})


@pytest.mark.slow
async def test_xephang_shows_the_same_order_scores_and_a_heads_own_place(
    database_url: str,
) -> None:
    clock = FakeClock(NOW)
    async with running_bot(test_settings(database_url), clock, demo_province) as bot:
        async with bot.app.db.read() as session:
            ranking = await expected_ranking(session)
        expected = [(n, shown_name(p.name), number(p.score)) for n, p in enumerate(ranking, 1)]
        viet = await bot.registered(bot.province.standing, 901)
        [first] = await bot.say(viet, "/xephang")
        pattern = re.compile(r"^(\d+)\. (.+) — ([\d,]+) điểm$", re.MULTILINE)
        top = [(int(r), n, s) for r, n, s in pattern.findall(first.text or "")]
        assert top == expected[:8] + expected[-8:]
        head = await bot.registered(bot.province.health_head, 902)
        [own] = await bot.say(head, "/xephang")
        health = next(p for p in ranking if p.name == "Sở Y tế")
        line = next(e for e in expected if e[1] == "Sở Y tế")
        assert f"{line[0]}. Sở Y tế — {line[2]} điểm" in (own.text or "")
        assert f"({health.on_time}/{health.considered})" in (own.text or "")
        assert f"({health.overdue}/{health.open})" in (own.text or "")
        assert f"({health.reported}/{health.open})" in (own.text or "")


async def test_the_export_workbook_counts_the_same(db: Database) -> None:
    async with db.transaction() as session:
        made = await export(session, now=NOW, today=TODAY, zone=ZONE)
    async with db.read() as session:
        kinds = await tasks_by(session, "t.kind")
        groups = await tasks_by(session, "t.group_id")
        codes = dict((await session.execute(text("SELECT id, code FROM taskgroup"))).all())
        every = await assignments_by(session, None)
    book = load_workbook(BytesIO(made.data))
    summary = book[SUMMARY_SHEET]
    rows = [tuple(r) for r in summary.iter_rows(values_only=True)]
    by_state = {}
    for r in rows:  # the first table that names the states is the one by state
        if r[0] in VI.values() and r[0] not in by_state:
            by_state[r[0]] = r[1:5]
    for state, word in VI.items():
        task, model = kinds["task"].by_state[state], kinds["pilot_model"].by_state[state]
        assert by_state[word] == (task, model, task + model, every["all"].by_state[state])
    by_group = {r[0]: r[2:9] for r in rows if r[0] in codes.values()}
    for group_id, tally in groups.items():
        s = tally.by_state
        assert by_group[codes[group_id]] == (
            tally.total,
            s["done"],
            s["claimed"],
            s["in_progress"],
            s["not_started"],
            s["maintained"],
            tally.overdue,
        )
    labels = {r[0]: r[1] for r in rows if r[0] and r[1] is not None}
    assert labels["Quá hạn"] == (
        f"{kinds['task'].overdue} nhiệm vụ, {kinds['pilot_model'].overdue} mô hình điểm"
    )
    assert labels["Chờ xác nhận"] == (
        f"{kinds['task'].by_state['claimed']} nhiệm vụ, "
        f"{kinds['pilot_model'].by_state['claimed']} mô hình điểm"
    )
    tracking = book[TRACKING_SHEET]
    states = [r[5] for r in tracking.iter_rows(min_row=TRACKING_HEADER_ROW + 1, values_only=True)]
    assert {VI[s]: states.count(VI[s]) for s in STATES} == {
        VI[s]: every["all"].by_state[s] for s in STATES
    }
    assert (made.tasks_total, made.pilots_total, made.assignments) == (58, 38, 274)


def test_nothing_counted_is_nothing_shown() -> None:
    empty = Figures.empty(TODAY, None)
    assert chart_data(empty, vi()).bars == ()
    assert draw_status_chart(empty, vi()).startswith(b"\x89PNG")


async def test_a_claim_counts_as_done_once_the_standing_office_confirms_it(db: Database) -> None:
    async with db.read() as session:
        before = await province_figures(session, TODAY)
        claim = await session.scalar(
            text(
                "SELECT a.id FROM assignment a JOIN task t ON t.id = a.task_id "
                "WHERE a.status = 'done' AND a.review = 'pending' AND a.role = 'lead' "
                "AND t.kind = 'task' ORDER BY a.id"
            )
        )
    assert claim is not None
    async with db.transaction() as session:
        await session.execute(
            text("UPDATE assignment SET review = 'confirmed' WHERE id = :id"), {"id": claim}
        )
    async with db.read() as session:
        after = await province_figures(session, TODAY)
    assert (after.tasks.done, after.tasks.claimed) == (
        before.tasks.done + 1,
        before.tasks.claimed - 1,
    )
    assert after.assignments.done == before.assignments.done + 1
    assert after.assignments.total == before.assignments.total


async def test_a_yes_no_indicator_reads_achieved_or_not_in_the_digest(db: Database) -> None:
    async with db.read() as session:
        digest = await province_digest(session, TODAY, TODAY - timedelta(days=7), zone=ZONE)
        found = await achievement(session, period_of(Regime.MONTH, TODAY).previous().key)
    assert any(a.kind == "yes_no" and a.value is not None for a in found)
    caption, _ = render_province_digest(
        replace(digest, indicators=tuple(found)), vi(), Limits(None, None)
    )
    lines = [line for line in caption.split("\n") if "(IOC)" in line]
    assert lines and all(line.endswith(("): đạt ✅", "): chưa đạt ❌")) for line in lines)
    assert "≥ có" not in caption and "không /" not in caption
