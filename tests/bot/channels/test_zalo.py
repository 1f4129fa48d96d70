"""The Zalo adapters against the fake Zalo servers: rendering, parsing, refusals, tokens."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.channels.base import Attachment, Choice, Delivery, Outbound
from bot.channels.zalo import (
    BLOCKED,
    CHOICES,
    DEFER_UNTIL,
    OUTSIDE_WINDOW,
    REFRESH,
    TOKEN_REJECTED,
    ZALO_MESSAGE_ID,
    MemoryTokenStore,
    OACheck,
    OAToken,
    ZaloBotChannel,
    ZaloBotClient,
    ZaloOAChannel,
    ZaloOAClient,
    ZaloOAError,
    check_oa_webhook,
    classify_oa_error,
    derive_bot_update_key,
    hash_to_key,
    parse_event,
    parse_update,
    poll_updates,
    sign_oa_event,
    unwrap,
    verify_bot_secret,
)
from tests.fakes.zalo_bot_api import TOKEN, FakeZaloBot
from tests.fakes.zalo_bot_people import ZaloBotPerson
from tests.fakes.zalo_http import FileHost
from tests.fakes.zalo_oa_api import APP_ID, SECRET_KEY, FakeZaloOA
from tests.fakes.zalo_oa_followers import Follower

STATUS = (
    (Choice("Chưa thực hiện", "s:7:n"), Choice("Đang thực hiện", "s:7:p")),
    (Choice("Hoàn thành", "s:7:d"),),
)


@pytest.fixture
async def files() -> AsyncIterator[FileHost]:
    """Where roviec's files are served for Zalo to fetch."""
    async with FileHost() as host:
        yield host


@pytest.fixture
async def zalo_bot(files: FileHost) -> AsyncIterator[tuple[FakeZaloBot, ZaloBotChannel]]:
    """The fake Zalo Bot API and the adapter pointed at it."""
    async with FakeZaloBot() as fake, ZaloBotClient(TOKEN, fake.base_url) as client:
        yield fake, ZaloBotChannel(client, publish=files.publish)


async def _written(fake: FakeZaloBot, name: str = "Lan") -> ZaloBotPerson:
    """Someone who has written to the bot (before that, the bot cannot reach them)."""
    person = fake.person(name)
    await person.send("/start")
    return person


# --- Zalo Bot Platform -----------------------------------------------------------------------


async def test_choices_become_numbered_lines_on_the_zalo_bot(zalo_bot) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)
    delivery = await channel.deliver(lan.user_id, Outbound("Trạng thái?", STATUS))
    assert delivery.ok
    assert lan.last.text == (
        "Trạng thái?\n  1. Chưa thực hiện\n  2. Đang thực hiện\n  3. Hoàn thành"
    )
    assert delivery.extra[CHOICES] == ["s:7:n", "s:7:p", "s:7:d"]
    assert delivery.message_id == hash_to_key(delivery.extra[ZALO_MESSAGE_ID])
    assert delivery.extra[ZALO_MESSAGE_ID] == lan.last.message_id


async def test_text_over_2000_characters_goes_out_in_parts(zalo_bot) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)
    paragraphs = "\n\n".join(f"Đơn vị {n}: " + "tiến độ " * 60 for n in range(12))
    assert channel.max_text == 2000 and len(paragraphs) > 4000
    delivery = await channel.deliver(lan.user_id, Outbound(paragraphs, STATUS))
    assert delivery.ok and len(lan.messages) >= 3
    assert all(len(text or "") <= 2000 for text in lan.texts)
    assert (lan.texts[-1] or "").endswith("3. Hoàn thành")  # the numbers come last


async def test_a_chart_is_published_and_zalo_fetches_it(zalo_bot, files: FileHost) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)
    chart = b"\x89PNG\r\n\x1a\n weekly"
    delivery = await channel.deliver(lan.user_id, Outbound("Tuần 23", photo=chart))
    assert delivery.ok and (lan.last.kind, lan.last.photo, lan.last.text) == (
        "photo",
        chart,
        "Tuần 23",
    )
    assert files.downloads  # Zalo itself came for the picture


async def test_a_document_goes_as_a_link_and_without_a_publisher_it_fails_for_good(
    zalo_bot,
) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)
    export = Outbound("Bảng theo dõi", document=b"PK\x03\x04", document_name="theo_doi.xlsx")
    assert (await channel.deliver(lan.user_id, export)).ok
    assert "Bảng theo dõi\n📎 theo_doi.xlsx: http://127.0.0.1:" in (lan.last.text or "")

    bare = ZaloBotChannel(channel.client)
    refused = await bare.deliver(lan.user_id, Outbound("Biểu đồ", photo=b"\x89PNG"))
    assert refused.permanent and not refused.extra.get(BLOCKED)


