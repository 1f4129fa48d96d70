"""Dashboard benchmark: the pages' times over real HTTP on the national-size database.

Run from the project root::

    .venv/bin/python -m tests.bench.bench_dashboard [--db tmp/bench.db] [--runs 5]

The database is the one of `tests.bench.bench_scale` (5,000 units, 500,000 assignments,
2,000,000 reports), generated first unless `--db` names an existing file (it is then
migrated to the newest schema). The real web server (`bot.web.WebServer` with the dashboard
routes) listens on loopback in this process; a standing officer and a head sign in with
one-time links; each page is fetched `--runs` times with httpx, after one warm-up fetch,
as of Monday 16/11/2026 09:00 in Hà Nội. Targets (issue 12): a unit's pages under 300 ms,
the province page under 2 s. See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.bench.bench_scale import REMINDER_NOW, generate

TARGETS = {"unit": 0.300, "province": 2.0}


async def _sign_in(database: Any, role: str, now: Any) -> tuple[str, int, int]:
    """A session cookie for the first active official of a role; their id and unit."""
    from sqlalchemy import select

    from bot.services.signin import Started, issue_link, redeem_link
    from db.models import Official

    async with database.transaction() as session:
        official = await session.scalar(
            select(Official).where(Official.role == role, Official.active).order_by(Official.id)
        )
        assert official is not None
        token = await issue_link(session, official.id, now, timedelta(hours=10))
        started = await redeem_link(session, token, now, timedelta(hours=10))
        assert isinstance(started, Started)
        return started.token, official.id, official.unit_id


async def _busiest_assignment(database: Any, unit_id: int) -> int:
    """The unit's assignment with the most progress reports."""
    from sqlalchemy import func, select

    from db.models import Assignment, ProgressReport

    async with database.read() as session:
        found = await session.scalar(
            select(Assignment.id)
            .join(ProgressReport, ProgressReport.assignment_id == Assignment.id)
            .where(Assignment.unit_id == unit_id)
            .group_by(Assignment.id)
            .order_by(func.count().desc())
            .limit(1)
        )
        assert found is not None
        return int(found)


def _national_directive(path: Path) -> int:
    """A directive to every head and focal officer of the country (20,000 receipts in 5,000
    units; delivered to all, acknowledged by half, answered by every third unit), added once;
    its id."""
    db = sqlite3.connect(path)
    try:
        found = db.execute("SELECT id FROM directive WHERE code = 'CĐ-2026-999'").fetchone()
        if found:
            return int(found[0])
        sent = REMINDER_NOW - timedelta(days=3)
        moment = sent.replace(tzinfo=None).isoformat(sep=" ")
        (sender,) = db.execute(
            "SELECT id FROM official WHERE role = 'standing' ORDER BY id LIMIT 1"
        ).fetchone()
        directive = db.execute(
            "INSERT INTO directive (code, year, number, sender_id, text, target_kind, "
            "created_at) VALUES ('CĐ-2026-999', 2026, 999, ?, ?, 'all', ?)",
            (sender, "Rà soát, làm sạch dữ liệu dân cư; báo cáo kết quả trước 30/11/2026.", moment),
        ).lastrowid
        officials = db.execute(
            "SELECT id, unit_id FROM official WHERE role IN ('head', 'focal') ORDER BY id"
        ).fetchall()
        db.executemany(
            "INSERT INTO directivereceipt (directive_id, official_id, unit_id, delivered_at, "
            "acknowledged_at) VALUES (?, ?, ?, ?, ?)",
            [(directive, o, u, moment, moment if o % 2 else None) for o, u in officials],
        )
        receipts = db.execute(
            "SELECT min(id), min(official_id), unit_id FROM directivereceipt "
            "WHERE directive_id = ? GROUP BY unit_id",
            (directive,),
        ).fetchall()
        db.executemany(
            "INSERT INTO directivereply (directive_id, receipt_id, official_id, unit_id, text, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (directive, r, o, u, "Đơn vị đã rà soát, làm sạch 1.240 hồ sơ.", moment)
                for r, o, u in receipts
                if u % 3 == 0
            ],
        )
        db.commit()
        return int(directive or 0)
    finally:
        db.close()


