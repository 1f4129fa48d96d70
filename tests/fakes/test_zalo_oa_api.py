"""The fake Zalo OA API and OAuth keep Zalo's rules, driven by roviec's own client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime

import pytest

from bot.channels.zalo import (
    OACheck,
    ZaloOAClient,
    ZaloOAError,
    check_oa_webhook,
    make_tap_text,
    parse_event,
    sign_oa_event,
)
from tests.fakes.zalo_http import FileHost, Receiver
from tests.fakes.zalo_oa_api import APP_ID, OA_SECRET_KEY, SECRET_KEY, FakeZaloOA, signature

DAY = 86_400


@pytest.fixture
async def oa() -> AsyncIterator[FakeZaloOA]:
    """A started fake OA (API and OAuth on one port)."""
    async with FakeZaloOA() as fake:
        yield fake


@pytest.fixture
async def client(oa: FakeZaloOA) -> AsyncIterator[ZaloOAClient]:
    """roviec's client, on the fake's clock."""

    def clock() -> datetime:
        return datetime.fromtimestamp(oa.now(), UTC)

    async with ZaloOAClient(oa.base_url, oa.base_url, clock=clock) as zalo:
        yield zalo


@pytest.fixture
def access(oa: FakeZaloOA) -> str:
    """An access token, as the operator got it by authorizing the OA."""
    return str(oa.issue_tokens()["access_token"])


async def test_the_oa_answers_a_follower_who_wrote(
    oa: FakeZaloOA, client: ZaloOAClient, access: str
) -> None:
    lan = oa.follower("Lan")
    await lan.send("Xin chào")
    message_id = await client.send_text(access, lan.user_id, "Chào đồng chí")
    assert message_id == lan.last.message_id
    assert (lan.last.kind, lan.last.text) == ("text", "Chào đồng chí")


async def test_outside_the_7_day_window_the_oa_is_refused_with_230(
    oa: FakeZaloOA, client: ZaloOAClient
) -> None:
    tokens = oa.issue_tokens()
    lan = oa.follower("Lan")
    with pytest.raises(ZaloOAError) as never_wrote:
        await client.send_text(tokens["access_token"], lan.user_id, "Chào")
    assert never_wrote.value.code == -230
    await lan.send("Tôi đây")
    oa.advance(6 * DAY)
    fresh = oa.issue_tokens()["access_token"]  # the first access token is gone after 25 h
    await client.send_text(fresh, lan.user_id, "Còn trong hạn")
    oa.advance(2 * DAY)
    with pytest.raises(ZaloOAError) as too_late:
        await client.send_text(oa.issue_tokens()["access_token"], lan.user_id, "Quá hạn")
    assert too_late.value.code == -230


async def test_buttons_are_recorded_and_a_tap_comes_back_as_the_followers_text(
    oa: FakeZaloOA, client: ZaloOAClient, access: str
) -> None:
    async with Receiver(lambda body, headers: 200) as hook:
        await oa.register_webhook(hook.url)
        lan = oa.follower("Lan")
        await lan.send("/baocao")
        buttons = [
            ("Đang thực hiện", make_tap_text("s:1:p")),
            ("Hoàn thành", make_tap_text("s:1:d")),
        ]
        await client.send_buttons(access, lan.user_id, "Trạng thái?", buttons)
        assert lan.last.button_titles == ["Đang thực hiện", "Hoàn thành"]
        assert {b["type"] for b in lan.last.buttons} == {"oa.query.hide"}

        await lan.tap("Hoàn thành")
    tapped = parse_event(json.loads(hook.accepted[-1]))
    assert tapped is not None and (tapped.payload, tapped.text) == ("s:1:d", None)


async def test_at_most_5_buttons(oa: FakeZaloOA, client: ZaloOAClient, access: str) -> None:
    lan = oa.follower("Lan")
    await lan.send("/nhiemvu")
    six = [{"title": f"Nút {n}", "type": "oa.query.hide", "payload": f"#rv:{n}"} for n in range(6)]
    template = {"type": "template", "payload": {"buttons": six}}
    body = {
        "recipient": {"user_id": lan.user_id},
        "message": {"text": "Chọn", "attachment": template},
    }
    with pytest.raises(ZaloOAError) as refused:
        await client.send(access, body)
    assert refused.value.code == -201
    with pytest.raises(ValueError):
        await client.send_buttons(access, lan.user_id, "Chọn", [(f"{n}", f"{n}") for n in range(6)])
    assert lan.messages == []


async def test_an_image_is_fetched_from_its_url(
    oa: FakeZaloOA, client: ZaloOAClient, access: str
) -> None:
    lan = oa.follower("Lan")
    await lan.send("/tonghop")
    async with FileHost() as files:
        url = await files.publish(b"\x89PNG chart", "chart.png")
        await client.send_image(access, lan.user_id, url, "Biểu đồ")
        with pytest.raises(ZaloOAError) as refused:
            await client.send_image(access, lan.user_id, files.missing())
    assert (lan.last.kind, lan.last.image, lan.last.text) == ("image", b"\x89PNG chart", "Biểu đồ")
    assert refused.value.code == -201 and len(lan.messages) == 1


async def test_an_access_token_expires_after_about_25_hours(
    oa: FakeZaloOA, client: ZaloOAClient, access: str
) -> None:
    lan = oa.follower("Lan")
    await lan.send("Chào")
    oa.advance(25 * 3600 + 1)
    with pytest.raises(ZaloOAError) as expired:
        await client.send_text(access, lan.user_id, "Còn không?")
    assert expired.value.code == -124
    with pytest.raises(ZaloOAError) as invalid:
        await client.send_text("made-up", lan.user_id, "Còn không?")
    assert invalid.value.code == -216


async def test_refresh_tokens_rotate_and_a_used_one_is_refused(
    oa: FakeZaloOA, client: ZaloOAClient
) -> None:
    first = oa.issue_tokens()
    lan = oa.follower("Lan")
    await lan.send("Chào")
    renewed = await client.refresh_access_token(APP_ID, SECRET_KEY, first["refresh_token"])
    assert renewed.refresh_token != first["refresh_token"]
    assert renewed.expires_at > datetime.fromtimestamp(oa.now(), UTC)
    await client.send_text(renewed.access_token, lan.user_id, "Token mới")

    with pytest.raises(ZaloOAError) as reused:
        await client.refresh_access_token(APP_ID, SECRET_KEY, first["refresh_token"])
    assert reused.value.code == -14014
    again = await client.refresh_access_token(APP_ID, SECRET_KEY, renewed.refresh_token)
    assert again.access_token not in (first["access_token"], renewed.access_token)
    assert oa.refreshes[0]["form"] == {
        "app_id": APP_ID,
        "grant_type": "refresh_token",
        "refresh_token": first["refresh_token"],
    }


async def test_refresh_needs_the_apps_secret_key(oa: FakeZaloOA, client: ZaloOAClient) -> None:
    tokens = oa.issue_tokens()
    with pytest.raises(ZaloOAError) as refused:
        await client.refresh_access_token(APP_ID, "wrong-secret", tokens["refresh_token"])
    assert refused.value.code == -14002
    await client.refresh_access_token(APP_ID, SECRET_KEY, tokens["refresh_token"])  # still fresh


async def test_a_refresh_token_older_than_3_months_is_refused(
    oa: FakeZaloOA, client: ZaloOAClient
) -> None:
    tokens = oa.issue_tokens()
    oa.advance(91 * DAY)
    with pytest.raises(ZaloOAError) as refused:
        await client.refresh_access_token(APP_ID, SECRET_KEY, tokens["refresh_token"])
    assert refused.value.code == -14014


def _verifying(body: bytes, headers: Mapping[str, str]) -> int:
    """What roviec's OA route does: 200 for Zalo's and for the URL test, 401 for forgeries."""
    verdict = check_oa_webhook(body, headers, app_id=APP_ID, secret_key=OA_SECRET_KEY)
    return 401 if verdict is OACheck.FORGED else 200


async def test_events_are_signed_and_a_forged_one_is_refused(oa: FakeZaloOA) -> None:
    async with Receiver(_verifying) as hook:
        await oa.register_webhook(hook.url)  # the unsigned test POST must get 200
        lan = oa.follower("Lan")
        await lan.send("Báo cáo tiến độ")
        forged = oa.event("user_send_text", lan.user_id, sender={"id": lan.user_id})
        status = await oa.deliver(forged, secret="guessed-secret")
    test_post, real, *forgeries = hook.received
    assert "X-ZEvent-Signature" not in test_post[2] and test_post[0] == 200
    assert real[0] == 200 and real[2]["X-ZEvent-Signature"].startswith("mac=")
    assert status == 401 and {f[0] for f in forgeries} == {401}
    assert oa.webhook_disabled  # Zalo gives up on a webhook that keeps refusing


async def test_the_fake_signs_as_roviec_checks(oa: FakeZaloOA) -> None:
    body = b'{"event_name":"user_send_text"}'
    assert signature(APP_ID, body, "1718000000000", OA_SECRET_KEY) == sign_oa_event(
        APP_ID, body, "1718000000000", OA_SECRET_KEY
    )


@pytest.mark.parametrize("code", [-230, -32, -216])
async def test_errors_on_demand(
    code: int, oa: FakeZaloOA, client: ZaloOAClient, access: str
) -> None:
    lan = oa.follower("Lan")
    await lan.send("Chào")
    oa.fail_next(code)
    with pytest.raises(ZaloOAError) as refused:
        await client.send_text(access, lan.user_id, "Lần 1")
    assert refused.value.code == code
    await client.send_text(access, lan.user_id, "Lần 2")
    assert [m.text for m in lan.messages] == ["Lần 2"]
