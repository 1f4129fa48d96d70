"""Directive benchmark: one directive from the standing office to 5,000 officials on Zalo.

Run from the project root::

    .venv/bin/python -m tests.bench.bench_directive --recipients 5000 --quota 0.05

Three scenarios run, each in a fresh child process:

* ``roviec+429``: the real application (bot.app.open_app + serve, Zalo Bot only, polling)
  on a fresh SQLite file, talking HTTP to tests.fakes.zalo_bot_api.FakeZaloBot, which
  answers 429 "Quota exceeded" to a random share (``--quota``) of sends once Send is
  typed. The province has the standing office and recipients ÷ 4 units with a head and
  three focal officers each, every one with a Zalo account bound. The standing officer
  registers with a real code and composes /chidao on Zalo (choices typed as numbers):
  text, Skip the attachment, All units, a response deadline, Send. Timing starts when Send
  is typed and ends when every recipient has the directive; the outbox must then settle
  with every row sent.
* ``roviec``: the same with no 429 at all (how fast the dispatcher drains on its own).
* ``baseline``: no roviec: roviec's ZaloBotClient sends the same text to every recipient,
  64 at a time (the dispatcher's concurrency), against a fresh fake without refusals.

The exit status is 1 unless every scenario delivered to every recipient exactly once.
See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.bench.bench_report import (
    LogCounter,
    cpu_seconds,
    fmt,
    load_average,
    machine,
    peak_rss_mib,
    percentile,
    step,
)
from tests.bench.bench_webhook import ZaloChat, number_of
from tests.bench.children import command_line, run_child

MODULE = "tests.bench.bench_directive"
PER_UNIT = 4  # a head and three focal officers
CONCURRENCY = 64  # the dispatcher's default: sends in flight at once
DIRECTIVE = (
    "Đề nghị các đơn vị rà soát, hoàn thành việc cập nhật dữ liệu dân cư và báo cáo kết quả "
    "triển khai Đề án 06 về Văn phòng Công an tỉnh."
)
SCENARIOS = ("roviec+429", "roviec", "baseline")


@dataclass(frozen=True)
class Recipient:
    """One official the directive reaches, and the Zalo user id bound to them."""

    official_id: int
    user_key: str


async def build_directive_province(
    session: Any, now: datetime, n: int
) -> tuple[int, list[Recipient]]:
    """The standing office and n heads and focal officers with Zalo accounts bound."""
    from bot.channels.zalo.bot_updates import NAME
    from bot.services.people import directory
    from db.models import ChatAccount

    await directory.add_unit(
        session, code="UBND", name="UBND tỉnh", kind="leadership", parent_code=None, now=now
    )
    await directory.add_unit(
        session, code="CA", name="Công an tỉnh", kind="standing", parent_code="UBND", now=now
    )
    standing = await directory.add_official(
        session, name="Đặng Quốc Việt", role="standing", unit_code="CA", title="", now=now
    )
    recipients: list[Recipient] = []
    for u in range((n + PER_UNIT - 1) // PER_UNIT):
        code = f"D{u + 1:04d}"
        kind = "department" if u % 2 == 0 else "commune"
        await directory.add_unit(
            session, code=code, name=f"Đơn vị {u + 1}", kind=kind, parent_code="UBND", now=now
        )
        for slot in range(PER_UNIT):
            if len(recipients) == n:
                break
            official = await directory.add_official(
                session,
                name=f"Cán bộ {len(recipients) + 1}",
                role="head" if slot == 0 else "focal",
                unit_code=code,
                title="",
                now=now,
            )
            recipients.append(Recipient(official.id or 0, f"{0x5A10000 + len(recipients):x}"))
    session.add_all(
        ChatAccount(
            channel=NAME,
            user_key=r.user_key,
            chat_key=r.user_key,
            official_id=r.official_id,
            bound_at=now,
            last_seen_at=now,
        )
        for r in recipients
    )
    await session.flush()
    return standing.id or 0, recipients


def recipient_chats(fake: Any, recipients: list[Recipient]) -> list[ZaloChat]:
    """Each recipient's chat on the fake, timed; they wrote to the bot when they registered."""
    chats = []
    for index, r in enumerate(recipients):
        person = fake.person(f"Cán bộ {index + 1}", r.user_key)
        person.has_written = True
        chats.append(ZaloChat(person))
    return chats


