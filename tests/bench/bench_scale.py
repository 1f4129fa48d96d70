"""Scale benchmark: weekly digests (and a reminder tick) over a national-size database.

Run from the project root::

    .venv/bin/python -m tests.bench.bench_scale

The parent process creates a SQLite file with the schema of `db.migrate.upgrade` and fills
it with raw sqlite3 bulk inserts: 34 provinces, 5,000 units, 20,000 officials (each with a
chat account), 500,000 assignments, 2,000,000 progress reports and their blockers (the
generation time is printed but is not the measured figure). A fresh child process then
measures, so that its peak RSS belongs to the measured work only:

* (a) the weekly digests: `unit_digests` + `province_digest`, the text of every head's
  digest in the head's language, the province texts, and the chart once; then the whole
  `weekly_digests` job as the scheduler runs it (read, render, queue into the outbox), and
  the same job again (everything deduplicated);
* (b) a reminder-planning tick, `bot.services.reminders.plan_reminders`, when that module
  exists (it is looked up at run time; without it the line says "skipped");
* the SQLite query plan (EXPLAIN QUERY PLAN) of every statement the digests ran.

See tests/bench/README.md for what the figures mean.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DIGEST_NOW = datetime(2026, 11, 16, 0, 30, tzinfo=UTC)  # Monday 07:30 in Hà Nội
REMINDER_NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)  # Monday 09:00, a working day
TODAY = date(2026, 11, 16)
PERIOD_START = datetime(2026, 11, 14, 17, 0, tzinfo=UTC)  # 15/11 00:00 in Hà Nội
PROVINCES = 34
TASKS_PER_PROVINCE = 150
PILOT_MODELS_PER_PROVINCE = 38
GROUPS_PER_PLAN = 10
STANDING_PER_PROVINCE = 4
LEADERS_PER_PROVINCE = 2
CHUNK = 20_000
STAMP = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DATETIME storage format


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).replace(tzinfo=None).strftime(STAMP)


def _chunks(rows: Iterator[tuple[Any, ...]], size: int = CHUNK) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(connection: sqlite3.Connection, table: str, columns: str, rows: Any) -> int:
    """Bulk insert in chunks; returns the row count."""
    marks = ", ".join("?" * len(columns.split(",")))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    count = 0
    for batch in _chunks(iter(rows)):
        connection.executemany(sql, batch)
        count += len(batch)
    return count


class Nation:
    """Generates the national database with a fixed random seed."""

    def __init__(self, units: int, assignments_per_unit: int, reports_per_assignment: int):
        self.units = units
        self.per_unit = assignments_per_unit
        self.reports = reports_per_assignment
        self.random = random.Random(6)
        self.counts: dict[str, int] = {}

    def fill(self, connection: sqlite3.Connection) -> None:
        """Every table the digests and reminders read."""
        now = _stamp(DIGEST_NOW - timedelta(days=400))
        unit_rows, official_rows, account_rows = [], [], []
        province_of: dict[int, int] = {}
        focals: dict[int, list[int]] = {}
        unit_id = official_id = 0
        per_province = [
            self.units // PROVINCES + (p < self.units % PROVINCES) for p in range(PROVINCES)
        ]
        for province, size in enumerate(per_province):
            top = unit_id + 1
            for n in range(size):
                unit_id += 1
                kind = (
                    ["leadership", "standing"][n]
                    if n < 2
                    else ("department" if n < 32 else "commune")
                )
                name = (
                    f"Đơn vị {n:03d} tỉnh số {province:02d}"
                    if n >= 2
                    else f"UBND tỉnh số {province:02d}"
                )
                unit_rows.append(
                    (unit_id, f"P{province:02d}-U{n:03d}", name, kind, None if n == 0 else top)
                )
                province_of[unit_id] = province
                roles = ["head", "focal", "focal", "focal"]
                if n == 1:
                    roles += ["standing"] * STANDING_PER_PROVINCE
                if n == 0:
                    roles += ["leader"] * LEADERS_PER_PROVINCE
                for role in roles:
                    official_id += 1
                    locale = "en" if official_id % 10 == 0 else None
                    official_rows.append(
                        (official_id, f"Cán bộ {official_id}", "", role, unit_id, locale, 1)
                    )
                    unreachable = _stamp(DIGEST_NOW) if official_id % 50 == 0 else None
                    account_rows.append(
                        (
                            official_id,
                            "telegram",
                            str(10**9 + official_id),
                            str(10**9 + official_id),
                            official_id,
                            now,
                            unreachable,
                        )
                    )
                    if role == "focal":
                        focals.setdefault(unit_id, []).append(official_id)
        self.counts["unit"] = _insert(
            connection, "unit", "id, code, name, kind, parent_id", unit_rows
        )
        self.counts["official"] = _insert(
            connection, "official", "id, name, title, role, unit_id, locale, active", official_rows
        )
        self.counts["chataccount"] = _insert(
            connection,
            "chataccount",
            "id, channel, user_key, chat_key, official_id, bound_at, unreachable_at",
            account_rows,
        )
        plan_rows, group_rows, task_rows = [], [], []
        tasks_of: dict[int, list[int]] = {}
        group_id = task_id = 0
        for province in range(PROVINCES):
            plan_rows.append(
                (province + 1, f"KH-{province:02d}", f"Kế hoạch Đề án 06 tỉnh {province}")
            )
            first_group = group_id + 1
            for g in range(GROUPS_PER_PLAN):
                group_id += 1
                group_rows.append(
                    (group_id, province + 1, f"N{g + 1}", f"Nhóm nhiệm vụ số {g + 1}")
                )
            for n in range(TASKS_PER_PROVINCE):
                task_id += 1
                pilot = n < PILOT_MODELS_PER_PROVINCE
                group = first_group + (GROUPS_PER_PLAN - 1 if pilot else n % (GROUPS_PER_PLAN - 1))
                task_rows.append(
                    (
                        task_id,
                        group,
                        f"P{province:02d}-NV-{n:03d}",
                        f"Nhiệm vụ số {n} của kế hoạch triển khai Đề án 06 tỉnh {province}",
                        "pilot_model" if pilot else "task",
                        "Báo cáo kết quả",
                    )
                )
                tasks_of.setdefault(province, []).append(task_id)
        self.counts["plan"] = _insert(connection, "plan", "id, code, title", plan_rows)
        self.counts["taskgroup"] = _insert(
            connection, "taskgroup", "id, plan_id, code, title", group_rows
        )
        self.counts["task"] = _insert(
            connection, "task", "id, group_id, code, title, kind, deliverable", task_rows
        )
        self.counts["assignment"] = _insert(
            connection,
            "assignment",
            "id, task_id, unit_id, role, focal_official_id, deadline, original_deadline, status, "
            "progress, done_on, last_report_at",
            self._assignments(province_of, tasks_of, focals),
        )
        self.counts["progressreport"] = _insert(
            connection,
            "progressreport",
            "id, assignment_id, official_id, status, progress, done_text, difficulty, channel, "
            "created_at",
            self._reports(),
        )
        self.counts["blocker"] = _insert(
            connection,
            "blocker",
            "id, assignment_id, report_id, text, opened_at, resolved_at",
            self._blockers,
        )

    def _assignments(
        self,
        province_of: dict[int, int],
        tasks_of: dict[int, list[int]],
        focals: dict[int, list[int]],
    ) -> Iterator[tuple[Any, ...]]:
        rnd = self.random
        led: set[int] = set()
        self._plan: list[tuple[int, int, str]] = []  # (assignment, reporter, status)
        assignment_id = 0
        for unit_id, province in province_of.items():
            for task_id in rnd.sample(tasks_of[province], self.per_unit):
                assignment_id += 1
                deadline = TODAY + timedelta(days=rnd.randint(-120, 240))
                past = deadline < TODAY
                weights = (10, 30, 55, 5) if past else (40, 45, 10, 5)
                status = rnd.choices(("not_started", "in_progress", "done", "maintained"), weights)[
                    0
                ]
                progress = {"not_started": 0, "done": 100, "maintained": 100}.get(
                    status, rnd.randint(5, 95)
                )
                done_on = None
                if status == "done":
                    done_on = min(
                        TODAY, deadline + timedelta(days=rnd.randint(-20, 15))
                    ).isoformat()
                unit_focals = focals[unit_id]
                focal = rnd.choice(unit_focals) if rnd.random() < 0.8 else None
                role = "support" if task_id in led else "lead"
                led.add(task_id)
                self._plan.append((assignment_id, focal or unit_focals[0], status))
                yield (
                    assignment_id,
                    task_id,
                    unit_id,
                    role,
                    focal,
                    deadline.isoformat(),
                    deadline.isoformat(),
                    status,
                    progress,
                    done_on,
                    None,
                )

    def _reports(self) -> Iterator[tuple[Any, ...]]:
        rnd = self.random
        self._blockers: list[tuple[Any, ...]] = []
        report_id = 0
        window = (DIGEST_NOW - PERIOD_START).total_seconds()
        for assignment_id, reporter, status in self._plan:
            times = sorted(
                DIGEST_NOW - timedelta(days=2 + rnd.random() * 200) for _ in range(self.reports)
            )
            if rnd.random() < 0.35:  # about a third reported since the period began
                times[-1] = PERIOD_START + timedelta(seconds=rnd.random() * window)
            for at in times:
                report_id += 1
                difficulty = "Vướng mắc về kinh phí" if rnd.random() < 0.03 else None
                if difficulty:
                    resolved = _stamp(at + timedelta(days=5)) if rnd.random() < 0.7 else None
                    self._blockers.append(
                        (
                            len(self._blockers) + 1,
                            assignment_id,
                            report_id,
                            difficulty,
                            _stamp(at),
                            resolved,
                        )
                    )
                yield (
                    report_id,
                    assignment_id,
                    reporter,
                    status,
                    50,
                    "Đang triển khai",
                    difficulty,
                    "telegram",
                    _stamp(at),
                )


def generate(path: Path, units: int, per_unit: int, reports: int) -> dict[str, Any]:
    """Create the schema with Alembic, then fill it with sqlite3 bulk inserts."""
    from db.engine import Database
    from db.migrate import upgrade

    started = time.perf_counter()
    database = Database(f"sqlite+aiosqlite:///{path}")

    async def migrate() -> None:
        await upgrade(database)
        await database.dispose()

    asyncio.run(migrate())
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    nation = Nation(units, per_unit, reports)
    nation.fill(connection)
    # The denormalised last report instant, as reports.submit keeps it.
    connection.execute(
        "UPDATE assignment SET last_report_at = (SELECT max(created_at) FROM progressreport "
        "WHERE progressreport.assignment_id = assignment.id)"
    )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    return {"seconds": time.perf_counter() - started, "rows": nation.counts}


class Stopwatch:
    """Wall and CPU seconds of named steps (CPU counts every thread: the driver's too)."""

    def __init__(self) -> None:
        self.steps: dict[str, tuple[float, float]] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.steps[name] = (time.perf_counter() - wall, time.process_time() - cpu)


async def measure(path: Path) -> dict[str, Any]:
    """Time the digests and a reminder tick on an existing file; return the figures."""
    from sqlalchemy import event, select

    from bot.app import utc_now
    from bot.channels.limits import limits_of
    from bot.config import Settings
    from bot.services.dates.calendar import WorkCalendar
    from bot.services.digests.province import province_digest
    from bot.services.digests.units import unit_digests
    from db.engine import Database
    from db.models import Official, Role
    from scheduler.digest.chart import draw_status_chart
    from scheduler.digest.job import weekly_digests
    from scheduler.digest.province import render_province_digest
    from scheduler.digest.translators import translators
    from scheduler.digest.unit import render_unit_digest
    from scheduler.jobs import JobContext

    url = f"sqlite+aiosqlite:///{path}"
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    database = Database(url)
    clock = Stopwatch()
    figures: dict[str, Any] = {}
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    today, week_start = TODAY, TODAY - timedelta(days=7)
    async with database.read() as session:
        heads = (
            await session.execute(
                select(Official.unit_id, Official.locale).where(Official.role == Role.HEAD)
            )
        ).all()
        event.listen(database.engine.sync_engine, "before_cursor_execute", capture)
        with clock.step("unit_digests"):
            units = await unit_digests(session, today, week_start, zone=ZONE)
        with clock.step("province_digest"):
            province = await province_digest(session, today, week_start, zone=ZONE)
        event.remove(database.engine.sync_engine, "before_cursor_execute", capture)
    pick = translators(settings.locale, ZONE)
    telegram = limits_of("telegram")
    with clock.step("render 5,000 heads' texts" if len(heads) == 5000 else "render heads' texts"):
        texts = [
            render_unit_digest(units[unit_id], pick(locale), today, telegram.text)
            for unit_id, locale in heads
        ]
    figures["heads rendered"] = len(texts)
    figures["longest head text"] = max(map(len, texts), default=0)
    t = pick("vi")
    with clock.step("render province texts"):
        caption, details = render_province_digest(province, t, telegram)
    figures["province texts"] = [len(caption), len(details or "")]
    with clock.step("chart (first: imports matplotlib)"):
        draw_status_chart(province.figures, t)
    with clock.step("chart (again)"):
        png = draw_status_chart(province.figures, t)
    figures["chart bytes"] = len(png)
    figures["province"] = {
        "assignments": province.figures.assignments.total,
        "overdue": province.figures.assignments.overdue,
        "pilot models": province.figures.pilot_models.total,
        "ranked units": len(province.ranking),
        "units without report": len(province.unreported_units),
    }
    del units, texts, province  # the job below builds its own: measure its peak, not both
    context = JobContext(database, settings, WorkCalendar.from_settings(settings), utc_now)
    with clock.step("weekly_digests job"):
        figures["job queued"] = await weekly_digests(context, DIGEST_NOW)
    with clock.step("same job again (dedupe)"):
        figures["job again queued"] = await weekly_digests(context, DIGEST_NOW)
    figures["(b) reminders"] = await _reminder_tick(database, settings, clock)
    figures["peak RSS MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["steps"] = clock.steps
    await database.dispose()
    figures["plans"] = _query_plans(path, statements)
    return figures


async def _reminder_tick(database: Any, settings: Any, clock: Stopwatch) -> dict[str, Any]:
    """HOOK: bot.services.reminders.plan_reminders, timed when the module exists."""
    try:
        reminders = importlib.import_module("bot.services.reminders")
    except ModuleNotFoundError:
        return {"skipped": "bot.services.reminders does not exist yet"}
    plan = getattr(reminders, "plan_reminders", None)
    if plan is None:
        return {"skipped": "bot.services.reminders has no plan_reminders"}
    from bot.services.dates.calendar import WorkCalendar

    calendar = WorkCalendar.from_settings(settings)
    with clock.step("(b) plan_reminders tick"):
        async with database.read() as session:
            result = plan(session, REMINDER_NOW, settings, calendar)
            if inspect.isawaitable(result):
                result = await result
    planned = len(result) if isinstance(result, Sequence) else result
    return {"planned": planned, "at": REMINDER_NOW.astimezone(ZONE).isoformat()}


def _query_plans(path: Path, statements: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN QUERY PLAN of each captured statement, with the parameters it ran with."""
    connection = sqlite3.connect(path)
    plans = []
    for statement, parameters in statements:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
        plans.append({"sql": " ".join(statement.split())[:160], "plan": [r[3] for r in rows]})
    connection.close()
    return plans


def _report(generation: dict[str, Any] | None, figures: dict[str, Any], command: str) -> None:
    load = os.getloadavg()
    print(f"command: {command}")
    print(
        f"python {platform.python_version()} · sqlite {sqlite3.sqlite_version} · "
        f"{os.cpu_count()} CPU · load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    if generation:
        rows = ", ".join(f"{table} {count:,}" for table, count in generation["rows"].items())
        print(f"generated in {generation['seconds']:.1f} s (not measured): {rows}")
    steps = figures["steps"]
    print(f"{'step':<36} {'wall s':>7} {'CPU s':>7}")
    digest_steps = [
        name for name in steps if not name.startswith(("(b)", "weekly", "same", "chart (again"))
    ]
    for name in digest_steps:
        print(f"  {name:<34} {steps[name][0]:7.2f} {steps[name][1]:7.2f}")
    wall = sum(steps[n][0] for n in digest_steps)
    cpu = sum(steps[n][1] for n in digest_steps)
    print(f"(a) digests, all of the above       {wall:7.2f} {cpu:7.2f}")
    for name in ("chart (again)", "weekly_digests job", "same job again (dedupe)"):
        print(f"  {name:<34} {steps[name][0]:7.2f} {steps[name][1]:7.2f}")
    reminders = figures["(b) reminders"]
    if "skipped" in reminders:
        print(f"(b) reminder tick: skipped ({reminders['skipped']})")
    else:
        wall, cpu = steps["(b) plan_reminders tick"]
        print(f"(b) plan_reminders tick             {wall:7.2f} {cpu:7.2f}")
        print(f"    planned {reminders['planned']:,} reminders at {reminders['at']}")
    print(f"peak RSS of the measuring process: {figures['peak RSS MiB']:.0f} MiB")
    print(
        f"heads' texts: {figures['heads rendered']:,}, longest {figures['longest head text']:,} "
        f"chars; province caption/text {figures['province texts']} chars; "
        f"chart {figures['chart bytes']:,} bytes"
    )
    print(
        f"queued by the job: {figures['job queued']:,}; by the same job again: "
        f"{figures['job again queued']:,}"
    )
    print(f"province: {json.dumps(figures['province'], ensure_ascii=False)}")
    print("query plans of the digest statements (EXPLAIN QUERY PLAN):")
    for n, entry in enumerate(figures["plans"], start=1):
        print(f"  [{n}] {entry['sql']}")
        for line in entry["plan"]:
            print(f"        {line}")


def main() -> int:
    """Generate (unless --db names an existing file), measure in a child, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=5_000)
    parser.add_argument("--assignments-per-unit", type=int, default=100)
    parser.add_argument("--reports-per-assignment", type=int, default=4)
    parser.add_argument("--db", type=Path, help="reuse (or keep) this SQLite file")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure(args.measure))))
        return 0
    command = " ".join([".venv/bin/python -m tests.bench.bench_scale", *sys.argv[1:]])
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "scale.db"
        generation = None
        if not path.exists():
            generation = generate(
                path, args.units, args.assignments_per_unit, args.reports_per_assignment
            )
        elif args.db:
            # A reused file keeps last run's digests in the outbox: clear them to measure again.
            with sqlite3.connect(path) as connection:
                connection.execute("DELETE FROM outboxmessage WHERE dedupe_key LIKE 'digest:%'")
        child = subprocess.run(
            [sys.executable, "-m", "tests.bench.bench_scale", "--measure", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(child.stdout, child.stderr, sep="\n", file=sys.stderr)
            return 1
        _report(generation, json.loads(child.stdout.splitlines()[-1]), command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