async def test_without_a_publisher_the_text_goes_with_the_notice_instead_of_the_file(
    zalo_bot,
) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)
    notice = "📎 Tệp đính kèm chưa gửi được qua Zalo."
    bare = ZaloBotChannel(channel.client, unsendable=notice)
    chart = await bare.deliver(lan.user_id, Outbound("Biểu đồ tuần", photo=b"\x89PNG"))
    assert chart.ok and (lan.last.kind, lan.last.text) == ("text", f"Biểu đồ tuần\n{notice}")
    export = Outbound("Bảng theo dõi", document=b"PK\x03\x04", document_name="theo_doi.xlsx")
    assert (await bare.deliver(lan.user_id, export)).ok
    assert lan.last.text == f"Bảng theo dõi\n{notice}"
    telegram_file = Outbound("Chỉ đạo", file=Attachment("document", "BQACAgIAAx", "cv.pdf"))
    assert (await channel.deliver(lan.user_id, telegram_file)).permanent  # no notice: refused
    assert (await bare.deliver(lan.user_id, telegram_file)).ok
    assert lan.last.text == f"Chỉ đạo\n{notice}" and not fake.requests("sendPhoto")


async def test_a_photo_someone_sent_is_sent_again_by_its_url(zalo_bot, files: FileHost) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)
    url = await files.publish(b"\xff\xd8 bien ban", "bien_ban.jpg")
    stored = Outbound.from_payload(Outbound("Kèm theo", file=Attachment("photo", url)).to_payload())
    assert (await channel.deliver(lan.user_id, stored)).ok
    assert (lan.last.photo, lan.last.text) == (b"\xff\xd8 bien ban", "Kèm theo")


async def test_a_picture_zalo_cannot_fetch_fails_without_blaming_the_chat(
    zalo_bot, files: FileHost
) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)
    expired = Outbound("Ảnh cũ", file=Attachment("photo", files.missing("expired.jpg")))
    delivery = await channel.deliver(lan.user_id, expired)
    assert delivery.permanent and not delivery.extra.get(BLOCKED)
    assert (await channel.deliver(lan.user_id, Outbound("Vẫn liên lạc được"))).ok


async def test_zalo_bot_refusals_are_classified_for_the_dispatcher(zalo_bot) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)

    async def send() -> Delivery:
        return await channel.deliver(lan.user_id, Outbound("Nhắc hạn"))

    fake.fail_next("sendMessage", 429)
    slow_down = await send()
    assert slow_down.throttled and slow_down.retry_after and not slow_down.permanent
    for status in (403, 408, 500, 502):
        fake.fail_next("sendMessage", status)
        transient = await send()
        assert not transient.ok and not transient.permanent and not transient.throttled, status
    fake.fail_next("sendMessage", 404)
    gone = await send()
    assert gone.permanent and gone.extra[BLOCKED]
    unknown = await channel.deliver("ffff0000", Outbound("Ai đây?"))
    assert unknown.permanent and unknown.extra[BLOCKED]  # 400 for a chat: unreachable
    fake.reset_token()
    token = await send()
    assert token.permanent and token.extra[TOKEN_REJECTED] and not token.extra.get(BLOCKED)
    assert "new token" in (token.error or "")


async def test_an_unreachable_server_is_transient() -> None:
    async with FakeZaloBot() as fake:
        url = fake.base_url
    async with ZaloBotClient(TOKEN, url, timeout=2) as client:
        delivery = await ZaloBotChannel(client).deliver("abc", Outbound("Alo"))
    assert not delivery.ok and not delivery.permanent


async def test_the_token_never_reaches_a_log(zalo_bot, caplog: pytest.LogCaptureFixture) -> None:
    fake, channel = zalo_bot
    lan = await _written(fake)
    caplog.set_level(logging.DEBUG)
    # httpx's own level too: a Telegram application built earlier in this process set it to
    # WARNING (bot.channels.telegram.build_application), which hid the request log.
    caplog.set_level(logging.DEBUG, logger="httpx")
    await channel.deliver(lan.user_id, Outbound("Chào"))
    fake.fail_next("getUpdates", 502)
    stop = asyncio.Event()
    loop = asyncio.create_task(poll_updates(channel.client, lambda u: asyncio.sleep(0), stop, 0))
    await fake.wait_until(lambda: "getUpdates failed" in caplog.text)
    stop.set()
    await asyncio.wait_for(loop, 5)
    secret = TOKEN.split(":")[1]
    assert "HTTP Request: POST" in caplog.text and "/bot***/sendMessage" in caplog.text
    assert secret not in caplog.text and secret not in repr(channel.client)


