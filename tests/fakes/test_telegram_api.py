"""Tests of the fake Telegram Bot API server, driven by the real python-telegram-bot Bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
import warnings
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import (
    Bot as PtbBot,
)
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fakes.telegram_api import FakeTelegram, RateLimits

TOKEN = "123456:TEST-TOKEN"


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    """A started fake server."""
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(server: FakeTelegram) -> AsyncIterator[PtbBot]:
    """A real PTB Bot talking to the fake server."""
    async with PtbBot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as b:
        yield b


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (text, callback_data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def seconds(value: int | dtm.timedelta) -> float:
    """RetryAfter.retry_after as seconds, whichever type PTB returns."""
    return value.total_seconds() if isinstance(value, dtm.timedelta) else value


async def test_get_me(bot: PtbBot) -> None:
    assert bot.username == "roviec_bot"
    assert bot.id == 1000


async def test_text_reaches_get_updates(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(42, "Lan", language_code="vi")
    update_id = await person.send("/start abc")

    updates = await bot.get_updates(timeout=0)

    assert [u.update_id for u in updates] == [update_id]
    message = updates[0].message
    assert message is not None
    assert message.text == "/start abc"
    assert message.chat.id == 42 and message.chat.type == "private"
    assert message.from_user is not None
    assert message.from_user.first_name == "Lan" and message.from_user.language_code == "vi"
    assert message.entities[0].type == "bot_command"
    assert message.parse_entity(message.entities[0]) == "/start"


async def test_offset_confirms_and_drops_updates(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(1)
    first = await person.send("one")
    second = await person.send("two")

    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates(offset=first + 1)] == [second]
    assert server.acknowledged_offset == first + 1
    assert await bot.get_updates(offset=second + 1) == ()
    assert server.pending_updates == []


async def test_long_poll_returns_when_update_arrives(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(7)
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    assert not poll.done()

    await person.send("hello")
    updates = await asyncio.wait_for(poll, 3)

    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert time.monotonic() - started < 3


async def test_long_poll_times_out_empty(server: FakeTelegram, bot: PtbBot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3


async def test_inline_keyboard_and_press(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(5, "Minh")
    sent = await bot.send_message(
        5, "Chọn", reply_markup=keyboard([("Có", "yes"), ("Không", "no")])
    )

    recorded = server.sent[-1]
    assert recorded is person.last
    assert (recorded.chat_id, recorded.message_id, recorded.text) == (5, sent.message_id, "Chọn")
    assert recorded.kind == "text" and not recorded.edited
    assert recorded.button_texts == ["Có", "Không"]
    assert recorded.buttons[0][1].callback_data == "no"
    assert sent.reply_markup is not None

    await person.press("Không")
    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None
    assert query.data == "no"
    assert query.from_user.id == 5
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.message.reply_markup == sent.reply_markup

    assert await query.answer("ok")
    assert person.callback_answers[0]["text"] == "ok"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer("twice")


async def test_press_unknown_button_fails(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(5)
    await bot.send_message(5, "x", reply_markup=keyboard([("A", "a")]))
    with pytest.raises(AssertionError, match="'B'"):
        await person.press("B")


async def test_press_data_forged(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(5)
    await person.press_data("task:999", message_id=12345)
    (update,) = await bot.get_updates()
    assert update.callback_query is not None
    assert update.callback_query.data == "task:999"


async def test_message_ids_shared_per_chat(server: FakeTelegram, bot: PtbBot) -> None:
    a, b = server.person(1), server.person(2)
    await a.send("hi")
    first = await bot.send_message(1, "reply")
    second = await bot.send_message(2, "other chat")
    incoming = (await bot.get_updates())[0].message
    assert incoming is not None
    assert (incoming.message_id, first.message_id, second.message_id) == (1, 2, 1)
    assert [m.text for m in a.messages] == ["reply"] and [m.text for m in b.messages] == [
        "other chat"
    ]


async def test_text_too_long(server: FakeTelegram, bot: PtbBot) -> None:
    server.person(1)
    await bot.send_message(1, "x" * 4096)
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(1, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)text is empty"):
        await bot.send_message(1, "   ")
    assert len(server.sent) == 1


async def test_callback_data_too_long(server: FakeTelegram, bot: PtbBot) -> None:
    server.person(1)
    await bot.send_message(1, "ok", reply_markup=keyboard([("a", "x" * 64)]))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1, "too", reply_markup=keyboard([("a", "x" * 65)]))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):  # 22 × 3 bytes
        await bot.send_message(1, "too", reply_markup=keyboard([("a", "ệ" * 22)]))


async def test_chat_not_found(server: FakeTelegram, bot: PtbBot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.send_message(999, "hello")


async def test_html_is_validated_and_rendered(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(1)
    await bot.send_message(1, "<b>Việc</b> &lt;1&gt; &amp; xong", parse_mode="HTML")
    assert person.last.text == "Việc <1> & xong"
    assert person.last.raw_text == "<b>Việc</b> &lt;1&gt; &amp; xong"
    with pytest.raises(BadRequest, match=r"(?i)parse entities"):
        await bot.send_message(1, "a < b", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)end tag"):
        await bot.send_message(1, "<b>open", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)reserved"):
        await bot.send_message(1, "Done.", parse_mode="MarkdownV2")


async def test_fail_next_retry_after(server: FakeTelegram, bot: PtbBot) -> None:
    server.person(1)
    server.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(1, "hi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert seconds(caught.value.retry_after) == 7
    assert server.too_many_requests == 1
    assert server.sent == []
    await bot.send_message(1, "hi")  # only the next call fails
    assert len(server.sent) == 1
    assert len(server.requests("sendMessage")) == 2


async def test_fail_next_forbidden_and_server_error(server: FakeTelegram, bot: PtbBot) -> None:
    server.person(1)
    server.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(1, "hi")
    server.fail_next("sendMessage", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(1, "hi")
    server.fail_next("sendMessage", status=400, description="Bad Request: custom")
    with pytest.raises(BadRequest, match=r"(?i)custom"):
        await bot.send_message(1, "hi")
    assert server.sent == []


async def test_fail_after_recording(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(1)
    server.fail_next("sendMessage", status=500, after_recording=True)
    with pytest.raises(NetworkError):
        await bot.send_message(1, "delivered anyway")
    assert [m.text for m in person.messages] == ["delivered anyway"]


async def test_blocked_person(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(1)
    person.blocked = True
    with pytest.raises(Forbidden):
        await bot.send_message(1, "hi")
    await person.send("/start")  # writing to the bot unblocks it
    await bot.send_message(1, "hi")


async def test_edit_message_text(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(3)
    sent = await bot.send_message(3, "Đang xử lý", reply_markup=keyboard([("Huỷ", "cancel")]))
    person.mark()

    edited = await bot.edit_message_text("Xong", chat_id=3, message_id=sent.message_id)

    assert edited.text == "Xong" and edited.edit_date is not None
    recorded = person.last
    assert (recorded.text, recorded.edited, recorded.buttons) == ("Xong", True, [])
    assert recorded.history[0][0] == "Đang xử lý"
    assert len(person.messages) == 1 and len(server.sent) == 1
    assert await person.wait_for_new(1) == [recorded]

    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("Xong", chat_id=3, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)to edit not found"):
        await bot.edit_message_text("Xong", chat_id=3, message_id=999)


async def test_edit_reply_markup(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(3)
    sent = await bot.send_message(3, "Chọn", reply_markup=keyboard([("A", "a")]))
    await bot.edit_message_reply_markup(3, sent.message_id, reply_markup=keyboard([("B", "b")]))
    assert person.last.button_texts == ["B"] and person.last.text == "Chọn"
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(3, sent.message_id, reply_markup=keyboard([("B", "b")]))


async def test_send_document_multipart(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(9)
    message = await bot.send_document(
        9, b"%PDF-1.4 fake", filename="bao-cao.pdf", caption="Báo cáo tuần"
    )

    recorded = person.last
    assert recorded.kind == "document"
    assert recorded.text == "Báo cáo tuần"
    assert recorded.file_name == "bao-cao.pdf"
    assert recorded.upload is not None and recorded.upload.data == b"%PDF-1.4 fake"
    assert message.document is not None and message.document.file_name == "bao-cao.pdf"
    assert message.caption == "Báo cáo tuần"
    assert server.requests("sendDocument")[0]["chat_id"] == 9

    photo = await bot.send_photo(9, b"\x89PNG fake", caption="x" * 1024)
    assert person.last.kind == "photo" and photo.photo
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(9, b"\x89PNG fake", caption="x" * 1025)


async def test_person_photo_and_document_updates(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(4)
    await person.send_photo("ph-1", caption="ảnh")
    await person.send_document("doc-9", "bang.xlsx")
    photo_update, doc_update = await bot.get_updates()
    assert photo_update.message is not None and doc_update.message is not None
    assert photo_update.message.photo[-1].file_id == "ph-1"
    assert photo_update.message.caption == "ảnh"
    assert doc_update.message.document is not None
    assert doc_update.message.document.file_name == "bang.xlsx"


async def test_set_my_commands_per_language(server: FakeTelegram, bot: PtbBot) -> None:
    server.person(1)
    await bot.set_my_commands([BotCommand("start", "Bắt đầu")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    await bot.set_my_commands([BotCommand("admin", "Admin")], scope=BotCommandScopeChat(1))

    assert server.commands[""] == [{"command": "start", "description": "Bắt đầu"}]
    assert server.commands["en"] == [{"command": "start", "description": "Start"}]
    assert [c.command for c in await bot.get_my_commands(language_code="en")] == ["start"]
    assert len(server.scoped_commands) == 1
    await bot.delete_my_commands(language_code="en")
    assert "en" not in server.commands
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Command", "x")])


async def test_a_chat_menu_is_what_the_person_sees_before_the_default(
    server: FakeTelegram, bot: PtbBot
) -> None:
    english = server.person(7, language_code="en")
    await bot.set_my_commands([BotCommand("start", "Bắt đầu")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    assert [c["command"] for c in server.menu_seen(english)] == ["start"]
    assert server.menu_seen(english)[0]["description"] == "Start"

    await bot.set_my_commands([BotCommand("baocao", "Report")], scope=BotCommandScopeChat(7))
    assert server.menu_of(7) == ["baocao"] and server.menu_of(7, "en") is None
    assert [c["command"] for c in server.menu_seen(english)] == ["baocao"]
    await bot.delete_my_commands(scope=BotCommandScopeChat(7))
    assert server.menu_of(7) is None
    assert [c["description"] for c in server.menu_seen(english)] == ["Start"]
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([BotCommand("baocao", "x")], scope=BotCommandScopeChat(99))


async def test_chat_action_and_unknown_method(server: FakeTelegram, bot: PtbBot) -> None:
    server.person(1)
    assert await bot.send_chat_action(1, "typing")
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.base_url}{TOKEN}/sendDice", data={"chat_id": "1"}) as response,
    ):
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found",
        }


async def test_rate_limits(bot: PtbBot, server: FakeTelegram) -> None:
    server.rate_limits = RateLimits(overall_per_second=30, per_chat_per_second=1.0)
    server.person(1)
    server.person(2)
    await bot.send_message(1, "a")
    await bot.send_message(2, "b")
    with pytest.raises(RetryAfter):
        await bot.send_message(1, "c")
    assert server.too_many_requests == 1


async def test_wait_helpers(server: FakeTelegram, bot: PtbBot) -> None:
    person = server.person(1)

    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(1, "one")
        await bot.send_message(1, "two")

    task = asyncio.create_task(reply_later())
    messages = await person.wait_for_messages(2)
    await task
    assert [m.text for m in messages] == ["one", "two"]
    person.mark()
    with pytest.raises(AssertionError, match="wanted 1"):
        await person.wait_for_new(1, timeout=0.1)
    await server.wait_until(lambda: len(server.sent) == 2, timeout=1)
    with pytest.raises(AssertionError, match="still false"):
        await server.wait_until(lambda: len(server.sent) == 3, timeout=0.1)


async def test_application_end_to_end(server: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await update.effective_chat.send_message("Xin chào", reply_markup=keyboard([("OK", "ok")]))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Đã chọn {query.data}")

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    person = server.person(77, "Hà")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await person.send("/start")
        (greeting,) = await person.wait_for_messages(1)
        assert greeting.text == "Xin chào"
        person.mark()
        await person.press("OK")
        (edited,) = await person.wait_for_new(1)
        assert edited.text == "Đã chọn ok" and edited.edited
        assert len(person.callback_answers) == 1
        await app.updater.stop()
        await app.stop()
    assert server.pending_updates == []


async def test_many_people_concurrently(server: FakeTelegram, bot: PtbBot) -> None:
    people = [server.person(10_000 + i) for i in range(200)]
    started = time.monotonic()
    await asyncio.gather(*(bot.send_message(p.chat_id, f"hi {p.user_id}") for p in people))
    assert len(server.sent) == 200 and all(len(p.messages) == 1 for p in people)

    url = f"{server.base_url}{TOKEN}/getUpdates"
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def poll() -> list[dict]:
            async with session.post(url, data={"timeout": "5"}) as response:
                return (await response.json())["result"]

        polls = [asyncio.create_task(poll()) for _ in range(300)]
        await asyncio.sleep(0.3)
        assert not any(p.done() for p in polls)
        await people[0].send("wake up")
        results = await asyncio.gather(*polls)
    assert all(len(result) == 1 for result in results)
    assert time.monotonic() - started < 10
