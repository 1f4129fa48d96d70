"""Load benchmark: N officers file a /baocao report at the same time, against a bare PTB echo bot.

Run from the project root::

    .venv/bin/python -m tests.bench.bench_report --officers 50 500

For every N two scenarios run, each in a fresh child process (so peak RSS is per scenario):

* ``roviec``: the real application (bot.app.open_app + serve) on a fresh SQLite file,
  talking HTTP to tests.fakes.FakeTelegram on loopback. N focal officers in units of at most
  three, three open assignments per unit; everyone registers with a real ``/start <code>``
  before timing starts. Timed: all N walk through the whole report conversation at once
  (/baocao → pick → status → 75 → done text → Skip → Skip → Skip → Confirm), each step waiting
  for the bot's reply. Afterwards N ProgressReport rows must exist, or the run counts as failed.
* ``baseline``: python-telegram-bot's own Updater + Application with concurrent_updates(True)
  and two handlers that answer at once (echo text with one button; answer + edit for a press),
  against a fresh FakeTelegram, with N people doing the same 9 sends/presses in the same order.

Latency of a step is from the moment the person's update is queued on the fake server to the
moment the bot's reply (sendMessage or editMessageText) is recorded by the fake server.
See tests/bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.bench.children import command_line
from tests.bench.children import run_child as run_child_process

ROOT = Path(__file__).resolve().parents[2]
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TOKEN = "123456:BENCH-TOKEN"
PER_UNIT = 3  # officers (and open assignments) per unit
FIRST_USER_ID = 700_000
DONE_TEXT = "Đã triển khai tại 12/15 cơ sở khám chữa bệnh; còn 3 cơ sở đang lắp đầu đọc."

# The report conversation, step by step: (what the person does, short name for the breakdown).
STEPS: tuple[tuple[str, str], ...] = (
    ("send", "/baocao"),
    ("press", "pick task"),
    ("press", "status"),
    ("send", "75"),
    ("send", "done text"),
    ("press", "skip difficulty"),
    ("press", "skip proposal"),
    ("press", "skip evidence"),
    ("press", "confirm"),
)
UPDATES_PER_PERSON = len(STEPS)


# --- measuring ------------------------------------------------------------------------------


class Arrivals:
    """When each bot message (send or edit) reached the fake server, per person."""

    def __init__(self, person: Any) -> None:
        self.times: list[float] = []
        sent, edited = person.record_sent, person.record_edit

        def record_sent(message: Any) -> None:
            self.times.append(time.perf_counter())
            sent(message)

        def record_edit(message: Any) -> None:
            self.times.append(time.perf_counter())
            edited(message)

        # The server calls these through the instance, so wrapping them here is enough.
        person.record_sent = record_sent
        person.record_edit = record_edit


async def step(
    person: Any, arrivals: Any, action: Callable[[], Awaitable[Any]], timeout: float
) -> tuple[Any, float]:
    """Do one action and wait for the bot's next send/edit; (reply, latency in seconds)."""
    person.mark()
    seen = len(arrivals.times)
    started = time.perf_counter()
    await action()
    replies = await person.wait_for_new(1, timeout=timeout)
    return replies[0], arrivals.times[seen] - started