async def test_the_poll_loop_stores_each_update_as_it_comes(zalo_bot) -> None:
    fake, channel = zalo_bot
    stored: list[dict[str, object]] = []

    async def store(update: dict[str, object]) -> None:
        stored.append(update)

    stop = asyncio.Event()
    loop = asyncio.create_task(poll_updates(channel.client, store, stop, timeout=1))
    lan = fake.person("Lan")
    await lan.send("/nhiemvu")
    await lan.send_photo("https://cdn.zalo.example/a.jpg", "Ảnh hiện trường")
    await fake.wait_until(lambda: len(stored) == 2)
    stop.set()
    await asyncio.wait_for(loop, 5)
    inbound = [channel.parse(update) for update in stored]
    assert [i.text for i in inbound if i] == ["/nhiemvu", "Ảnh hiện trường"]
    assert inbound[1] is not None and inbound[1].attachments == (
        Attachment("photo", "https://cdn.zalo.example/a.jpg"),
    )


async def test_an_update_is_kept_until_the_inbox_takes_it(zalo_bot) -> None:
    fake, channel = zalo_bot
    attempts: list[str] = []

    async def flaky_store(update: dict[str, Any]) -> None:
        attempts.append(update["message"]["text"])
        if len(attempts) == 1:
            raise OSError("database is locked")

    stop = asyncio.Event()
    loop = asyncio.create_task(poll_updates(channel.client, flaky_store, stop, timeout=1))
    await fake.person("Lan").send("Báo cáo xong")
    await fake.wait_until(lambda: len(attempts) == 2)
    stop.set()
    await asyncio.wait_for(loop, 5)
    assert attempts == ["Báo cáo xong", "Báo cáo xong"]  # Zalo had forgotten it already


def test_a_replayed_update_has_the_same_key_in_either_envelope() -> None:
    message = {
        "message_id": "2f1a9c07e1d34b5b",
        "date": 1718000000000,
        "chat": {"id": "c0ffee", "chat_type": "PRIVATE"},
        "from": {"id": "c0ffee", "first_name": "Lan", "is_bot": False},
        "text": "75",
    }
    webhook = {"event_name": "message.text.received", "message": message}
    polled = {"ok": True, "result": webhook}
    first, second = parse_update(webhook), parse_update(polled)
    assert first is not None and first == second
    assert (first.channel, first.chat_key, first.user_key, first.text, first.display_name) == (
        "zalo_bot",
        "c0ffee",
        "c0ffee",
        "75",
        "Lan",
    )
    key = hash_to_key("2f1a9c07e1d34b5b")
    assert derive_bot_update_key(unwrap(polled) or {}) == first.update_key == key
    assert 0 <= first.update_key < 2**63


def test_stickers_and_unsupported_messages_have_no_text_and_names_come_from_any_field() -> None:
    base = {"message_id": "01", "chat": {"id": "c1"}, "from": {"id": "u1", "name": "Minh"}}
    sticker = parse_update({"event_name": "message.sticker.received", "message": base})
    assert sticker is not None and sticker.text is None and sticker.display_name == "Minh"
    empty = parse_update({"event_name": "message.unsupported.received", "message": base})
    assert empty is not None and empty.text is None and empty.attachments == ()
    assert parse_update({"ok": True, "result": {}}) is None


# --- Zalo Official Account -------------------------------------------------------------------


@pytest.fixture
async def zalo_oa(files: FileHost) -> AsyncIterator[tuple[FakeZaloOA, ZaloOAChannel]]:
    """The fake OA and the adapter with tokens as the operator got them."""
    async with FakeZaloOA() as fake:

        def clock() -> datetime:
            return datetime.fromtimestamp(fake.now(), UTC)

        async with ZaloOAClient(fake.base_url, fake.base_url, clock=clock) as client:
            issued = fake.issue_tokens()
            token = OAToken(
                issued["access_token"], issued["refresh_token"], clock() + timedelta(hours=25)
            )
            channel = ZaloOAChannel(
                client,
                MemoryTokenStore(token),
                app_id=APP_ID,
                secret_key=SECRET_KEY,
                publish=files.publish,
                clock=clock,
            )
            yield fake, channel


async def _follower(fake: FakeZaloOA, name: str = "Lan") -> Follower:
    person = fake.follower(name)
    await person.send("Xin chào")
    return person


