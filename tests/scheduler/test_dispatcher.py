"""The outbox dispatcher: keeps Telegram's limits, retries what Telegram asks to retry, gives up
on what it refuses, tells the standing office about people who blocked the bot, and follows
a group chat that Telegram moved."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select, update

from bot.channels.base import Choice, Outbound
from bot.channels.telegram import TelegramChannel, build_application
from bot.services import instances, outbox
from bot.services.people import directory
from db.engine import Database
from db.migrate import upgrade
from db.models import ChatAccount, Official, OutboxMessage
from scheduler.dispatcher import Dispatcher
from scheduler.ratelimit import Limits, RateLimiter
from tests.conftest import test_settings
from tests.fakes.telegram_api import FakeTelegram, RateLimits
from tests.harness import FakeClock
from tests.province import bind_account, build_province

SCALE = 0.01  # one of Telegram's seconds lasts 10 ms here


def telegram_limits(**overrides: float) -> dict[str, RateLimiter]:
    """Telegram's default limits on a fast clock."""
    return {"telegram": RateLimiter(Limits(time_scale=SCALE, **overrides))}


@dataclass
class Post:
    """A database, the fake Telegram and a dispatcher between them."""

    db: Database
    telegram: FakeTelegram
    channel: TelegramChannel
    dispatcher: Dispatcher
    clock: FakeClock
    url: str

    async def queue(self, key: str, chat: str, text: str, **fields: Any) -> None:
        async with self.db.transaction() as session:
            await outbox.enqueue(
                session,
                dedupe_key=key,
                channel="telegram",
                chat_key=chat,
                message=Outbound(text, **fields),
                now=self.clock(),
            )

    async def states(self) -> dict[str, str]:
        async with self.db.transaction() as session:
            rows = await session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.state))
            return dict(rows.all())

    async def row(self, key: str) -> OutboxMessage:
        async with self.db.transaction() as session:
            row = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
            assert row is not None
            return row

    def sends(self) -> int:
        """sendMessage calls the fake server received, refused ones included."""
        return len(self.telegram.requests("sendMessage"))


@pytest.fixture
async def post(database_url: str, clock: FakeClock) -> AsyncIterator[Post]:
    db = Database(database_url)
    await upgrade(db)
    telegram = FakeTelegram()
    await telegram.start()
    application = build_application("123:ABC", telegram.base_url, telegram.base_file_url)
    await application.initialize()
    channel = TelegramChannel(application)
    settings = test_settings(database_url)
    dispatcher = Dispatcher(db, {"telegram": channel}, clock, settings, limiters=telegram_limits())
    try:
        yield Post(db, telegram, channel, dispatcher, clock, database_url)
    finally:
        await application.shutdown()
        await telegram.stop()
        await db.dispose()


async def test_the_same_dedupe_key_is_sent_once(post: Post) -> None:
    lan = post.telegram.person(501)
    await post.queue("remind:1", "501", "Nhắc việc")
    await post.queue("remind:1", "501", "Nhắc việc")
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Nhắc việc"]


async def test_a_normal_run_within_telegrams_limits_gets_no_429(post: Post) -> None:
    post.telegram.rate_limits = RateLimits(25, 1, time_scale=SCALE)
    people = [post.telegram.person(600 + n) for n in range(40)]
    for round_ in range(3):
        for person in people:
            await post.queue(f"r{round_}:{person.user_id}", str(person.user_id), f"Tin {round_}")
    await post.dispatcher.drain()
    assert post.telegram.too_many_requests == 0
    assert all([m.text for m in p.messages] == ["Tin 0", "Tin 1", "Tin 2"] for p in people)


async def test_a_429_waits_for_retry_after_then_delivers(post: Post) -> None:
    lan = post.telegram.person(501)
    post.telegram.fail_next(
        "sendMessage", status=429, description="Too Many Requests", retry_after=30
    )
    await post.queue("a", "501", "Một")
    await post.dispatcher.drain()
    assert lan.messages == [] and (await post.states())["a"] == "pending"
    post.clock.advance(seconds=31)
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Một"]
    assert (await post.row("a")).attempts == 1  # being told to wait is not a failed attempt


