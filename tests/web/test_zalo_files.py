"""Files on Zalo through the real app: exports and charts go by signed link, or a notice says
why they cannot.

With a public URL the Zalo bot is called at its webhook and the same web server serves the
files; the fake Zalo fetches a chart's URL itself, as Zalo does. Without one, Zalo cannot
fetch anything, and the person reads a short explanation instead of getting nothing.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from io import BytesIO

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import StoredFile
from scheduler.digest.job import weekly_digests
from tests.conftest import test_settings
from tests.fakes.zalo_bot_people import ZaloBotPerson
from tests.harness import FakeClock, ZaloBotUnderTest, free_port, running_zalo_bot

LINK = re.compile(r"📎 (?P<name>\S+): (?P<url>http://127\.0\.0\.1:\d+/files/\S+)")


@pytest.fixture
async def hooked(database_url: str, clock: FakeClock) -> AsyncIterator[ZaloBotUnderTest]:
    """roviec on the fake Zalo bot with a public URL: webhook and files on one server."""
    port = free_port()
    overrides = {"public_url": f"http://127.0.0.1:{port}", "listen": f"127.0.0.1:{port}"}
    async with running_zalo_bot(test_settings(database_url, **overrides), clock) as running:
        yield running


@pytest.fixture
async def polled(database_url: str, clock: FakeClock) -> AsyncIterator[ZaloBotUnderTest]:
    """roviec polling the fake Zalo bot: no public URL, so no file links."""
    async with running_zalo_bot(test_settings(database_url), clock) as running:
        yield running


async def _standing_officer(zalo: ZaloBotUnderTest) -> ZaloBotPerson:
    """Đặng Quốc Việt of the standing office, bound on Zalo."""
    viet = zalo.zalo.person("Việt")
    await zalo.say(viet, await zalo.invite(zalo.province.standing))
    return viet


async def _stored(zalo: ZaloBotUnderTest) -> list[StoredFile]:
    async with zalo.app.db.read() as session:
        return list(await session.scalars(select(StoredFile)))


async def test_the_standing_office_gets_the_export_as_a_link_that_downloads_it(
    hooked: ZaloBotUnderTest,
) -> None:
    viet = await _standing_officer(hooked)

    [sent] = await hooked.say(viet, "/xuatbaocao")

    assert (sent.text or "").startswith("Bảng theo dõi Đề án 06 đến ngày 16/11/2026: ")
    found = LINK.search(sent.text or "")
    assert found is not None, sent.text
    assert found["name"] == "bao-cao-de-an-06-2026-11-16.xlsx"
    async with httpx.AsyncClient() as http:
        download = await http.get(found["url"])
    [stored] = await _stored(hooked)
    assert download.status_code == 200 and download.content == stored.data
    assert download.headers["content-type"].endswith("spreadsheetml.sheet")
    assert "bao-cao-de-an-06-2026-11-16.xlsx" in download.headers["content-disposition"]
    book = load_workbook(BytesIO(download.content))
    assert book.sheetnames == ["Theo dõi", "Tổng hợp"]
    async with httpx.AsyncClient() as http:  # the link is good for that file only
        forged = await http.get(found["url"][:-3] + "abc")
    assert forged.status_code == 404


async def test_the_weekly_chart_reaches_the_standing_office_as_a_photo_zalo_fetched(
    hooked: ZaloBotUnderTest,
) -> None:
    viet = await _standing_officer(hooked)
    before = len(viet.messages)

    assert await weekly_digests(hooked.app.job_context(), hooked.clock()) > 0
    hooked.app.dispatcher.wake()
    await hooked.zalo.wait_until(
        lambda: any(m.kind == "photo" for m in viet.messages[before:]), timeout=10
    )

    [chart] = [m for m in viet.messages[before:] if m.kind == "photo"]
    [stored] = await _stored(hooked)
    assert chart.photo == stored.data and (chart.photo or b"").startswith(b"\x89PNG")
    assert chart.content_type == "image/png" and stored.expires_at is not None
    assert chart.photo_url is not None and chart.photo_url.startswith(
        f"{hooked.app.settings.public_url}/files/{stored.id}/"
    )


async def test_without_a_public_url_the_export_is_replaced_by_an_explanation(
    polled: ZaloBotUnderTest,
) -> None:
    viet = await _standing_officer(polled)

    [sent] = await polled.say(viet, "/xuatbaocao")

    assert "Đề án 06" in (sent.text or "")  # the caption still arrives
    assert "Tệp đính kèm chưa gửi được qua Zalo" in (sent.text or "")
    assert "/files/" not in (sent.text or "") and await _stored(polled) == []