async def wait_for_everyone(chats: list[ZaloChat], timeout: float) -> None:
    """Until every chat has a message (or the timeout passes)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and not all(chat.times for chat in chats):
        await asyncio.sleep(0.1)


def deliveries(chats: list[ZaloChat], started: float, fake: Any) -> dict[str, Any]:
    """Delivered, duplicates, 429s and when the messages arrived (seconds after `started`)."""
    firsts = [chat.times[0] - started for chat in chats if chat.times]
    ids = {chat.person.user_id for chat in chats}
    refused = {str(body.get("chat_id")) for body in fake.quota_refused} & ids
    reached = {chat.person.user_id for chat in chats if chat.times}
    return {
        "recipients": len(chats),
        "delivered": len(firsts),
        "copies": sum(len(chat.times) for chat in chats),
        "duplicates": sum(max(0, len(chat.times) - 1) for chat in chats),
        "refusals": fake.quota_refusals,
        "refused_chats": len(refused),
        "refused_then_delivered": len(refused & reached),
        "elapsed_s": max(firsts, default=float("nan")),
        "p50_s": percentile(firsts, 0.50),
        "p95_s": percentile(firsts, 0.95),
    }


async def settle(app: Any, timeout: float) -> dict[str, int]:
    """Wait until no outbox row is pending or being sent; the rows by state."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from db.models import OutboxMessage, OutboxState

    deadline = time.perf_counter() + timeout
    while True:
        async with app.db.read() as session:
            states = {
                str(state.value if hasattr(state, "value") else state): int(count)
                for state, count in (
                    await session.execute(
                        select(col(OutboxMessage.state), func.count()).group_by(
                            col(OutboxMessage.state)
                        )
                    )
                ).all()
            }
        busy = states.get(OutboxState.PENDING.value, 0) + states.get(OutboxState.SENDING.value, 0)
        if not busy or time.perf_counter() > deadline:
            return states
        await asyncio.sleep(0.5)


async def run_roviec(n: int, quota: float, timeout: float) -> dict[str, Any]:
    """roviec with n recipients on Zalo; the standing officer sends one directive to all."""
    from pydantic import SecretStr
    from sqlalchemy import func, select

    from bot.app import open_app, serve
    from bot.config import Settings
    from bot.i18n import Translator
    from bot.services.people import accounts
    from db.models import DirectiveReceipt
    from tests.fakes.zalo_bot_api import TOKEN as ZALO_TOKEN
    from tests.fakes.zalo_bot_api import FakeZaloBot

    with tempfile.TemporaryDirectory(prefix="roviec-bench-") as tmp:
        fake = FakeZaloBot(ZALO_TOKEN)
        await fake.start()
        settings = Settings(
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{tmp}/roviec.db",
            telegram_token=None,
            zalo_bot_token=SecretStr(ZALO_TOKEN),
            zalo_bot_api_url=fake.base_url,
            poll_timeout_seconds=1,
        )
        t = Translator(settings.locale, settings.zone)
        app = await open_app(settings)
        built = time.perf_counter()
        async with app.db.transaction() as session:
            standing_id, recipients = await build_directive_province(session, app.clock(), n)
        async with app.db.transaction() as session:
            code = await accounts.issue_invitation(
                session, standing_id, app.clock(), timedelta(hours=72)
            )
        setup_s = time.perf_counter() - built
        chats = recipient_chats(fake, recipients)
        stop = asyncio.Event()
        serving = asyncio.create_task(serve(app, stop))
        try:
            await fake.wait_until(lambda: bool(fake.requests("getUpdates")), timeout=30)
            viet = ZaloChat(fake.person("Việt", "5a0f0001"))

            async def say(text: str) -> Any:
                """The standing officer types `text`; the bot's reply."""
                reply, _ = await step(viet, viet, lambda: viet.send(text), timeout)
                return reply

            await say(f"/start {code}")
            await say("/chidao")
            attachment = await say(DIRECTIVE)
            target = await say(number_of(attachment, t._("Skip")))
            await say(number_of(target, t._("All units")))
            deadline = (app.clock().astimezone(settings.zone) + timedelta(days=14)).date()
            review = await say(deadline.strftime("%d/%m/%Y"))
            if f"{n:,}".replace(",", ".") not in (review.text or "") and str(n) not in (
                review.text or ""
            ):
                raise AssertionError(f"the review does not name {n} officials: {review.text!r}")
            send = number_of(review, t._("✅ Send"))
            fake.quota_fraction = quota  # the quota runs out during the directive's sends
            cpu0, started = cpu_seconds(), time.perf_counter()
            await viet.send(send)
            await wait_for_everyone(chats, timeout)
            states = await settle(app, timeout)
            await asyncio.sleep(1.0)  # a late second copy would arrive now
            cpu = cpu_seconds() - cpu0
            result = deliveries(chats, started, fake)
            async with app.db.read() as session:
                receipts = int(
                    await session.scalar(select(func.count()).select_from(DirectiveReceipt)) or 0
                )
        finally:
            stop.set()
            await asyncio.wait_for(serving, timeout=60)
            await app.db.dispose()
            await fake.stop()
    return {
        **result,
        "quota": quota,
        "cpu_s": cpu,
        "peak_rss_mib": peak_rss_mib(),
        "setup_s": setup_s,
        "outbox": states,
        "receipts": receipts,
        "send_calls": len(fake.requests("sendMessage")),
    }