async def test_a_flood_429_pauses_every_chat_for_retry_after(post: Post) -> None:
    lan, hung = post.telegram.person(501), post.telegram.person(502)
    post.telegram.fail_next("sendMessage", status=429, retry_after=30)
    await post.queue("a", "501", "Một")
    started = time.monotonic()
    await post.dispatcher.drain()
    await post.queue("b", "502", "Hai")  # another chat, which Telegram never refused
    await post.dispatcher.drain()
    assert [m.text for m in hung.messages] == ["Hai"] and lan.messages == []
    assert time.monotonic() - started >= 30 * SCALE


async def test_later_messages_of_a_chat_wait_for_an_earlier_one(post: Post) -> None:
    lan = post.telegram.person(501)
    post.telegram.fail_next("sendMessage", status=502, description="Bad Gateway")
    await post.queue("a", "501", "Một")
    await post.queue("b", "501", "Hai")
    await post.dispatcher.drain()
    await post.queue("c", "501", "Ba")  # queued while "Một" waits for its retry
    await post.dispatcher.drain()
    assert lan.messages == []
    post.clock.advance(minutes=5)
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Một", "Hai", "Ba"]
    assert (await post.row("b")).attempts == 1  # it waited; it was not tried and failed


async def test_server_errors_are_retried_until_they_pass(post: Post) -> None:
    lan = post.telegram.person(501)
    post.telegram.fail_next("sendMessage", status=503, times=3)
    await post.queue("a", "501", "Một")
    for _ in range(4):
        await post.dispatcher.drain()
        post.clock.advance(minutes=10)
    assert [m.text for m in lan.messages] == ["Một"]
    assert (await post.row("a")).attempts == 4


async def test_a_timeout_after_telegram_recorded_the_message_is_retried_once_more(
    post: Post,
) -> None:
    lan = post.telegram.person(501)
    post.telegram.fail_next("sendMessage", status=504, after_recording=True)
    await post.queue("a", "501", "Một")
    await post.dispatcher.drain()
    post.clock.advance(minutes=5)
    await post.dispatcher.drain()
    assert (await post.states())["a"] == "sent"
    assert [m.text for m in lan.messages] in (["Một"], ["Một", "Một"])  # at most one duplicate


async def test_a_refused_message_fails_and_is_never_retried(post: Post) -> None:
    post.telegram.person(501)
    post.telegram.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    await post.queue("a", "501", "Một")
    await post.dispatcher.drain()
    post.clock.advance(hours=1)
    await post.dispatcher.drain()
    row = await post.row("a")
    assert (row.state, row.attempts, post.sends()) == ("failed", 1, 1)
    assert "chat not found" in (row.last_error or "").lower()


async def test_a_message_that_cannot_be_prepared_dies_at_once_and_blocks_nothing(
    post: Post,
) -> None:
    lan = post.telegram.person(501)
    await post.queue("broken", "501", "Một")
    await post.queue("next", "501", "Hai")
    async with post.db.transaction() as session:  # a payload written by an older version, say
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.dedupe_key == "broken").values(payload={})
        )
    await post.dispatcher.drain()
    post.clock.advance(hours=1)
    await post.dispatcher.drain()
    broken = await post.row("broken")
    assert (broken.state, broken.attempts) == ("dead", 1)
    assert broken.last_error == "cannot be prepared: KeyError"
    assert [m.text for m in lan.messages] == ["Hai"]


async def test_a_blocked_recipient_is_marked_unreachable(post: Post) -> None:
    async with post.db.transaction() as session:
        province = await build_province(session, post.clock())
        await bind_account(session, province.health_focal, "501", post.clock())
    post.telegram.person(501).blocked = True
    await post.queue("a", "501", "Một")
    await post.dispatcher.drain()
    assert (await post.states())["a"] == "failed"
    async with post.db.transaction() as session:
        account = await session.scalar(select(ChatAccount).where(ChatAccount.user_key == "501"))
        assert account is not None and account.unreachable_at is not None


