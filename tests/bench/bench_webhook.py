"""Webhook benchmark: N officers file /baocao at once through the webhook, against polling.

Run from the project root::

    .venv/bin/python -m tests.bench.bench_webhook --officers 50 500

For every N and each platform (the Zalo Bot Platform, Telegram) two scenarios run, each in
a fresh child process: roviec receiving by **webhook** (``ROVIEC_PUBLIC_URL`` and
``ROVIEC_LISTEN`` set: it registers its webhook with the fake, and the fake POSTs every
update to it with the secret) and roviec **polling** the same fake (the baseline). The
application is the real one (bot.app.open_app + serve) on a fresh SQLite file; the
province and the conversation are bench_report's (9 updates per officer). On Zalo there
are no buttons: the officer types the number of the choice (Skip as its label where the
step reads typed text, since a number typed there is that text). After each scenario the
database must hold N ProgressReport rows at 75 % "in progress", or the exit status is 1.

Besides throughput and reply latency it reports how long the fake waited for each webhook
POST to be answered: roviec commits the update to the inbox before it answers 200, and a
Zalo OA wants its answer within 2 s. See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.bench.bench_report import (
    DONE_TEXT,
    FIRST_USER_ID,
    TOKEN,
    UPDATES_PER_PERSON,
    Arrivals,
    LogCounter,
    Officer,
    build_bench_province,
    fmt,
    load_average,
    machine,
    percentile,
    report_conversation,
    reports_filed,
    step,
    summary,
    timed_phase,
)
from tests.bench.children import command_line, run_child

PLATFORMS = ("zalo", "telegram")
MODES = ("webhook", "polling")
MODULE = "tests.bench.bench_webhook"


# --- Zalo: a person whose arrivals are timed ------------------------------------------------


class Recorded(list[Any]):
    """A person's message list on the fake Zalo server that tells when something is added."""

    def __init__(self, arrived: Callable[[], None]) -> None:
        super().__init__()
        self._arrived = arrived

    def append(self, item: Any) -> None:
        """Keep the message, then note its arrival."""
        super().append(item)
        self._arrived()


