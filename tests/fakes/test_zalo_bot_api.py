"""The fake Zalo Bot API keeps Zalo's rules, driven by roviec's own client over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping

import httpx
import pytest

from bot.channels.zalo import (
    BOT_SECRET_HEADER,
    ZaloBotClient,
    ZaloBotError,
    parse_update,
    verify_bot_secret,
)
from tests.fakes.zalo_bot_api import TOKEN, Envelope, FakeZaloBot
from tests.fakes.zalo_http import FileHost, Receiver

SECRET = "hook-secret-2025"


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZaloBot]:
    """A started fake Zalo Bot API."""
    async with FakeZaloBot() as fake:
        yield fake


@pytest.fixture
async def client(zalo: FakeZaloBot) -> AsyncIterator[ZaloBotClient]:
    """roviec's client pointed at the fake."""
    async with ZaloBotClient(TOKEN, zalo.base_url) as bot:
        yield bot


@pytest.fixture
async def files() -> AsyncIterator[FileHost]:
    """Where pictures are served from, as roviec's signed file URLs would be."""
    async with FileHost() as host:
        yield host


async def test_the_bot_knows_itself_until_its_token_is_reset(
    zalo: FakeZaloBot, client: ZaloBotClient
) -> None:
    me = await client.get_me()
    assert me["id"] == TOKEN.split(":")[0]
    zalo.reset_token()
    with pytest.raises(ZaloBotError) as refused:
        await client.get_me()
    assert refused.value.status == 401


async def test_get_updates_hands_out_one_update_per_call_and_forgets_it(
    zalo: FakeZaloBot, client: ZaloBotClient
) -> None:
    lan, minh = zalo.person("Lan"), zalo.person("Minh")
    await lan.send("/nhiemvu")
    await minh.send("/baocao")
    await lan.send("2")

    texts = []
    for _ in range(3):
        update = await client.get_updates(timeout=0)
        assert update is not None
        texts.append(update["message"]["text"])
        assert len(zalo.pending_updates) == 3 - len(texts)  # gone once answered

    assert texts == ["/nhiemvu", "/baocao", "2"]
    assert await client.get_updates(timeout=0) is None
    assert zalo.pending_updates == []


async def test_an_empty_poll_waits_its_timeout_then_answers_408(zalo: FakeZaloBot) -> None:
    async with httpx.AsyncClient() as http:
        started = asyncio.get_running_loop().time()
        answer = await http.post(f"{zalo.base_url}/bot{TOKEN}/getUpdates", json={"timeout": 0.3})
        waited = asyncio.get_running_loop().time() - started
    assert answer.status_code == 408
    assert answer.json() == {"ok": False, "description": "Request timeout"}
    assert waited >= 0.25