async def test_the_standing_office_hears_once_who_blocked_the_bot(post: Post) -> None:
    now = post.clock()
    async with post.db.transaction() as session:
        province = await build_province(session, now)
        second = await directory.add_official(
            session, name="Lê Văn Cường", role="standing", unit_code="CA", title="", now=now
        )
        await session.execute(update(Official).values(locale="en"))
        await bind_account(session, province.health_focal, "501", now)
        await bind_account(session, province.standing, "900", now)
        await bind_account(session, second.id or 0, "901", now)
    lan = post.telegram.person(501)
    office = [post.telegram.person(900), post.telegram.person(901)]
    lan.blocked = True
    for key in ("a", "b", "c"):
        await post.queue(key, "501", "Nhắc việc")
    await post.dispatcher.drain()
    await post.queue("d", "501", "Nhắc việc")  # the next day's reminder meets the block again
    await post.dispatcher.drain()
    states = await post.states()
    assert [states[k] for k in "abcd"] == ["failed"] * 4
    for officer in office:
        [notice] = officer.messages
        assert "Nguyễn Thị Lan" in (notice.text or "") and "Sở Y tế" in (notice.text or "")
        assert "blocked" in (notice.text or "")


async def test_a_standing_officer_who_blocked_the_bot_is_reported_to_the_others(
    post: Post,
) -> None:
    now = post.clock()
    async with post.db.transaction() as session:
        province = await build_province(session, now)
        second = await directory.add_official(
            session, name="Lê Văn Cường", role="standing", unit_code="CA", title="", now=now
        )
        await bind_account(session, province.standing, "900", now)
        await bind_account(session, second.id or 0, "901", now)
    viet, cuong = post.telegram.person(900), post.telegram.person(901)
    viet.blocked = True
    await post.queue("a", "900", "Nhắc việc")
    await post.dispatcher.drain()
    await post.dispatcher.drain()
    assert viet.messages == []
    [notice] = cuong.messages
    assert "Đặng Quốc Việt" in (notice.text or "")


async def test_a_long_digest_arrives_in_parts_with_the_buttons_on_the_last(post: Post) -> None:
    lan = post.telegram.person(501)
    paragraphs = [f"Đơn vị {n}: " + "đã triển khai " * 20 for n in range(30)]
    digest = "\n\n".join(paragraphs)
    assert 8500 < len(digest) < 9500
    buttons = ((Choice("Đã nhận", "ack:1"),),)
    await post.queue("digest", "501", digest, choices=buttons)
    await post.dispatcher.drain()
    assert len(lan.messages) == 3
    assert all(len(m.text or "") <= 4096 for m in lan.messages)
    assert "\n\n".join(m.text or "" for m in lan.messages) == digest  # cut between paragraphs
    assert [m.button_texts for m in lan.messages] == [[], [], ["Đã nhận"]]
    assert (await post.states())["digest"] == "sent"


async def test_a_long_text_interrupted_by_an_error_resumes_where_it_stopped(post: Post) -> None:
    lan = post.telegram.person(501)
    text = "\n".join(f"Dòng {n}: " + "x" * 90 for n in range(100))  # lines, no paragraphs
    arrived = lan.record_sent

    def first_part_then_a_server_error(message: Any) -> None:
        arrived(message)
        if len(lan.messages) == 1:
            post.telegram.fail_next("sendMessage", status=502)

    lan.record_sent = first_part_then_a_server_error  # type: ignore[method-assign]
    await post.queue("long", "501", text)
    await post.dispatcher.drain()  # the second part fails
    assert len(lan.messages) == 1 and (await post.states())["long"] == "pending"
    post.clock.advance(minutes=5)
    await post.dispatcher.drain()
    assert "\n".join(m.text or "" for m in lan.messages) == text  # nothing twice, nothing lost
    assert len(lan.messages) == 3