class ZaloChat:
    """One Zalo person as the benchmark drives them: arrival times, waiting for the next reply.

    It offers what bench_report's `step` needs from a person and its arrivals (mark,
    wait_for_new, times), so the Zalo conversation is timed exactly as Telegram's.
    """

    def __init__(self, person: Any) -> None:
        self.person = person
        self.times: list[float] = []
        self._changed = asyncio.Event()
        self._mark = 0
        person.messages = Recorded(self._arrived)  # the fake appends to it as it delivers

    def _arrived(self) -> None:
        """Note that a message arrived now and wake the waiter."""
        self.times.append(time.perf_counter())
        self._changed.set()

    def mark(self) -> None:
        """Remember how many messages have arrived, for wait_for_new."""
        self._mark = len(self.person.messages)

    async def wait_for_new(self, count: int = 1, timeout: float = 5.0) -> list[Any]:
        """Wait for `count` messages since mark(); return them."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.person.messages) < self._mark + count:
            self._changed.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                got = [m.text for m in self.person.messages[self._mark :]]
                raise AssertionError(f"timed out after {timeout}s waiting for a reply, got {got}")
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue
        return list(self.person.messages[self._mark :])

    async def send(self, text: str) -> None:
        """Type a text."""
        await self.person.send(text)


def choices(message: Any) -> dict[str, str]:
    """The numbered lines of a Zalo message ("  2. Bỏ qua"): label by number."""
    found = {}
    for line in (message.text or "").splitlines():
        number, dot, label = line.strip().partition(". ")
        if dot and number.isdecimal():
            found[number] = label
    return found


def number_of(message: Any, label: str) -> str:
    """The number to type for the choice labelled `label`."""
    for number, shown in choices(message).items():
        if shown == label:
            return number
    raise AssertionError(f"no choice {label!r} in {message.text!r}")


async def zalo_report_conversation(
    chat: ZaloChat, officer: Officer, labels: dict[str, str], timeout: float
) -> list[float]:
    """The /baocao flow on Zalo, every choice typed as its number; the latency of each step."""
    latencies: list[float] = []

    async def do(text: str) -> Any:
        """Type `text`; the reply (its latency is kept)."""
        reply, latency = await step(chat, chat, lambda: chat.send(text), timeout)
        latencies.append(latency)
        return reply

    listing = await do("/baocao")
    pick = str(officer.slot + 1)  # the task in row `slot`, as the Telegram officer presses
    if "NV-" not in choices(listing).get(pick, ""):
        raise AssertionError(f"choice {pick} is not a task: {listing.text!r}")
    card = await do(pick)
    asked = await do("1")  # the first status: in progress (checked in the database)
    if "75" not in (asked.text or ""):  # "… e.g. 75."
        raise AssertionError(f"expected the progress question, got {asked.text!r}")
    await do("75")
    difficulty = await do(DONE_TEXT)
    # Where a step reads typed text (a difficulty, a proposal) a number is that text, so
    # Skip is typed as its label there; the evidence step takes a file: its number works.
    number_of(difficulty, labels["skip"])
    proposal = await do(labels["skip"])
    number_of(proposal, labels["skip"])
    evidence = await do(labels["skip"])
    review = await do(number_of(evidence, labels["skip"]))
    recorded = await do(number_of(review, labels["confirm"]))
    if choices(recorded) or "75" not in (recorded.text or ""):
        raise AssertionError(f"expected the 'recorded' reply, got {recorded.text!r}")
    del card
    return latencies


# --- one scenario (child process) ------------------------------------------------------------


async def start_fake(platform: str) -> Any:
    """The fake platform server, started."""
    if platform == "zalo":
        from tests.fakes.zalo_bot_api import TOKEN as ZALO_TOKEN
        from tests.fakes.zalo_bot_api import FakeZaloBot

        fake: Any = FakeZaloBot(ZALO_TOKEN)
    else:
        from tests.fakes.telegram_api import FakeTelegram

        fake = FakeTelegram()
    await fake.start()
    return fake


def scenario_settings(platform: str, mode: str, database_url: str, fake: Any) -> Any:
    """Default Settings for one platform, with a public URL in webhook mode."""
    from pydantic import SecretStr

    from bot.config import Settings
    from tests.harness import free_port

    values: dict[str, Any] = {"database_url": database_url, "poll_timeout_seconds": 1}
    if platform == "zalo":
        from tests.fakes.zalo_bot_api import TOKEN as ZALO_TOKEN

        values |= {
            "telegram_token": None,
            "zalo_bot_token": SecretStr(ZALO_TOKEN),
            "zalo_bot_api_url": fake.base_url,
        }
    else:
        values |= {
            "telegram_token": SecretStr(TOKEN),
            "telegram_api_url": fake.base_url,
            "telegram_file_url": fake.base_file_url,
        }
    if mode == "webhook":
        port = free_port()
        values |= {"public_url": f"http://127.0.0.1:{port}", "listen": f"127.0.0.1:{port}"}
    return Settings(_env_file=None, **values)


def receiving(fake: Any, platform: str) -> bool:
    """Whether roviec is polling the fake or has registered its webhook there."""
    hooked = fake.webhook if platform == "zalo" else fake.webhook_url
    return bool(fake.requests("getUpdates") or hooked)


def hook_answers(fake: Any, platform: str) -> list[tuple[int | None, float]]:
    """Every webhook POST so far: (status, seconds until it was answered)."""
    if platform == "zalo":
        return [(post.status, post.seconds or 0.0) for post in fake.webhook_posts]
    return list(zip(fake.webhook_answers, fake.webhook_seconds, strict=True))


async def run_scenario(platform: str, mode: str, n: int, timeout: float) -> dict[str, Any]:
    """roviec on one platform and mode with n registered officers; time everyone reporting."""
    from sqlalchemy import func, select

    from bot.app import open_app, serve
    from bot.i18n import Translator
    from bot.services.people import accounts
    from db.models import ChatAccount

    with tempfile.TemporaryDirectory(prefix="roviec-bench-") as tmp:
        fake = await start_fake(platform)
        settings = scenario_settings(platform, mode, f"sqlite+aiosqlite:///{tmp}/roviec.db", fake)
        t = Translator(settings.locale, settings.zone)
        labels = {"skip": t._("Skip"), "confirm": t._("✅ Confirm")}
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
            await fake.wait_until(lambda: receiving(fake, platform), timeout=30)
            people: list[Any] = []
            for index in range(n):
                if platform == "zalo":
                    people.append(ZaloChat(fake.person(f"Officer{index}", f"{index + 1:08x}")))
                else:
                    person = fake.person(FIRST_USER_ID + index, f"Officer{index}")
                    person.bench_arrivals = Arrivals(person)
                    people.append(person)

            async def register(person: Any, officer: Officer, code: str) -> None:
                """Send the invitation code; the welcome must name the officer."""
                arrivals = person if platform == "zalo" else person.bench_arrivals
                send = lambda: person.send(f"/start {code}")  # noqa: E731
                reply, _ = await step(person, arrivals, send, timeout)
                if officer.name not in (reply.text or ""):
                    raise AssertionError(f"registration failed: {reply.text!r}")

            setup_started = time.perf_counter()
            await asyncio.gather(
                *(register(p, o, c) for p, o, c in zip(people, officers, codes, strict=True))
            )
            setup_s = time.perf_counter() - setup_started
            async with app.db.transaction() as session:
                bound = await session.scalar(select(func.count()).select_from(ChatAccount))
            if bound != n:
                raise AssertionError(f"{bound} chat accounts registered, expected {n}")

            conversations: list[Callable[[], Awaitable[list[float]]]]
            if platform == "zalo":
                conversations = [
                    functools.partial(zalo_report_conversation, p, o, labels, timeout)
                    for p, o in zip(people, officers, strict=True)
                ]
            else:
                conversations = [
                    functools.partial(report_conversation, p, o, timeout)
                    for p, o in zip(people, officers, strict=True)
                ]
            hooks_before = len(hook_answers(fake, platform))
            timed = await timed_phase(fake, conversations, trace=False, profile=None)
            if mode == "webhook":  # a reply may come before its POST's answer is read
                expected = hooks_before + n * UPDATES_PER_PERSON
                with contextlib.suppress(AssertionError):
                    await fake.wait_until(
                        lambda: len(hook_answers(fake, platform)) >= expected, timeout=5
                    )
            hooks = hook_answers(fake, platform)[hooks_before:]
            reports, matching = await reports_filed(app)
        finally:
            stop.set()
            await asyncio.wait_for(serving, timeout=60)
            await app.db.dispose()
            await fake.stop()
    if reports != n or matching != n:
        timed.failures.append(
            f"database check: {reports} ProgressReport rows ({matching} distinct assignments at "
            f"75% in progress), expected {n}"
        )
    answered = [seconds for status, seconds in hooks if status == 200]
    result = summary(
        f"{platform}:{mode}",
        n,
        timed,
        {
            "platform": platform,
            "mode": mode,
            "progress_reports": reports,
            "registration_s": setup_s,
            "workers": settings.workers,
            "rate_overall": settings.rate_overall_per_second,
            "rate_per_chat": settings.rate_per_chat_per_second,
            "answer_within": settings.webhook_answer_seconds,
            "hook_posts": len(hooks),
            "hook_not_200": len(hooks) - len(answered),
            "hook_p50_ms": percentile(answered, 0.50) * 1000 if answered else None,
            "hook_p95_ms": percentile(answered, 0.95) * 1000 if answered else None,
            "hook_max_ms": max(answered) * 1000 if answered else None,
        },
    )
    result["requests"] = {k: v for k, v in result["requests"].items() if v}
    return result


def child_main(scenario: str, n: int, timeout: float, out: str) -> int:
    """Run one scenario in this (fresh) process and write its JSON summary to `out`."""
    counter = LogCounter()
    logging.basicConfig(level=logging.WARNING, handlers=[counter])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    platform, mode = scenario.split(":")
    result = asyncio.run(run_scenario(platform, mode, n, timeout))
    result["log_warnings"] = counter.count
    result["log_samples"] = counter.first
    Path(out).write_text(json.dumps(result))
    return 0


# --- parent: run the children, print the table ------------------------------------------------


def ratio(one: dict[str, Any], other: dict[str, Any], figure: str) -> str:
    """One scenario's figure over another's, as "x1.23" ("-" when undefined)."""
    if not other[figure] or one[figure] != one[figure]:
        return "-"
    return f"x{one[figure] / other[figure]:.2f}"


def table(results: list[dict[str, Any]], command: str, load_before: str) -> str:
    """The printed report."""
    first = next((r for r in results if "error" not in r), {})
    lines = [
        f"$ {command}",
        machine(),
        f"Load average (1 min) before / after: {load_before} / {load_average()}. roviec: default "
        f"Settings (workers={first.get('workers', '?')}; Telegram limits "
        f"{fmt(first.get('rate_overall'))}/s overall, {fmt(first.get('rate_per_chat'))}/s per "
        f"chat; webhook answer within {first.get('answer_within', '?')} s), SQLite file, "
        "poll timeout 1 s.",
        f"Each officer sends {UPDATES_PER_PERSON} updates (Telegram: 3 messages, 6 presses; "
        "Zalo: 9 messages, choices typed as numbers); latency = update queued on the fake "
        "server -> bot's reply recorded there; hook = time for a webhook POST to be answered.",
        "",
    ]
    header = (
        f"{'N':>5}  {'platform':<8} {'mode':<8} {'ok':>9} {'upd/s':>6} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'max ms':>8} {'hook p95':>9} {'hook max':>9} {'CPU s':>6} {'RSS MiB':>8}"
    )
    lines += [header, "-" * len(header)]
    by_key = {(r["officers"], r["kind"]): r for r in results}
    sizes = list(dict.fromkeys(r["officers"] for r in results))
    for n in sizes:
        for platform in PLATFORMS:
            for mode in MODES:
                r = by_key.get((n, f"{platform}:{mode}"))
                if r is None:
                    continue
                if "error" in r:
                    failed = r["error"].splitlines()[0]
                    lines.append(f"{n:>5}  {platform:<8} {mode:<8} FAILED: {failed}")
                    continue
                ok = f"{r['completed']}/{n}" + ("*" if r["progress_reports"] == n else "!")
                lines.append(
                    f"{n:>5}  {platform:<8} {mode:<8} {ok:>9} {fmt(r['updates_per_s'], 1):>6} "
                    f"{fmt(r['p50_ms'], 1):>8} {fmt(r['p95_ms'], 1):>8} {fmt(r['max_ms'], 1):>8} "
                    f"{fmt(r['hook_p95_ms'], 1):>9} {fmt(r['hook_max_ms'], 1):>9} "
                    f"{fmt(r['cpu_s'], 1):>6} {fmt(r['peak_rss_mib'], 0):>8}"
                )
            hook = by_key.get((n, f"{platform}:webhook"))
            poll = by_key.get((n, f"{platform}:polling"))
            if hook and poll and "error" not in hook and "error" not in poll:
                lines.append(
                    f"{n:>5}  {platform}: webhook/polling throughput "
                    f"{ratio(hook, poll, 'updates_per_s')}, p50 latency "
                    f"{ratio(hook, poll, 'p50_ms')}, p95 latency {ratio(hook, poll, 'p95_ms')}, "
                    f"CPU {ratio(hook, poll, 'cpu_s')}"
                )
        lines.append("")
    lines += [
        "* = N ProgressReport rows verified in the database (! = mismatch: run is invalid)",
        "",
        "Latency by step (p50 / p95 ms):",
    ]
    for r in results:
        if "error" not in r:
            parts = [f"{s['name']} {fmt(s['p50_ms'])}/{fmt(s['p95_ms'])}" for s in r["steps"]]
            lines.append(f"  N={r['officers']} {r['kind']}: " + ", ".join(parts))
    lines += ["", "Webhook POSTs and Bot API calls during the timed phase:"]
    for r in results:
        if "error" not in r:
            calls = ", ".join(f"{k} {v}" for k, v in r["requests"].items())
            hooks = ""
            if r["mode"] == "webhook":
                hooks = (
                    f"{r['hook_posts']} webhook POSTs ({r['hook_not_200']} not 200, p50 "
                    f"{fmt(r['hook_p50_ms'], 1)} ms); "
                )
            lines.append(
                f"  N={r['officers']} {r['kind']}: {hooks}{calls}; registration "
                f"{r['registration_s']:.1f} s; child process {r.get('process_s', 0):.0f} s"
            )
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
    parser.add_argument("--officers", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--platform", choices=PLATFORMS, nargs="+", default=list(PLATFORMS))
    parser.add_argument("--mode", choices=MODES, nargs="+", default=list(MODES))
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for each reply (default 120)"
    )
    parser.add_argument(
        "--child-timeout",
        type=float,
        default=900.0,
        help="seconds before a scenario's process is killed (default 900)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child, args.officers[0], args.timeout, args.result)
    command = command_line(MODULE, argv)
    load_before = load_average()
    results = []
    for n in args.officers:
        for platform in args.platform:
            for mode in args.mode:
                kind = f"{platform}:{mode}"
                print(f"... N={n} {kind}", file=sys.stderr, flush=True)
                arguments = ["--child", kind, "--officers", str(n), "--timeout", str(args.timeout)]
                label = {"kind": kind, "officers": n}
                results.append(run_child(MODULE, label, arguments, args.child_timeout))
    print(table(results, command, load_before))
    bad = any("error" in r or r["failures"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