def button(message: Any, row: int, action: str) -> Any:
    """The first button of ``row``, checked to be the expected kind (payload flow:ver:action)."""
    rows = message.buttons
    if row >= len(rows) or not rows[row]:
        raise AssertionError(f"expected a {action!r} button in row {row}: {message.describe()}")
    found = rows[row][0]
    parts = (found.callback_data or "").split(":")
    if len(parts) < 3 or parts[2] != action:
        raise AssertionError(f"row {row} is not a {action!r} button: {message.describe()}")
    return found


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (values need not be sorted)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class LogCounter(logging.Handler):
    """Counts warnings and errors logged by the bot and keeps the first few."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.first) < 5:
            self.first.append(f"{record.levelname} {record.name}: {record.getMessage()[:300]}")


@dataclass
class Timed:
    """What the timed phase measured."""

    wall: float
    cpu: float
    latencies: list[list[float]]  # per step
    failures: list[str]
    traced_peak_mib: float | None
    requests: dict[str, int]


async def timed_phase(
    telegram: Any,
    conversations: list[Callable[[], Awaitable[list[float]]]],
    *,
    trace: bool,
    profile: str | None,
) -> Timed:
    """Run every conversation at once; collect latencies by step and the failures."""
    methods = ("getUpdates", "sendMessage", "editMessageText", "answerCallbackQuery")
    before = {m: len(telegram.requests(m)) for m in methods}
    gc.collect()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    if trace:
        tracemalloc.start()
    if profiler:
        profiler.enable()
    cpu0, started = cpu_seconds(), time.perf_counter()
    results = await asyncio.gather(*(c() for c in conversations), return_exceptions=True)
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu0
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)  # type: ignore[arg-type]
    traced = None
    if trace:
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    latencies: list[list[float]] = [[] for _ in STEPS]
    failures = []
    for result in results:
        if isinstance(result, BaseException):
            failures.append(f"{type(result).__name__}: {str(result)[:400]}")
            continue
        for index, value in enumerate(result):
            latencies[index].append(value)
    requests = {m: len(telegram.requests(m)) - before[m] for m in methods}
    return Timed(wall, cpu, latencies, failures, traced, requests)


def summary(kind: str, n: int, timed: Timed, extra: dict[str, Any]) -> dict[str, Any]:
    """The JSON a child process hands back to the parent."""
    every = [v for step_values in timed.latencies for v in step_values]
    completed = len(timed.latencies[-1])
    return {
        "kind": kind,
        "officers": n,
        "completed": completed,
        "updates": len(every),
        "wall_s": timed.wall,
        "cpu_s": timed.cpu,
        "updates_per_s": len(every) / timed.wall if timed.wall else 0.0,
        "p50_ms": percentile(every, 0.50) * 1000,
        "p95_ms": percentile(every, 0.95) * 1000,
        "max_ms": max(every, default=float("nan")) * 1000,
        "steps": [
            {
                "name": name,
                "p50_ms": percentile(values, 0.50) * 1000,
                "p95_ms": percentile(values, 0.95) * 1000,
            }
            for (_, name), values in zip(STEPS, timed.latencies, strict=True)
        ],
        "peak_rss_mib": peak_rss_mib(),
        "traced_peak_mib": timed.traced_peak_mib,
        "requests": timed.requests,
        "failures": len(timed.failures),
        "failure_samples": timed.failures[:5],
        **extra,
    }


# --- roviec ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Officer:
    """One focal officer of the benchmark province and which of the unit's tasks they report."""

    official_id: int
    name: str
    slot: int  # row of the /baocao list to pick (0..PER_UNIT-1): officers of a unit differ


async def build_bench_province(session: Any, now: datetime, n: int) -> list[Officer]:
    """A province with n focal officers, PER_UNIT per unit, and PER_UNIT open tasks per unit."""
    from bot.services.people import directory
    from db.models import Assignment, Plan, Task, TaskGroup

    await directory.add_unit(
        session, code="UBND", name="UBND tỉnh", kind="leadership", parent_code=None, now=now
    )
    plan = Plan(code="KH-BENCH", title="Kế hoạch triển khai Đề án 06 (benchmark)")
    session.add(plan)
    await session.flush()
    group = TaskGroup(plan_id=plan.id or 0, code="N1", title="Dịch vụ công trực tuyến")
    session.add(group)
    await session.flush()
    today = now.astimezone(ZONE).date()
    officers: list[Officer] = []
    units = (n + PER_UNIT - 1) // PER_UNIT
    for u in range(units):
        code = f"S{u + 1:04d}"
        unit = await directory.add_unit(
            session,
            code=code,
            name=f"Sở thử nghiệm {u + 1}",
            kind="department",
            parent_code="UBND",
            now=now,
        )
        for slot in range(PER_UNIT):
            task = Task(
                group_id=group.id or 0,
                code=f"NV-{u + 1:04d}-{slot + 1}",
                title=f"Nhiệm vụ {slot + 1} của sở {u + 1}: thanh toán không dùng tiền mặt",
                deliverable="Báo cáo kết quả triển khai",
            )
            session.add(task)
            await session.flush()
            deadline = today + timedelta(days=10 * (slot + 1) - 5)  # one overdue, two upcoming
            session.add(
                Assignment(
                    task_id=task.id or 0,
                    unit_id=unit.id or 0,
                    deadline=deadline,
                    original_deadline=deadline,
                )
            )
        for slot in range(PER_UNIT):
            if len(officers) == n:
                break
            name = f"Cán bộ Số {len(officers) + 1}"
            official = await directory.add_official(
                session, name=name, role="focal", unit_code=code, title="Chuyên viên", now=now
            )
            officers.append(Officer(official.id or 0, name, slot))
    await session.flush()
    return officers