async def test_up_to_5_choices_are_buttons_and_numbered_lines(zalo_oa) -> None:
    fake, channel = zalo_oa
    lan = await _follower(fake)
    delivery = await channel.deliver(lan.user_id, Outbound("Trạng thái?", STATUS))
    assert delivery.ok and lan.last.kind == "buttons"
    assert lan.last.button_titles == ["Chưa thực hiện", "Đang thực hiện", "Hoàn thành"]
    assert "  2. Đang thực hiện" in (lan.last.text or "")  # Zalo desktop shows no buttons
    assert delivery.extra[CHOICES] == ["s:7:n", "s:7:p", "s:7:d"]

    tap = channel.parse(await lan.tap("Hoàn thành"))
    assert tap is not None and (tap.payload, tap.text, tap.is_button) == ("s:7:d", None, True)
    typed = channel.parse(await lan.send("3"))
    assert typed is not None and (typed.text, typed.payload) == ("3", None)


async def test_more_than_5_choices_are_numbered_lines_only(zalo_oa) -> None:
    fake, channel = zalo_oa
    lan = await _follower(fake)
    units = tuple((Choice(f"Sở {n}", f"u:{n}"),) for n in range(1, 8))
    assert (await channel.deliver(lan.user_id, Outbound("Đơn vị?", units))).ok
    assert lan.last.kind == "text" and "  7. Sở 7" in (lan.last.text or "")


async def test_an_expired_access_token_is_refreshed_once_for_concurrent_sends(zalo_oa) -> None:
    fake, channel = zalo_oa
    people = [await _follower(fake, name) for name in ("Lan", "Minh", "Hà")]
    first = await channel.tokens.load()
    fake.advance(26 * 3600)
    deliveries = await asyncio.gather(
        *(channel.deliver(p.user_id, Outbound("Nhắc hạn T-3")) for p in people)
    )
    assert all(d.ok for d in deliveries)
    assert len(fake.refreshes) == 1  # one refresh for all three sends
    renewed = await channel.tokens.load()
    assert renewed.refresh_token != first.refresh_token
    assert renewed.expires_at > datetime.fromtimestamp(fake.now(), UTC)


async def test_a_token_zalo_calls_invalid_is_refreshed_and_the_send_retried_once(zalo_oa) -> None:
    fake, channel = zalo_oa
    lan = await _follower(fake)
    fake.fail_next(-216)
    assert (await channel.deliver(lan.user_id, Outbound("Lần 1"))).ok
    assert len(fake.refreshes) == 1 and [m.text for m in lan.messages] == ["Lần 1"]

    fake.fail_next(-216, times=2)
    twice = await channel.deliver(lan.user_id, Outbound("Lần 2"))
    assert not twice.ok and not twice.permanent and twice.extra[REFRESH]
    assert len(fake.refreshes) == 2  # retried once, not in a loop


async def test_a_spent_refresh_token_stops_sending_and_says_why(zalo_oa) -> None:
    fake, channel = zalo_oa
    lan = await _follower(fake)
    stale = await channel.tokens.load()
    await channel.refresh(stale)  # rotates: stale.refresh_token is now spent
    assert isinstance(channel.tokens, MemoryTokenStore)
    await channel.tokens.save(stale)  # as if the new tokens had been lost
    fake.advance(26 * 3600)
    delivery = await channel.deliver(lan.user_id, Outbound("Chào"))
    assert delivery.permanent and delivery.extra[TOKEN_REJECTED]
    assert "authorize the OA again" in (delivery.error or "")


async def test_oa_refusals_are_classified_for_the_dispatcher(zalo_oa) -> None:
    fake, channel = zalo_oa
    lan = await _follower(fake)
    fake.fail_next(-32)
    slow = await channel.deliver(lan.user_id, Outbound("a"))
    assert slow.throttled and slow.retry_after == 60
    fake.fail_next(-211)
    quota = await channel.deliver(lan.user_id, Outbound("a"))
    assert quota.throttled and (quota.retry_after or 0) >= 3600
    fake.fail_next(-230)
    window = await channel.deliver(lan.user_id, Outbound("a"))
    # Held until the follower writes: neither a failure nor a block.
    assert window.held and not window.permanent
    assert window.extra[OUTSIDE_WINDOW] and not window.extra.get(BLOCKED)
    fake.advance(8 * 86_400)
    late = await channel.deliver(lan.user_id, Outbound("a"))
    assert late.extra.get(OUTSIDE_WINDOW)