async def test_two_dispatchers_share_one_outbox_and_send_each_message_once(
    post: Post, clock: FakeClock
) -> None:
    people = [post.telegram.person(1000 + n) for n in range(300)]
    async with post.db.transaction() as session:
        await outbox.enqueue_many(
            session,
            [
                outbox.Envelope(f"m{p.user_id}", "telegram", str(p.user_id), Outbound("Tin"))
                for p in people
            ],
            clock(),
        )
    second_db = Database(post.url)
    application = build_application("123:ABC", post.telegram.base_url, post.telegram.base_file_url)
    await application.initialize()
    settings = test_settings(post.url)
    first = Dispatcher(post.db, {"telegram": post.channel}, clock, settings, limiters={}, batch=20)
    second = Dispatcher(
        second_db,
        {"telegram": TelegramChannel(application)},
        clock,
        settings,
        limiters={},
        batch=20,
    )
    try:
        handled = await asyncio.gather(first.drain(), second.drain())
    finally:
        await application.shutdown()
        await second_db.dispose()
    assert sum(handled) == 300 and min(handled) > 0  # both took part
    assert all(len(p.messages) == 1 for p in people)
    assert set((await post.states()).values()) == {"sent"}


async def test_two_dispatchers_keep_each_chats_messages_in_order(
    post: Post, clock: FakeClock
) -> None:
    people = [post.telegram.person(2000 + n) for n in range(3)]
    post.telegram.send_delay = 0.02  # sends overlap the other dispatcher's claims
    async with post.db.transaction() as session:
        await outbox.enqueue_many(
            session,
            [
                outbox.Envelope(f"m{p.user_id}:{n}", "telegram", str(p.user_id), Outbound(f"{n}"))
                for n in range(30)
                for p in people
            ],
            clock(),
        )
    second_db = Database(post.url)
    application = build_application("123:ABC", post.telegram.base_url, post.telegram.base_file_url)
    await application.initialize()
    settings = test_settings(post.url)
    dispatchers = [
        Dispatcher(post.db, {"telegram": post.channel}, clock, settings, limiters={}, per_chat=2),
        Dispatcher(
            second_db,
            {"telegram": TelegramChannel(application)},
            clock,
            settings,
            limiters={},
            per_chat=2,
        ),
    ]
    try:
        for _ in range(40):  # until both find nothing more
            if not sum(await asyncio.gather(*(d.drain() for d in dispatchers))):
                break
    finally:
        await application.shutdown()
        await second_db.dispose()
    for person in people:
        assert [m.text for m in person.messages] == [str(n) for n in range(30)]


async def test_a_second_instance_leaves_alone_what_a_live_one_is_sending(
    post: Post, clock: FakeClock
) -> None:
    post.dispatcher.limiters = telegram_limits(overall_per_second=2)  # 500 ms between sends
    people = [post.telegram.person(800 + n) for n in range(20)]
    for person in people:
        await post.queue(f"m{person.user_id}", str(person.user_id), "Tin")
    stop = asyncio.Event()
    running = asyncio.create_task(post.dispatcher.run(stop))
    await post.telegram.wait_until(lambda: len(post.telegram.sent) >= 1)
    second = Dispatcher(post.db, {"telegram": post.channel}, clock, test_settings(post.url))
    assert await second.recover() == 0  # starting up, it takes nothing from the live one
    clock.advance(seconds=30)
    await asyncio.sleep(1.0)  # the live dispatcher renews its holds on its next round
    clock.advance(seconds=40)  # 70 s after the claim, 40 s after the renewal
    assert await second.recover() == 0
    stop.set()
    await asyncio.wait_for(running, timeout=30)
    await post.dispatcher.drain()
    assert all(len(p.messages) == 1 for p in people)  # each once: nothing taken back, resent


async def test_a_hold_not_renewed_within_the_lease_is_taken_back(post: Post) -> None:
    lan = post.telegram.person(501)
    await post.queue("a", "501", "Một")
    async with post.db.transaction() as session:
        await session.execute(
            update(OutboxMessage).values(state="sending", claimed_at=post.clock())
        )
    post.clock.advance(seconds=59)
    assert await post.dispatcher.recover() == 0  # the default lease is 60 s
    post.clock.advance(seconds=2)
    assert await post.dispatcher.recover() == 1
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Một"]