async def measure(path: Path, runs: int) -> list[dict[str, Any]]:
    """Serve the dashboard on `path` and time every page; one row per page."""
    import httpx

    from bot.config import Settings
    from bot.web import WebServer
    from bot.web.dashboard import dashboard_routes
    from db.engine import Database
    from db.migrate import upgrade
    from tests.harness import free_port

    port = free_port()
    url = f"sqlite+aiosqlite:///{path}"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        public_url=f"http://127.0.0.1:{port}",
        listen=f"127.0.0.1:{port}",
    )
    database = Database(url)
    await upgrade(database)
    directive = _national_directive(path)
    standing, _, _ = await _sign_in(database, "standing", REMINDER_NOW)
    head, _, unit_id = await _sign_in(database, "head", REMINDER_NOW)
    assignment = await _busiest_assignment(database, unit_id)
    server = WebServer(
        [dashboard_routes(database, settings, lambda: REMINDER_NOW)], *settings.listen_address
    )
    stop = asyncio.Event()
    serving = asyncio.create_task(server.serve(stop))
    pages = [
        ("province", "province", standing, "/web/province"),
        ("units table", "province", standing, "/web/units"),
        (
            "units, overdue by most",
            "province",
            standing,
            "/web/units?timing=overdue&sort=overdue&dir=desc",
        ),
        ("directives", "province", standing, "/web/directives"),
        ("a directive to 5,000 units", "province", standing, f"/web/directives/{directive}"),
        ("the directive (head)", "unit", head, f"/web/directives/{directive}"),
        ("a unit (head)", "unit", head, f"/web/units/{unit_id}"),
        ("an assignment (head)", "unit", head, f"/web/assignments/{assignment}"),
    ]
    rows = []
    try:
        async with httpx.AsyncClient(base_url=settings.public_url or "", timeout=120) as http:
            for name, kind, cookie, path_ in pages:
                http.cookies.set("roviec_session", cookie, path="/web")
                started, cpu = time.perf_counter(), time.process_time()
                warm = await http.get(path_)
                cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
                assert warm.status_code == 200, (path_, warm.status_code, warm.text[:300])
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    response = await http.get(path_)
                    times.append(time.perf_counter() - started)
                    assert response.status_code == 200
                rows.append(
                    {
                        "page": name,
                        "path": path_,
                        "target": TARGETS[kind],
                        "cold": cold,
                        "cold_cpu": cold_cpu,
                        "median": statistics.median(times),
                        "max": max(times),
                        "bytes": len(response.content),
                    }
                )
                http.cookies.clear()
    finally:
        stop.set()
        await serving
        await database.dispose()
    return rows


async def measure_warmed(path: Path, pause: float) -> float:
    """A fresh server: open a standing officer's link, wait `pause` seconds as a person reads
    the page, press the button; how long until the province page has arrived."""
    import httpx
    from sqlalchemy import select

    from bot.config import Settings
    from bot.services.signin import issue_link
    from bot.web import WebServer
    from bot.web.dashboard import dashboard_routes
    from db.engine import Database
    from db.models import Official
    from tests.harness import free_port

    port = free_port()
    url = f"sqlite+aiosqlite:///{path}"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=url,
        public_url=f"http://127.0.0.1:{port}",
        listen=f"127.0.0.1:{port}",
    )
    database = Database(url)
    async with database.transaction() as session:
        official = await session.scalar(
            select(Official).where(Official.role == "standing").order_by(Official.id.desc())
        )
        assert official is not None
        token = await issue_link(session, official.id, REMINDER_NOW, timedelta(hours=10))
    server = WebServer(
        [dashboard_routes(database, settings, lambda: REMINDER_NOW)], *settings.listen_address
    )
    stop = asyncio.Event()
    serving = asyncio.create_task(server.serve(stop))
    try:
        async with httpx.AsyncClient(base_url=settings.public_url or "", timeout=120) as http:
            assert (await http.get(f"/web/signin/{token}")).status_code == 200
            await asyncio.sleep(pause)
            started = time.perf_counter()
            page = await http.post(f"/web/signin/{token}", follow_redirects=True)
            waited = time.perf_counter() - started
            assert page.status_code == 200 and page.url.path == "/web/province"
    finally:
        stop.set()
        await serving
        await database.dispose()
    return waited


def _report(rows: list[dict[str, Any]], runs: int, command: str, generated: Any) -> int:
    load = os.getloadavg()
    print(f"command: {command}")
    print(
        f"python {platform.python_version()} · sqlite {sqlite3.sqlite_version} · "
        f"{os.cpu_count()} CPU · load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    if generated:
        print(f"database generated in {generated['seconds']:.1f} s (not measured)")
    print(
        f"{'page':<24} {'first ms':>9} {'CPU ms':>7} {'median ms':>10} {'max ms':>7} "
        f"{'target ms':>10} {'KiB':>5}  (first fetch, then {runs} runs)"
    )
    missed = 0
    for row in rows:
        verdict = "ok" if row["median"] <= row["target"] else "SLOW"
        if row["cold"] > row["target"]:
            verdict += ", first SLOW"
        missed += verdict != "ok"
        print(
            f"{row['page']:<24} {1000 * row['cold']:9.0f} {1000 * row['cold_cpu']:7.0f} "
            f"{1000 * row['median']:10.0f} {1000 * row['max']:7.0f} {1000 * row['target']:10.0f} "
            f"{row['bytes'] / 1024:5.0f}  {verdict}  {row['path']}"
        )
    print(
        "first: the first fetch (wall, and CPU of this process: server and client), which "
        "computes the province-wide figures; the province page and the units table reuse them "
        "for ROVIEC_DASHBOARD_FIGURES_SECONDS (60 s)"
    )
    return 1 if missed else 0


def main() -> int:
    """Generate the database unless --db names one, serve, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="reuse (or keep) this SQLite file")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pause", type=float, default=3.0, help="seconds to read the link's page")
    args = parser.parse_args()
    command = " ".join([".venv/bin/python -m tests.bench.bench_dashboard", *sys.argv[1:]])
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "scale.db"
        generated = None if path.exists() else generate(path, 5_000, 100, 4)
        rows = asyncio.run(measure(path, args.runs))
        warmed = asyncio.run(measure_warmed(path, args.pause))
    missed = _report(rows, args.runs, command, generated)
    print(
        f"province, button pressed {args.pause:g} s after opening the link (figures counted "
        f"meanwhile): {1000 * warmed:.0f} ms from the press to the page "
        f"({'ok' if warmed <= TARGETS['province'] else 'SLOW'})"
    )
    return missed


if __name__ == "__main__":
    sys.exit(main())