async def test_a_long_poll_answers_as_soon_as_someone_writes(
    zalo: FakeZaloBot, client: ZaloBotClient
) -> None:
    lan = zalo.person("Lan")
    poll = asyncio.create_task(client.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    await lan.send("Xin chào")
    update = await asyncio.wait_for(poll, 2)
    assert update is not None and update["message"]["from"]["display_name"] == "Lan"


async def test_texts_are_1_to_2000_characters(zalo: FakeZaloBot, client: ZaloBotClient) -> None:
    lan = zalo.person("Lan")
    await lan.send("/start")
    await client.send_message(lan.user_id, "đ" * 2000)
    for text in ("", "đ" * 2001):
        with pytest.raises(ZaloBotError) as refused:
            await client.send_message(lan.user_id, text)
        assert refused.value.status == 400
    assert lan.texts == ["đ" * 2000]


async def test_the_bot_cannot_write_to_someone_who_never_wrote_to_it(
    zalo: FakeZaloBot, client: ZaloBotClient
) -> None:
    stranger = zalo.person("Người lạ")
    for chat_id in (stranger.user_id, "0123abcd"):
        with pytest.raises(ZaloBotError) as refused:
            await client.send_message(chat_id, "Chào")
        assert (refused.value.status, refused.value.description) == (400, "Chat not found")
    await stranger.send("Chào bot")
    await client.send_message(stranger.user_id, "Chào đồng chí")
    assert stranger.texts == ["Chào đồng chí"]


async def test_send_photo_fetches_the_url_itself(
    zalo: FakeZaloBot, client: ZaloBotClient, files: FileHost
) -> None:
    lan = zalo.person("Lan")
    await lan.send("/tonghop")
    chart = b"\x89PNG\r\n\x1a\n chart"
    url = await files.publish(chart, "chart.png")
    await client.send_photo(lan.user_id, url, "Biểu đồ tuần")
    assert (lan.last.kind, lan.last.photo, lan.last.text) == ("photo", chart, "Biểu đồ tuần")

    with pytest.raises(ZaloBotError) as refused:
        await client.send_photo(lan.user_id, files.missing())
    assert refused.value.status == 400
    assert len(lan.messages) == 1


async def test_set_webhook_wants_a_secret_of_8_to_256_characters(
    zalo: FakeZaloBot, client: ZaloBotClient
) -> None:
    for secret in ("short", "s" * 257):
        with pytest.raises(ZaloBotError) as refused:
            await client.set_webhook("https://roviec.example/zalo", secret)
        assert refused.value.status == 400
    assert await client.get_webhook_info() is None
    await client.set_webhook("https://roviec.example/zalo", "s" * 8)
    assert (await client.get_webhook_info() or {})["url"] == "https://roviec.example/zalo"


async def test_get_updates_is_refused_while_a_webhook_is_set(
    zalo: FakeZaloBot, client: ZaloBotClient
) -> None:
    await client.set_webhook("https://roviec.example/zalo", SECRET)
    with pytest.raises(ZaloBotError) as refused:
        await client.get_updates(timeout=0)
    assert refused.value.status == 400
    await client.delete_webhook()
    assert await client.get_webhook_info() is None
    assert await client.get_updates(timeout=0) is None


def _checking_secret(body: bytes, headers: Mapping[str, str]) -> int:
    """What roviec's webhook route does first: the secret header, in constant time."""
    return 200 if verify_bot_secret(headers.get(BOT_SECRET_HEADER), SECRET) else 401


@pytest.mark.parametrize("envelope", ["event", "result"])
async def test_each_update_is_posted_to_the_webhook_with_the_secret(envelope: Envelope) -> None:
    async with FakeZaloBot(envelope=envelope) as zalo, Receiver(_checking_secret) as hook:
        bot = ZaloBotClient(TOKEN, zalo.base_url)
        await bot.set_webhook(hook.url, SECRET)
        lan = zalo.person("Lan")
        await lan.send("/baocao")
        await lan.send_photo("https://cdn.zalo.example/p/1.jpg", "Biên bản")
        await zalo.wait_until(lambda: len(hook.accepted) == 2)
        await bot.aclose()

    bodies = [json.loads(body) for body in hook.accepted]
    assert ("result" in bodies[0]) is (envelope == "result")
    first, second = (parse_update(body) for body in bodies)
    assert first is not None and first.text == "/baocao" and first.display_name == "Lan"
    assert second is not None and second.attachments[0].file_id.endswith("/p/1.jpg")
    assert all(post.headers[BOT_SECRET_HEADER] == SECRET for post in zalo.webhook_posts)
    assert all(post.seconds is not None and post.seconds >= 0 for post in zalo.webhook_posts)


async def test_a_webhook_that_refuses_is_retried_then_the_update_is_lost() -> None:
    async with FakeZaloBot(webhook_retries=2) as zalo, Receiver(lambda b, h: 500) as hook:
        bot = ZaloBotClient(TOKEN, zalo.base_url)
        await bot.set_webhook(hook.url, SECRET)
        await zalo.person("Lan").send("Mất không?")
        await zalo.wait_until(lambda: len(zalo.dropped) == 1)
        await bot.aclose()
    assert [post.attempt for post in zalo.webhook_posts] == [1, 2, 3]
    assert zalo.pending_updates == []


async def test_injected_failures_answer_once_each(zalo: FakeZaloBot, client: ZaloBotClient) -> None:
    lan = zalo.person("Lan")
    await lan.send("/start")
    zalo.fail_next("sendMessage", 429)
    zalo.fail_next("sendMessage", 502)
    for status in (429, 502):
        with pytest.raises(ZaloBotError) as refused:
            await client.send_message(lan.user_id, "a")
        assert refused.value.status == status
    await client.send_message(lan.user_id, "a")
    assert lan.texts == ["a"]
    assert len(zalo.requests("sendMessage")) == 3


async def test_the_bots_own_messages_may_come_back_and_are_ignored() -> None:
    async with FakeZaloBot(echo_sends=True) as zalo:
        bot = ZaloBotClient(TOKEN, zalo.base_url)
        lan = zalo.person("Lan")
        await lan.send("/start")
        await bot.get_updates(timeout=0)
        await bot.send_message(lan.user_id, "Chào đồng chí")
        echo = await bot.get_updates(timeout=0)
        await bot.aclose()
    assert echo is not None and echo["message"]["from"]["is_bot"] is True
    assert parse_update(echo) is None


async def test_chat_actions(zalo: FakeZaloBot, client: ZaloBotClient) -> None:
    lan = zalo.person("Lan")
    await lan.send("/start")
    await client.send_chat_action(lan.user_id, "typing")
    with pytest.raises(ZaloBotError):
        await client.send_chat_action(lan.user_id, "dancing")


async def test_a_share_of_sends_is_refused_for_the_quota() -> None:
    async with FakeZaloBot(quota_fraction=0.3, seed=1) as zalo:
        bot = ZaloBotClient(TOKEN, zalo.base_url)
        lan = zalo.person("Lan")
        await lan.send("/start")
        refused = 0
        for n in range(200):
            try:
                await bot.send_message(lan.user_id, f"Tin {n}")
            except ZaloBotError as error:
                assert (error.status, error.description) == (429, "Quota exceeded")
                refused += 1
        await bot.get_me()  # only sends count against the quota
        await bot.aclose()
    assert refused == zalo.quota_refusals and 30 <= refused <= 90
    assert {body["chat_id"] for body in zalo.quota_refused} == {lan.user_id}
    assert len(lan.messages) == 200 - refused  # a refused send is not delivered


async def test_without_a_quota_fraction_no_send_is_refused(
    zalo: FakeZaloBot, client: ZaloBotClient
) -> None:
    lan = zalo.person("Lan")
    await lan.send("/start")
    for n in range(50):
        await client.send_message(lan.user_id, f"Tin {n}")
    assert zalo.quota_refusals == 0 and len(lan.messages) == 50