def test_a_message_refused_at_night_waits_for_6_in_the_morning() -> None:
    night = datetime(2025, 3, 3, 16, 0, tzinfo=UTC)  # 23:00 in Hà Nội
    deferred = classify_oa_error(ZaloOAError(-234, "not at this hour"), night)
    assert deferred.retry_after == 7 * 3600 and not deferred.permanent
    assert deferred.extra[DEFER_UNTIL] == "2025-03-04T06:00:00+07:00"
    early = classify_oa_error(ZaloOAError(-133, ""), datetime(2025, 3, 3, 22, 30, tzinfo=UTC))
    assert early.retry_after == 30 * 60  # 05:30 → 06:00 the same morning


async def test_a_picture_with_buttons_goes_first_and_the_buttons_follow(
    zalo_oa, files: FileHost
) -> None:
    fake, channel = zalo_oa
    lan = await _follower(fake)
    chart = b"\x89PNG digest"
    message = Outbound("Tổng hợp tuần", ((Choice("Chi tiết", "d:1"),),), photo=chart)
    assert (await channel.deliver(lan.user_id, message)).ok
    picture, text = lan.messages[-2:]
    assert (picture.kind, picture.image, picture.text) == ("image", chart, None)
    assert (text.kind, text.button_titles) == ("buttons", ["Chi tiết"])


def test_oa_events_become_inbounds_and_the_oas_own_sends_do_not() -> None:
    def event(name: str, **content: object) -> dict[str, object]:
        return {"event_name": name, "timestamp": "1718000000000", "app_id": APP_ID, **content}

    lan = {"sender": {"id": "84123"}, "recipient": {"id": "oa"}}
    url = "https://cdn.zalo.example/i.jpg"
    picture = {"type": "image", "payload": {"url": url}}
    report = {"type": "file", "payload": {"url": "https://cdn.zalo.example/f", "name": "bc.pdf"}}
    image = parse_event(
        event("user_send_image", **lan, message={"msg_id": "a1", "attachments": [picture]})
    )
    assert image is not None and image.attachments == (Attachment("photo", url),)
    file = parse_event(
        event("user_send_file", **lan, message={"msg_id": "a2", "attachments": [report]})
    )
    assert file is not None and file.attachments[0].name == "bc.pdf"
    follow = parse_event(event("follow", follower={"id": "84123"}))
    assert follow is not None and (follow.text, follow.chat_key, follow.channel) == (
        "/start",
        "84123",
        "zalo_oa",
    )
    assert parse_event(event("unfollow", follower={"id": "84123"})) is None
    assert parse_event(event("oa_send_text", **lan, message={"msg_id": "b1", "text": "x"})) is None
    again = parse_event(
        event("user_send_image", **lan, message={"msg_id": "a1", "attachments": []})
    )
    assert again is not None and again.update_key == image.update_key  # a retried POST dedupes


def test_webhook_checks_refuse_what_does_not_match() -> None:
    body = b'{"event_name":"user_send_text","timestamp":"1718000000000"}'
    mac = sign_oa_event(APP_ID, body, "1718000000000", "oa-key")
    for headers in ({"X-ZEvent-Signature": f"mac={mac}"}, {"x-zevent-signature": mac.upper()}):
        assert check_oa_webhook(body, headers, app_id=APP_ID, secret_key="oa-key") is OACheck.ACCEPT
    tampered = body.replace(b"user_send_text", b"user_send_file")
    signed = {"X-ZEvent-Signature": f"mac={mac}"}
    assert check_oa_webhook(tampered, signed, app_id=APP_ID, secret_key="oa-key") is OACheck.FORGED
    assert check_oa_webhook(body, signed, app_id=APP_ID, secret_key="") is OACheck.FORGED
    assert check_oa_webhook(body, {}, app_id=APP_ID, secret_key="oa-key") is OACheck.UNSIGNED
    assert verify_bot_secret("hook-secret-2025", "hook-secret-2025")
    assert not verify_bot_secret("hook-secret-2024", "hook-secret-2025")
    assert not verify_bot_secret(None, "hook-secret-2025") and not verify_bot_secret("", "")


async def test_an_oa_without_a_publisher_sends_the_caption_with_the_notice(zalo_oa) -> None:
    fake, channel = zalo_oa
    lan = await _follower(fake)
    channel.publish, channel.unsendable = None, "📎 Tệp đính kèm chưa gửi được qua Zalo."
    chart = Outbound("Biểu đồ tuần 47", photo=b"\x89PNG")
    assert (await channel.deliver(lan.user_id, chart)).ok
    assert (lan.last.kind, lan.last.text) == ("text", f"Biểu đồ tuần 47\n{channel.unsendable}")