async def test_stopping_finishes_sends_in_flight_and_requeues_the_rest(post: Post) -> None:
    post.dispatcher.limiters = telegram_limits(overall_per_second=5)  # 200 ms between sends
    people = [post.telegram.person(700 + n) for n in range(40)]
    for person in people:
        await post.queue(f"m{person.user_id}", str(person.user_id), "Tin")
    stop = asyncio.Event()
    running = asyncio.create_task(post.dispatcher.run(stop))
    await post.telegram.wait_until(lambda: len(post.telegram.sent) >= 5)
    stop.set()
    await asyncio.wait_for(running, timeout=10)
    states = list((await post.states()).values())
    assert "sending" not in states
    assert states.count("sent") == len(post.telegram.sent) < 40  # recorded as delivered
    await post.dispatcher.drain()
    assert all(len(p.messages) == 1 for p in people)  # the rest once, nothing twice


class MigratingTelegram:
    """A tiny Bot API that has moved group chat -100 to supergroup -1001100."""

    OLD, NEW = -100, -1_001_100

    def __init__(self) -> None:
        self.received: list[tuple[int, str]] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._answer)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}/bot"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _answer(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        form = await request.post()
        if method == "getme":
            bot = {"id": 1, "is_bot": True, "first_name": "Roviec", "username": "roviec_bot"}
            return web.json_response({"ok": True, "result": bot})
        chat_id = int(str(form["chat_id"]))
        if chat_id == self.OLD:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": self.NEW},
                },
                status=400,
            )
        self.received.append((chat_id, str(form["text"])))
        chat = {"id": chat_id, "type": "supergroup", "title": "Tổ công tác Đề án 06"}
        message = {"message_id": len(self.received), "date": 0, "chat": chat, "text": form["text"]}
        return web.json_response({"ok": True, "result": message})


async def test_a_group_that_became_a_supergroup_is_followed_to_its_new_id(
    post: Post, clock: FakeClock
) -> None:
    moved = MigratingTelegram()
    await moved.start()
    application = build_application("123:ABC", moved.base_url, moved.base_url)
    await application.initialize()
    dispatcher = Dispatcher(
        post.db,
        {"telegram": TelegramChannel(application)},
        clock,
        test_settings(post.url),
        limiters=telegram_limits(),
    )
    try:
        async with post.db.transaction() as session:
            province = await build_province(session, clock())
            await bind_account(session, province.health_head, "501", clock())
            await session.execute(update(ChatAccount).values(chat_key=str(moved.OLD)))
        await post.queue("a", str(moved.OLD), "Một")
        await post.queue("b", str(moved.OLD), "Hai")
        await dispatcher.drain()
    finally:
        await application.shutdown()
        await moved.stop()
    assert moved.received == [(moved.NEW, "Một"), (moved.NEW, "Hai")]
    assert (await post.row("a")).chat_key == (await post.row("b")).chat_key == str(moved.NEW)
    assert set((await post.states()).values()) == {"sent"}
    async with post.db.transaction() as session:
        account = await session.scalar(select(ChatAccount))
        assert account is not None and account.chat_key == str(moved.NEW)


async def test_messages_left_in_flight_by_a_crash_are_sent_after_restart(post: Post) -> None:
    lan = post.telegram.person(501)
    await post.queue("a", "501", "Một")
    async with post.db.transaction() as session:
        await session.execute(update(OutboxMessage).values(state="sending"))
    await post.dispatcher.drain()
    assert lan.messages == []  # claimed by the crashed process: not ours to send
    assert await post.dispatcher.recover() == 1
    await post.dispatcher.drain()
    assert [m.text for m in lan.messages] == ["Một"]


async def test_the_instances_alive_share_the_send_limits(post: Post) -> None:
    async with post.db.transaction() as session:
        await instances.beat(session, "other-host:4242", post.clock(), post.clock())
    limiter = post.dispatcher.limiters["telegram"]

    await post.dispatcher.recover()
    assert limiter.instances == 2  # this one (not yet beating) and the other

    post.clock.advance(minutes=2)  # the other has stopped beating
    await post.dispatcher.recover()
    assert limiter.instances == 1