async def report_conversation(person: Any, officer: Officer, timeout: float) -> list[float]:
    """The whole /baocao flow for one officer; the reply latency of each step."""
    arrivals: Arrivals = person.bench_arrivals
    latencies: list[float] = []

    async def do(action: Callable[[], Awaitable[Any]]) -> Any:
        reply, latency = await step(person, arrivals, action, timeout)
        latencies.append(latency)
        return reply

    def press(message: Any, pressed: Any) -> Callable[[], Awaitable[Any]]:
        return lambda: person.press_data(pressed.callback_data, message.message_id)

    listing = await do(lambda: person.send("/baocao"))
    card = await do(press(listing, button(listing, officer.slot, "pick")))
    asked = await do(press(card, button(card, 0, "st")))  # first status: in progress
    if asked.buttons:
        raise AssertionError(f"expected the progress question, got {asked.describe()}")
    await do(lambda: person.send("75"))
    difficulty = await do(lambda: person.send(DONE_TEXT))
    proposal = await do(press(difficulty, button(difficulty, 0, "skip")))
    evidence = await do(press(proposal, button(proposal, 0, "skip")))
    review = await do(press(evidence, button(evidence, 0, "skip")))
    recorded = await do(press(review, button(review, 0, "ok")))
    if recorded.buttons or "75" not in (recorded.text or ""):
        raise AssertionError(f"expected the 'recorded' reply, got {recorded.describe()}")
    return latencies


async def reports_filed(app: Any) -> tuple[int, int]:
    """ProgressReport rows, and distinct assignments reported at 75 % "in progress"."""
    from sqlalchemy import func, select

    from db.models import ProgressReport

    async with app.db.transaction() as session:
        reports = int(await session.scalar(select(func.count()).select_from(ProgressReport)) or 0)
        matching = int(
            await session.scalar(
                select(func.count(func.distinct(ProgressReport.assignment_id))).where(
                    ProgressReport.progress == 75,
                    ProgressReport.status == "in_progress",
                )
            )
            or 0
        )
    return reports, matching


