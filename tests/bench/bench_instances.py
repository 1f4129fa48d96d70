"""Instances benchmark: N officers file /baocao at once through the Telegram webhook, with one
`roviec run` on SQLite, one on PostgreSQL, and two on PostgreSQL behind a round-robin proxy.

Run from the project root::

    ROVIEC_RATE_OVERALL_PER_SECOND=1000 ROVIEC_RATE_PER_CHAT_PER_SECOND=1000 \\
        .venv/bin/python -m tests.bench.bench_instances --officers 500

Each scenario runs in a fresh child process (the harness: tests.fakes.FakeTelegram, the
round-robin proxy tests.fakes.balancer.Balancer and the N simulated people, all on one loop).
The child starts the instances as real `roviec run` processes (tests.instances, forked from a
forkserver that imported roviec once) on their own ports; each registers the webhook at the
proxy, which hands the fake's POSTs to the instances in turn. PostgreSQL scenarios use a
database made for the run (CREATE DATABASE on the server of ``--postgres``) and dropped
after it. The province and the conversation are bench_report's. After the timed phase the
database must hold exactly N ProgressReport rows, one per assignment, at 75 % "in progress",
or the exit status is 1. See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.bench.bench_report import (
    FIRST_USER_ID,
    UPDATES_PER_PERSON,
    Arrivals,
    LogCounter,
    Officer,
    build_bench_province,
    fmt,
    load_average,
    machine,
    report_conversation,
    reports_filed,
    step,
    summary,
    timed_phase,
)
from tests.bench.children import command_line, run_child

MODULE = "tests.bench.bench_instances"
SCENARIOS = ("sqlite:1", "postgres:1", "postgres:2")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


# --- the instances' CPU time ----------------------------------------------------------------


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_peak_mib(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the database of one run ----------------------------------------------------------------


@contextlib.asynccontextmanager
async def scenario_database(kind: str, admin_url: str, tmp: str) -> AsyncIterator[str]:
    """A migrated, empty database for one scenario (its URL); a PostgreSQL one is dropped."""
    from db.engine import Database
    from db.migrate import upgrade

    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp}/roviec.db"
    else:
        import asyncpg

        name = f"roviec_bench_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        url = f"{base}/{name}"
    try:
        database = Database(url)
        try:
            await upgrade(database)
        finally:
            await database.dispose()
        yield url
    finally:
        if kind != "sqlite":
            import asyncpg

            admin = await asyncpg.connect(admin_url)
            try:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await admin.close()


@dataclass
class Handle:
    """What reports_filed needs of an application: its database."""

    db: Any


# --- one scenario (child process) ------------------------------------------------------------


async def run_scenario(
    kind: str, count: int, n: int, timeout: float, admin_url: str, connections: int
) -> dict[str, Any]:
    """`count` instances of roviec on `kind` with n registered officers; time them reporting."""
    from sqlalchemy import func, select

    from bot.app import utc_now
    from bot.services.people import accounts
    from db.engine import Database
    from db.models import ChatAccount
    from tests.fakes.balancer import Balancer
    from tests.fakes.telegram_api import FakeTelegram
    from tests.harness import free_port
    from tests.instances import start_instance, telegram_env

    with tempfile.TemporaryDirectory(prefix="roviec-bench-") as tmp:
        async with scenario_database(kind, admin_url, tmp) as url:
            db = Database(url)
            async with db.transaction() as session:
                officers = await build_bench_province(session, utc_now(), n)
            async with db.transaction() as session:
                codes = [
                    await accounts.issue_invitation(
                        session, o.official_id, utc_now(), timedelta(hours=72)
                    )
                    for o in officers
                ]
            await db.dispose()  # SQLite: the instance refuses a second writer's lock file
            telegram = FakeTelegram()
            telegram.webhook_connections = connections
            await telegram.start()
            ports = [free_port() for _ in range(count)]
            balancer = Balancer([f"http://127.0.0.1:{port}" for port in ports])
            await balancer.start()
            rates = {
                name: os.environ[f"ROVIEC_{name.upper()}"]
                for name in ("rate_overall_per_second", "rate_per_chat_per_second")
                if f"ROVIEC_{name.upper()}" in os.environ
            }
            instances = [
                start_instance(
                    telegram_env(
                        telegram,
                        url,
                        telegram_token=f"123456:BENCH-{index}",  # one bot, spelt apart
                        public_url=balancer.url,
                        listen=f"127.0.0.1:{port}",
                        **rates,
                    ),
                    Path(tmp) / f"roviec-{index}.log",
                )
                for index, port in enumerate(ports)
            ]
            codes_at_stop: list[int | None] = []
            try:
                await telegram.wait_until(
                    lambda: len(telegram.requests("setWebhook")) >= count, timeout=60
                )
                people = []
                for index in range(n):
                    person = telegram.person(FIRST_USER_ID + index, f"Officer{index}")
                    person.bench_arrivals = Arrivals(person)
                    people.append(person)

                async def register(person: Any, officer: Officer, code: str) -> None:
                    """Send the invitation code; the welcome must name the officer."""
                    send = lambda: person.send(f"/start {code}")  # noqa: E731
                    reply, _ = await step(person, person.bench_arrivals, send, timeout)
                    if officer.name not in (reply.text or ""):
                        raise AssertionError(f"registration failed: {reply.describe()}")

                setup_started = time.perf_counter()
                await asyncio.gather(
                    *(register(p, o, c) for p, o, c in zip(people, officers, codes, strict=True))
                )
                setup_s = time.perf_counter() - setup_started
                db = Database(url)
                async with db.read() as session:
                    bound = await session.scalar(select(func.count()).select_from(ChatAccount))
                if bound != n:
                    raise AssertionError(f"{bound} chat accounts registered, expected {n}")
                taken_before = [balancer.taken_by(i) for i in range(count)]
                cpu_before = [process_cpu(i.pid) for i in instances]
                timed = await timed_phase(
                    telegram,
                    [
                        functools.partial(report_conversation, p, o, timeout)
                        for p, o in zip(people, officers, strict=True)
                    ],
                    trace=False,
                    profile=None,
                )
                instance_cpu = [
                    process_cpu(i.pid) - before
                    for i, before in zip(instances, cpu_before, strict=True)
                ]
                instance_rss = [process_peak_mib(i.pid) for i in instances]
                taken = [balancer.taken_by(i) - taken_before[i] for i in range(count)]
                reports, matching = await reports_filed(Handle(db))
                await db.dispose()
            finally:
                codes_at_stop = [await instance.stop() for instance in instances]
                logs = [instance.tail(1500) for instance in instances]
                await balancer.stop()
                await telegram.stop()
    if reports != n or matching != n:
        timed.failures.append(
            f"database check: {reports} ProgressReport rows ({matching} distinct assignments at "
            f"75% in progress), expected {n}, each once"
        )
    if any(code != 0 for code in codes_at_stop):
        timed.failures.append(f"instances exited {codes_at_stop}: {logs}")
    result = summary(
        f"{kind}:{count}",
        n,
        timed,
        {
            "database": kind,
            "instances": count,
            "progress_reports": reports,
            "registration_s": setup_s,
            "harness_cpu_s": timed.cpu,
            "instance_cpu_s": instance_cpu,
            "instance_rss_mib": instance_rss,
            "taken": taken,
        },
    )
    result["cpu_s"] = sum(instance_cpu)  # roviec's own CPU: the instances'
    result["requests"] = {k: v for k, v in result["requests"].items() if v}
    return result


def child_main(
    scenario: str, n: int, timeout: float, admin_url: str, connections: int, out: str
) -> int:
    """Run one scenario in this (fresh) process and write its JSON summary to `out`."""
    counter = LogCounter()
    logging.basicConfig(level=logging.WARNING, handlers=[counter])
    kind, count = scenario.split(":")
    result = asyncio.run(run_scenario(kind, int(count), n, timeout, admin_url, connections))
    result["log_warnings"] = counter.count
    result["log_samples"] = counter.first
    Path(out).write_text(json.dumps(result))
    return 0


# --- parent: run the children, print the table ------------------------------------------------


def table(results: list[dict[str, Any]], command: str, load_before: str, connections: int) -> str:
    """The printed report."""
    lines = [
        f"$ {command}",
        machine(),
        f"Load average (1 min) before / after: {load_before} / {load_average()}. Each instance: "
        "`roviec run`, default Settings and the environment's ROVIEC_RATE_*, Telegram webhook "
        f"behind a round-robin proxy; the fake has up to {connections} POSTs in flight "
        "(one per chat).",
        f"Each officer sends {UPDATES_PER_PERSON} updates (3 messages, 6 presses); latency = "
        "update queued on the fake server -> bot's reply recorded there. CPU = the instances' "
        "user + system time in the timed phase; harness = the fake, the proxy and the people.",
        "",
    ]
    header = (
        f"{'N':>5}  {'database':<8} {'inst':>4} {'ok':>9} {'upd/s':>6} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'max ms':>8} {'CPU s':>6} {'ms/upd':>6} {'harness s':>9} "
        f"{'taken':>11} {'RSS MiB':>9}"
    )
    lines += [header, "-" * len(header)]
    by_key = {(r["officers"], r["kind"]): r for r in results}
    for n in dict.fromkeys(r["officers"] for r in results):
        for scenario in SCENARIOS:
            r = by_key.get((n, scenario))
            if r is None:
                continue
            kind, count = scenario.split(":")
            if "error" in r:
                lines.append(f"{n:>5}  {kind:<8} {count:>4} FAILED: {r['error'].splitlines()[0]}")
                continue
            ok = f"{r['completed']}/{n}" + ("*" if r["progress_reports"] == n else "!")
            per_update = r["cpu_s"] / r["updates"] * 1000 if r["updates"] else float("nan")
            taken = "/".join(str(t) for t in r["taken"])
            rss = "/".join(fmt(m) for m in r["instance_rss_mib"])
            lines.append(
                f"{n:>5}  {kind:<8} {count:>4} {ok:>9} {fmt(r['updates_per_s'], 1):>6} "
                f"{fmt(r['p50_ms'], 1):>8} {fmt(r['p95_ms'], 1):>8} {fmt(r['max_ms'], 1):>8} "
                f"{fmt(r['cpu_s'], 1):>6} {fmt(per_update, 1):>6} "
                f"{fmt(r['harness_cpu_s'], 1):>9} {taken:>11} {rss:>9}"
            )
        one, two = by_key.get((n, "postgres:1")), by_key.get((n, "postgres:2"))
        if one and two and "error" not in one and "error" not in two:
            lines.append(
                f"{n:>5}  PostgreSQL two/one instances: throughput "
                f"x{two['updates_per_s'] / one['updates_per_s']:.2f}, p50 latency "
                f"x{two['p50_ms'] / one['p50_ms']:.2f}, p95 latency "
                f"x{two['p95_ms'] / one['p95_ms']:.2f}, CPU per update "
                f"x{two['cpu_s'] / one['cpu_s']:.2f}"
            )
        lines.append("")
    lines += [
        "* = exactly N ProgressReport rows, one per assignment, at 75% in progress "
        "(! = not: the run is invalid); taken = webhook POSTs each instance answered 200",
        "",
        "Latency by step (p50 / p95 ms):",
    ]
    for r in results:
        if "error" not in r:
            parts = [f"{s['name']} {fmt(s['p50_ms'])}/{fmt(s['p95_ms'])}" for s in r["steps"]]
            lines.append(f"  N={r['officers']} {r['kind']}: " + ", ".join(parts))
    problems = [r for r in results if "error" not in r and (r["failures"] or r["log_warnings"])]
    if problems:
        lines += ["", "Problems:"]
        for r in problems:
            lines.append(
                f"  N={r['officers']} {r['kind']}: {r['failures']} failed conversation(s), "
                f"{r['log_warnings']} warning/error log record(s)"
            )
            lines += [f"    {s}" for s in r["failure_samples"] + r["log_samples"]]
    for r in results:
        if "error" in r:
            lines += ["", f"N={r['officers']} {r['kind']} failed:", r["error"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run as parent (all scenarios) or as one child scenario."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--officers", type=int, nargs="+", default=[500])
    parser.add_argument(
        "--scenario",
        choices=SCENARIOS,
        nargs="+",
        default=list(SCENARIOS),
        help="database:instances (default all three)",
    )
    parser.add_argument(
        "--postgres",
        default=PG_ADMIN,
        help=f"a PostgreSQL server's URL where the run may CREATE DATABASE (default {PG_ADMIN})",
    )
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
        "--connections",
        type=int,
        default=40,
        help="webhook POSTs the fake Telegram has in flight at once (max_connections; 40)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(
            args.child,
            args.officers[0],
            args.timeout,
            args.postgres,
            args.connections,
            args.result,
        )
    command = command_line(MODULE, argv)
    load_before = load_average()
    results = []
    for n in args.officers:
        for scenario in args.scenario:
            print(f"... N={n} {scenario}", file=sys.stderr, flush=True)
            arguments = [
                "--child",
                scenario,
                "--officers",
                str(n),
                "--timeout",
                str(args.timeout),
                "--postgres",
                args.postgres,
                "--connections",
                str(args.connections),
            ]
            label = {"kind": scenario, "officers": n}
            results.append(run_child(MODULE, label, arguments, args.child_timeout))
    print(table(results, command, load_before, args.connections))
    bad = any("error" in r or r["failures"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
