"""Files on a Zalo OA through the real app: the export by signed link, the weekly chart as an
image the OA fetched from roviec, and a picture a follower sent kept before Zalo's URL dies."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from db.models import StoredFile
from scheduler.digest.job import weekly_digests
from tests.conftest import test_settings
from tests.fakes.zalo_http import FileHost
from tests.harness import FakeClock
from tests.oa_harness import OAUnderTest, running_oa

LINK = re.compile(r"📎 (?P<name>\S+): (?P<url>http://127\.0\.0\.1:\d+/files/\S+)")


@pytest.fixture
async def oa(database_url: str, clock: FakeClock) -> AsyncIterator[OAUnderTest]:
    """roviec serving the fake OA (its webhook and the files on one server)."""
    async with running_oa(test_settings(database_url), clock) as running:
        yield running


async def _stored(oa: OAUnderTest) -> list[StoredFile]:
    async with oa.app.db.read() as session:
        return list(await session.scalars(select(StoredFile)))


async def test_the_export_and_the_chart_reach_the_standing_office_on_the_oa(
    oa: OAUnderTest,
) -> None:
    viet = await oa.follower("Việt", oa.province.standing)

    [sent] = await oa.say(viet, "/xuatbaocao")
    found = LINK.search(sent.text or "")
    assert found is not None, sent.text
    async with httpx.AsyncClient() as http:
        download = await http.get(found["url"])
    [workbook] = await _stored(oa)
    assert download.status_code == 200 and download.content == workbook.data

    before = len(viet.messages)
    assert await weekly_digests(oa.app.job_context(), oa.clock()) > 0
    oa.app.dispatcher.wake()
    await oa.oa.wait_until(lambda: any(m.kind == "image" for m in viet.messages[before:]), 10)
    [chart] = [m for m in viet.messages[before:] if m.kind == "image"]
    [stored] = [f for f in await _stored(oa) if f.kind == "photo"]
    assert chart.image == stored.data and (chart.image or b"").startswith(b"\x89PNG")


async def test_a_picture_a_follower_sends_is_kept_at_once(oa: OAUnderTest) -> None:
    lan = await oa.follower("Lan", oa.province.health_focal)
    async with FileHost() as cdn:
        before = len(lan.messages)
        await lan.send_image(await cdn.publish(b"\xff\xd8\xff\xe0 hien truong", "a.jpg"))
        await oa.wait_for(lan, before + 1, before)  # the bot answers (a file out of place)
    [kept] = await _stored(oa)
    assert kept.data == b"\xff\xd8\xff\xe0 hien truong" and kept.expires_at is not None