async def run_roviec(n: int, timeout: float, trace: bool, profile: str | None) -> dict[str, Any]:
    """Set up roviec with n registered officers, time everyone reporting at once."""
    from sqlalchemy import func, select

    from bot.app import open_app, serve
    from bot.config import Settings
    from bot.services.people import accounts
    from db.models import ChatAccount
    from tests.fakes.telegram_api import FakeTelegram

    with tempfile.TemporaryDirectory(prefix="roviec-bench-") as tmp:
        telegram = FakeTelegram()
        await telegram.start()
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            database_url=f"sqlite+aiosqlite:///{tmp}/roviec.db",
            telegram_token=TOKEN,  # type: ignore[arg-type]
            telegram_api_url=telegram.base_url,
            telegram_file_url=telegram.base_file_url,
            poll_timeout_seconds=1,
        )
        app = await open_app(settings)
        async with app.db.transaction() as session:
            officers = await build_bench_province(session, app.clock(), n)
        async with app.db.transaction() as session:
            codes = [
                await accounts.issue_invitation(
                    session, o.official_id, app.clock(), timedelta(hours=72)
                )
                for o in officers
            ]
        stop = asyncio.Event()
        serving = asyncio.create_task(serve(app, stop))
        try:
            await telegram.wait_until(lambda: bool(telegram.requests("getUpdates")), timeout=30)
            people = []
            for index in range(len(officers)):
                person = telegram.person(FIRST_USER_ID + index, f"Officer{index}")
                person.bench_arrivals = Arrivals(person)
                people.append(person)

            async def register(person: Any, officer: Officer, code: str) -> None:
                reply, _ = await step(
                    person, person.bench_arrivals, lambda: person.send(f"/start {code}"), timeout
                )
                if officer.name not in (reply.text or ""):
                    raise AssertionError(f"registration failed: {reply.describe()}")

            setup_started = time.perf_counter()
            await asyncio.gather(
                *(register(p, o, c) for p, o, c in zip(people, officers, codes, strict=True))
            )
            setup_s = time.perf_counter() - setup_started
            async with app.db.transaction() as session:
                bound = await session.scalar(select(func.count()).select_from(ChatAccount))
            if bound != n:
                raise AssertionError(f"{bound} chat accounts registered, expected {n}")

            timed = await timed_phase(
                telegram,
                [
                    (lambda p=p, o=o: report_conversation(p, o, timeout))
                    for p, o in zip(people, officers, strict=True)
                ],
                trace=trace,
                profile=profile,
            )
            reports, matching = await reports_filed(app)
        finally:
            stop.set()
            await asyncio.wait_for(serving, timeout=60)
            await app.db.dispose()
            await telegram.stop()
    if reports != n or matching != n:
        timed.failures.append(
            f"database check: {reports} ProgressReport rows ({matching} distinct assignments at "
            f"75% in progress), expected {n}"
        )
    return summary(
        "roviec",
        n,
        timed,
        {"progress_reports": reports, "registration_s": setup_s, "workers": settings.workers},
    )


# --- baseline: a bare python-telegram-bot echo bot --------------------------------------------


async def echo_conversation(person: Any, timeout: float) -> list[float]:
    """Same sequence of sends and presses as a report; every reply is an echo or an edit."""
    arrivals: Arrivals = person.bench_arrivals
    latencies: list[float] = []
    texts = iter(["/baocao", "75", DONE_TEXT])
    latest = None
    for kind, _ in STEPS:
        if kind == "send":
            text = next(texts)
            action: Callable[[], Awaitable[Any]] = lambda text=text: person.send(text)  # noqa: E731
        else:
            assert latest is not None and latest.buttons, "nothing to press"
            message, pressed = latest, latest.buttons[0][0]
            action = lambda m=message, b=pressed: person.press_data(  # noqa: E731
                b.callback_data, m.message_id
            )
        latest, latency = await step(person, arrivals, action, timeout)
        latencies.append(latency)
    return latencies