async def run_baseline(n: int, timeout: float) -> dict[str, Any]:
    """roviec's Zalo client alone sends the text to n chats, CONCURRENCY at a time."""
    from bot.channels.zalo import ZaloBotClient
    from tests.fakes.zalo_bot_api import TOKEN as ZALO_TOKEN
    from tests.fakes.zalo_bot_api import FakeZaloBot

    fake = FakeZaloBot(ZALO_TOKEN)
    await fake.start()
    recipients = [Recipient(i, f"{0x5A10000 + i:x}") for i in range(n)]
    chats = recipient_chats(fake, recipients)
    slots = asyncio.Semaphore(CONCURRENCY)
    try:
        async with ZaloBotClient(ZALO_TOKEN, fake.base_url) as client:

            async def send(chat: ZaloChat) -> None:
                """Send the directive's text to one chat, within the concurrency."""
                async with slots:
                    await client.send_message(chat.person.user_id, DIRECTIVE)

            cpu0, started = cpu_seconds(), time.perf_counter()
            await asyncio.wait_for(asyncio.gather(*(send(c) for c in chats)), timeout)
            cpu = cpu_seconds() - cpu0
            result = deliveries(chats, started, fake)
    finally:
        await fake.stop()
    return {
        **result,
        "quota": 0.0,
        "cpu_s": cpu,
        "peak_rss_mib": peak_rss_mib(),
        "setup_s": 0.0,
        "outbox": {},
        "receipts": n,
        "send_calls": len(fake.requests("sendMessage")),
    }


def child_main(kind: str, n: int, quota: float, timeout: float, out: str) -> int:
    """Run one scenario in this (fresh) process and write its JSON summary to `out`."""
    counter = LogCounter()
    logging.basicConfig(level=logging.WARNING, handlers=[counter])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if kind == "baseline":
        result = asyncio.run(run_baseline(n, timeout))
    else:
        result = asyncio.run(run_roviec(n, quota if kind == "roviec+429" else 0.0, timeout))
    result |= {"kind": kind, "log_warnings": counter.count, "log_samples": counter.first}
    Path(out).write_text(json.dumps(result))
    return 0


def failures(r: dict[str, Any]) -> list[str]:
    """What is wrong with one scenario's result (nothing: it counts)."""
    if "error" in r:
        return [r["error"].splitlines()[0]]
    wrong = []
    if r["delivered"] != r["recipients"]:
        wrong.append(f"delivered {r['delivered']}/{r['recipients']}")
    if r["duplicates"]:
        wrong.append(f"{r['duplicates']} duplicate(s)")
    if r["refused_then_delivered"] != r["refused_chats"]:
        wrong.append(f"{r['refused_chats'] - r['refused_then_delivered']} refused chat(s) lost")
    if r["receipts"] != r["recipients"]:
        wrong.append(f"{r['receipts']} receipts")
    stuck = {k: v for k, v in r["outbox"].items() if k != "sent"}
    if stuck:
        wrong.append(f"outbox rows not sent: {stuck}")
    return wrong


