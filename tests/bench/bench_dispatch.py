"""Dispatch benchmark: how close the outbox dispatcher comes to Telegram's rate limits.

Run from the project root::

    .venv/bin/python -m tests.bench.bench_dispatch

5,000 messages to 5,000 people are queued on a fresh SQLite file. The fake Bot API server
(tests.fakes.FakeTelegram) runs in this process and enforces 25 messages/s overall and one
per second per chat, answering 429 when a message would break either. The dispatcher runs
in a child process (so its peak memory is its own) with the same limits and the same time
scale: with the default ``--time-scale 0.2`` one of Telegram's seconds lasts 200 ms, so the
200 simulated seconds the limits require take about 40 s. See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:BENCH-DISPATCH"
FIRST_CHAT = 800_000


def peak_rss_mib() -> float:
    """This process's peak resident memory (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def queue_messages(url: str, count: int) -> None:
    """A fresh database with `count` messages, one to each chat."""
    from bot.channels.base import Outbound
    from bot.services import outbox
    from db.engine import Database
    from db.migrate import upgrade

    db = Database(url)
    await upgrade(db)
    now = datetime.now(UTC)
    envelopes = [
        outbox.Envelope(
            f"bench:{n}",
            "telegram",
            str(FIRST_CHAT + n),
            Outbound(f"Nhắc việc số {n}: hạn báo cáo tiến độ Đề án 06 là thứ Sáu tuần này."),
        )
        for n in range(count)
    ]
    async with db.transaction() as session:
        await outbox.enqueue_many(session, envelopes, now)
    await db.dispose()


async def child(args: argparse.Namespace) -> dict[str, Any]:
    """Dispatch the queue until nothing is left (runs in the child process)."""
    from sqlalchemy import func, select

    from bot.app import utc_now
    from bot.channels.telegram import TelegramChannel, build_application
    from bot.config import Settings
    from db.engine import Database
    from db.models import OutboxMessage, OutboxState
    from scheduler.dispatcher import Dispatcher
    from scheduler.ratelimit import Limits, RateLimiter

    settings = Settings(_env_file=None, database_url=args.database)  # type: ignore[call-arg]
    db = Database(args.database)
    application = build_application(TOKEN, args.api_url, args.api_url.replace("/bot", "/file/bot"))
    await application.initialize()
    limits = Limits(
        overall_per_second=args.overall,
        per_chat_per_second=args.per_chat,
        time_scale=args.time_scale,
    )
    dispatcher = Dispatcher(
        db,
        {"telegram": TelegramChannel(application)},
        utc_now,
        settings,
        limiters={"telegram": RateLimiter(limits)},
    )
    stop = asyncio.Event()
    cpu = time.process_time()
    started = time.perf_counter()
    running = asyncio.create_task(dispatcher.run(stop))
    while True:
        await asyncio.sleep(0.1)
        async with db.read() as session:
            left = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING]))
            )
        if not left:
            break
    stop.set()
    await running
    wall = time.perf_counter() - started
    async with db.read() as session:
        states = dict(
            (
                await session.execute(
                    select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
                )
            ).all()
        )
    await application.shutdown()
    await db.dispose()
    return {
        "wall": wall,
        "cpu": time.process_time() - cpu,
        "rss_mib": peak_rss_mib(),
        "states": states,
    }


async def parent(args: argparse.Namespace, command: str) -> int:
    """Queue, serve the fake Telegram, run the dispatcher in a child, print the figures."""
    from tests.fakes.telegram_api import FakeTelegram, RateLimits

    with tempfile.TemporaryDirectory(prefix="bench-dispatch-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'roviec.db'}"
        await queue_messages(url, args.messages)
        limits = RateLimits(args.overall, args.per_chat, args.time_scale)
        telegram = FakeTelegram(rate_limits=limits)
        await telegram.start()
        arrivals: list[float] = []
        for n in range(args.messages):
            person = telegram.person(FIRST_CHAT + n, f"CB{n}")
            recorded = person.record_sent

            def record_sent(message: Any, recorded: Any = recorded) -> None:
                arrivals.append(time.perf_counter())
                recorded(message)

            person.record_sent = record_sent  # the server calls it through the instance
        result_file = Path(folder) / "result.json"
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.bench.bench_dispatch",
            "--child",
            "--database",
            url,
            "--api-url",
            telegram.base_url,
            "--result",
            str(result_file),
            "--messages",
            str(args.messages),
            "--time-scale",
            str(args.time_scale),
            "--overall",
            str(args.overall),
            "--per-chat",
            str(args.per_chat),
            cwd=ROOT,
        )
        await process.wait()
        await telegram.stop()
        if process.returncode != 0 or not result_file.exists():
            print(f"the dispatcher failed (exit {process.returncode})")
            return 1
        result = json.loads(result_file.read_text())
    people = telegram.people
    copies = sum(len(p.messages) for p in people)
    reached = sum(1 for p in people if p.messages)
    span = (arrivals[-1] - arrivals[0]) / args.time_scale if len(arrivals) > 1 else 0.0
    achieved = (len(arrivals) - 1) / span if span else 0.0
    print(f"command: {command}")
    print(
        f"messages: {args.messages} to {args.messages} chats; limits {args.overall:g}/s overall, "
        f"{args.per_chat:g}/s per chat; time scale {args.time_scale:g} "
        f"(one simulated second = {args.time_scale * 1000:g} ms)"
    )
    print(f"delivered: {reached}/{args.messages} chats, {copies} copies; rows {result['states']}")
    print(
        f"achieved rate: {achieved:.2f}/s (simulated) over {span:.1f} simulated s; "
        f"allowed {args.overall:g}/s; ratio {achieved / args.overall:.3f}"
    )
    print(f"429 answers: {telegram.too_many_requests}")
    print(
        f"wall time: {result['wall']:.1f} s (dispatcher process); "
        f"CPU {result['cpu']:.1f} s; peak RSS {result['rss_mib']:.0f} MiB"
    )
    print(f"load average: {os.getloadavg()[0]:.2f}")
    ok = reached == args.messages and result["states"] == {"sent": args.messages}
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run the parent or the child side."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--time-scale", type=float, default=0.2)
    parser.add_argument("--overall", type=float, default=25.0)
    parser.add_argument("--per-chat", type=float, default=1.0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = asyncio.run(child(args))
        Path(args.result).write_text(json.dumps(result))
        return 0
    command = shlex.join(
        [".venv/bin/python", "-m", "tests.bench.bench_dispatch", *(argv or sys.argv[1:])]
    )
    return asyncio.run(parent(args, command))


if __name__ == "__main__":
    sys.exit(main())