async def run_baseline(n: int, timeout: float, trace: bool, profile: str | None) -> dict[str, Any]:
    """PTB's Updater + Application answering at once, same traffic shape as roviec."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import (
        Application,
        CallbackQueryHandler,
        ContextTypes,
        MessageHandler,
        filters,
    )

    from tests.fakes.telegram_api import FakeTelegram

    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Tiếp tục", callback_data="e:1:next")]])

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "?", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Đã nhận {query.id}", reply_markup=keyboard)

    telegram = FakeTelegram(bot_username="echo_bot")
    await telegram.start()
    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(telegram.base_url)
        .base_file_url(telegram.base_file_url)
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    try:
        async with application:
            await application.updater.start_polling(poll_interval=0, timeout=1)  # type: ignore[union-attr]
            await application.start()
            try:
                people = []
                for index in range(n):
                    person = telegram.person(FIRST_USER_ID + index, f"Officer{index}")
                    person.bench_arrivals = Arrivals(person)
                    people.append(person)
                started = time.perf_counter()
                await asyncio.gather(  # warm-up, like roviec's registration: one message each
                    *(
                        step(p, p.bench_arrivals, lambda p=p: p.send("/start"), timeout)
                        for p in people
                    )
                )
                setup_s = time.perf_counter() - started
                timed = await timed_phase(
                    telegram,
                    [(lambda p=p: echo_conversation(p, timeout)) for p in people],
                    trace=trace,
                    profile=profile,
                )
            finally:
                await application.updater.stop()  # type: ignore[union-attr]
                await application.stop()
    finally:
        await telegram.stop()
    return summary("baseline", n, timed, {"registration_s": setup_s})


# --- parent: run the children, print the table ------------------------------------------------


def child_main(
    kind: str, n: int, timeout: float, trace: bool, profile: str | None, out: str
) -> int:
    """Run one scenario in this (fresh) process and write its JSON summary to ``out``."""
    counter = LogCounter()
    logging.basicConfig(level=logging.WARNING, handlers=[counter])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    runner = run_roviec if kind == "roviec" else run_baseline
    result = asyncio.run(runner(n, timeout, trace, profile))
    result["log_warnings"] = counter.count
    result["log_samples"] = counter.first
    Path(out).write_text(json.dumps(result))
    return 0


def run_child(kind: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """Start a fresh interpreter for one scenario; its summary or an error description."""
    arguments = ["--child", kind, "--officers", str(n), "--timeout", str(args.timeout)]
    if args.tracemalloc:
        arguments.append("--tracemalloc")
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        arguments += ["--profile", str(Path(args.profile) / f"{kind}-{n}.prof")]
    label = {"kind": kind, "officers": n}
    return run_child_process("tests.bench.bench_report", label, arguments, args.child_timeout)


def machine() -> str:
    """One line about the machine and the software versions."""
    import aiosqlite
    import sqlalchemy
    import telegram

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"Python {platform.python_version()}, python-telegram-bot {telegram.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}, aiosqlite {aiosqlite.__version__}, "
        f"SQLite {__import__('sqlite3').sqlite_version}; {platform.system()} "
        f"{platform.release()}, nproc {os.cpu_count()} ({cpu}); temp dir {tempfile.gettempdir()}"
    )


def load_average() -> str:
    """The 1-minute load average (other processes on the machine skew every figure)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def fmt(value: float | None, digits: int = 0) -> str:
    """A number for the table ('-' when missing)."""
    if value is None or value != value:  # None or NaN
        return "-"
    return f"{value:,.{digits}f}"