def table(results: list[dict[str, Any]], command: str, load_before: str) -> str:
    """The printed report."""
    lines = [
        f"$ {command}",
        machine(),
        f"Load average (1 min) before / after: {load_before} / {load_average()}. roviec: default "
        "Settings (dispatcher: 64 sends in flight, claims 100 at a time; no rate limiter for "
        "Zalo; a 429 is retried after 30 s), SQLite file.",
        "elapsed = from typing the number of Send to the last recipient's first copy; "
        "p50/p95 = when recipients got it.",
        "",
    ]
    header = (
        f"{'scenario':<11} {'delivered':>11} {'dup':>4} {'429s':>5} {'retried':>9} "
        f"{'elapsed s':>9} {'p50 s':>6} {'p95 s':>6} {'msg/s':>6} {'CPU s':>6} {'RSS MiB':>8}"
    )
    lines += [header, "-" * len(header)]
    for r in results:
        if "error" in r:
            lines.append(f"{r['kind']:<11} FAILED: {r['error'].splitlines()[0]}")
            continue
        rate = r["delivered"] / r["elapsed_s"] if r["elapsed_s"] else float("nan")
        retried = f"{r['refused_then_delivered']}/{r['refused_chats']}"
        lines.append(
            f"{r['kind']:<11} {r['delivered']:>5}/{r['recipients']:<5} {r['duplicates']:>4} "
            f"{r['refusals']:>5} {retried:>9} {fmt(r['elapsed_s'], 1):>9} "
            f"{fmt(r['p50_s'], 1):>6} {fmt(r['p95_s'], 1):>6} {fmt(rate, 0):>6} "
            f"{fmt(r['cpu_s'], 1):>6} {fmt(r['peak_rss_mib'], 0):>8}"
        )
    lines += [
        "",
        "429s = sends the fake refused for the quota; retried = refused chats that then got "
        "the directive.",
    ]
    for r in results:
        if "error" not in r:
            lines.append(
                f"  {r['kind']}: quota share {r['quota']:g}; {r['send_calls']} sendMessage calls; "
                f"{r['copies']} copies; outbox {r['outbox'] or '-'}; receipts {r['receipts']}; "
                f"setup {r['setup_s']:.1f} s; child process {r.get('process_s', 0):.0f} s; "
                f"{r['log_warnings']} warning/error log record(s)"
            )
            lines += [f"    {s}" for s in r["log_samples"]]
    for r in results:
        wrong = failures(r)
        if wrong:
            lines.append(f"FAILED {r['kind']}: " + "; ".join(wrong))
        if "error" in r:
            lines += [r["error"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments; run as parent (every scenario) or as one child scenario."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument(
        "--quota", type=float, default=0.05, help="share of sends answered 429 (default 0.05)"
    )
    parser.add_argument("--only", choices=SCENARIOS, nargs="+", default=list(SCENARIOS))
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds to wait for delivery (default 600)"
    )
    parser.add_argument("--child-timeout", type=float, default=1200.0)
    parser.add_argument("--child", choices=SCENARIOS, help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child, args.recipients, args.quota, args.timeout, args.result)
    command = command_line(MODULE, argv)
    load_before = load_average()
    results = []
    for kind in args.only:
        print(f"... {kind}", file=sys.stderr, flush=True)
        arguments = [
            "--child",
            kind,
            "--recipients",
            str(args.recipients),
            "--quota",
            str(args.quota),
            "--timeout",
            str(args.timeout),
        ]
        label = {"kind": kind, "recipients": args.recipients}
        results.append(run_child(MODULE, label, arguments, args.child_timeout))
    print(table(results, command, load_before))
    return 1 if any(failures(r) for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