def table(
    results: list[dict[str, Any]], command: str, tracemalloc_on: bool, load_before: str
) -> str:
    """The printed report."""
    workers = next((r["workers"] for r in results if "workers" in r), "?")
    lines = [
        f"$ {command}",
        machine(),
        f"Load average (1 min) before / after: {load_before} / {load_average()}. roviec: default "
        f"Settings (workers={workers}), SQLite file, WAL + synchronous=FULL, poll timeout 1 s.",
        f"Each officer sends {UPDATES_PER_PERSON} updates (3 messages, 6 button presses); "
        "latency = update queued on the fake server -> bot's reply recorded there.",
        "",
    ]
    header = (
        f"{'N':>5}  {'bot':<9} {'ok':>9} {'updates':>7} {'wall s':>7} {'upd/s':>7} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU s':>6} {'RSS MiB':>8}"
    )
    if tracemalloc_on:
        header += f" {'traced MiB':>10}"
    lines += [header, "-" * len(header)]
    by_n: dict[int, dict[str, dict[str, Any]]] = {}
    for r in results:
        by_n.setdefault(r["officers"], {})[r["kind"]] = r
    for n, kinds in by_n.items():
        for kind in ("roviec", "baseline"):
            r = kinds.get(kind)
            if r is None:
                continue
            if "error" in r:
                lines.append(f"{n:>5}  {kind:<9} FAILED: {r['error'].splitlines()[0]}")
                continue
            ok = f"{r['completed']}/{n}"
            if kind == "roviec":
                ok += "*" if r["progress_reports"] == n else "!"
            row = (
                f"{n:>5}  {kind:<9} {ok:>9} {r['updates']:>7} {fmt(r['wall_s'], 2):>7} "
                f"{fmt(r['updates_per_s'], 0):>7} {fmt(r['p50_ms'], 1):>8} "
                f"{fmt(r['p95_ms'], 1):>8} {fmt(r['max_ms'], 1):>8} {fmt(r['cpu_s'], 1):>6} "
                f"{fmt(r['peak_rss_mib'], 0):>8}"
            )
            if tracemalloc_on:
                row += f" {fmt(r.get('traced_peak_mib'), 1):>10}"
            lines.append(row)
        ro, base = kinds.get("roviec"), kinds.get("baseline")
        if ro and base and "error" not in ro and "error" not in base:
            lines.append(
                f"{n:>5}  roviec/baseline: throughput "
                f"x{ro['updates_per_s'] / base['updates_per_s']:.3f}"
                f", p50 latency x{ro['p50_ms'] / base['p50_ms']:.1f}"
                f", p95 latency x{ro['p95_ms'] / base['p95_ms']:.1f}"
            )
        lines.append("")
    lines.append(
        "* = N ProgressReport rows verified in the database (! = mismatch: run is invalid)"
    )
    lines.append("")
    lines.append("roviec latency by step (p50 / p95 ms):")
    for n, kinds in by_n.items():
        r = kinds.get("roviec")
        if not r or "error" in r:
            continue
        parts = [f"{s['name']} {fmt(s['p50_ms'])}/{fmt(s['p95_ms'])}" for s in r["steps"]]
        lines.append(f"  N={n}: " + ", ".join(parts))
    lines.append("")
    lines.append("HTTP calls to the fake Bot API during the timed phase:")
    for n, kinds in by_n.items():
        for kind in ("roviec", "baseline"):
            r = kinds.get(kind)
            if r and "error" not in r:
                calls = ", ".join(f"{k} {v}" for k, v in r["requests"].items())
                lines.append(
                    f"  N={n} {kind}: {calls}; setup (registration / warm-up) "
                    f"{r['registration_s']:.1f} s; child process {r.get('process_s', 0):.0f} s"
                )
    problems = [
        (r["officers"], r["kind"], r)
        for r in results
        if "error" not in r and (r["failures"] or r["log_warnings"])
    ]
    if problems:
        lines.append("")
        lines.append("Problems:")
        for n, kind, r in problems:
            lines.append(
                f"  N={n} {kind}: {r['failures']} failed conversation(s), "
                f"{r['log_warnings']} warning/error log record(s)"
            )
            lines += [f"    {s}" for s in r["failure_samples"] + r["log_samples"]]
    for r in results:
        if "error" in r:
            lines += ["", f"N={r['officers']} {r['kind']} failed:", r["error"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run as parent (all scenarios) or as one child scenario."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officers", type=int, nargs="+", default=[50, 500])
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for each reply (default 120)"
    )
    parser.add_argument(
        "--child-timeout",
        type=float,
        default=900.0,
        help="seconds before a scenario's process is killed (default 900)",
    )
    parser.add_argument(
        "--only", choices=["roviec", "baseline"], help="run one of the two bots only"
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also report tracemalloc's peak during the timed phase (slower)",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="write a cProfile of each timed phase to DIR/<bot>-<N>.prof",
    )
    parser.add_argument("--child", choices=["roviec", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(
            args.child, args.officers[0], args.timeout, args.tracemalloc, args.profile, args.result
        )
    command = command_line("tests.bench.bench_report", argv)
    kinds = [args.only] if args.only else ["roviec", "baseline"]
    load_before = load_average()
    results = []
    for n in args.officers:
        for kind in kinds:
            print(f"... N={n} {kind}", file=sys.stderr, flush=True)
            results.append(run_child(kind, n, args))
    print(table(results, command, args.tracemalloc, load_before))
    bad = any("error" in r or r["failures"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
