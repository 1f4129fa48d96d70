"""GET /files/…: a stored file over real HTTP to whoever holds a signed, unexpired link."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import httpx
import pytest

from bot.services import files
from bot.services.files import Publisher
from bot.web import WebServer, file_routes
from bot.web.files import ascii_name
from db.engine import Database
from tests.harness import FakeClock

KEY = b"s" * 32
WORKBOOK = b"PK\x03\x04 bang theo doi"
CHART = b"\x89PNG\r\n\x1a\n chart"
NAME = "Báo cáo tiến độ Đề án 06.xlsx"


@dataclass
class Served:
    """The web server on loopback serving files from the test's database."""

    db: Database
    clock: FakeClock
    publisher: Publisher
    base: str


@pytest.fixture
async def served(database_url: str) -> AsyncIterator[Served]:
    """A running web server with only the file route; the publisher signs for it."""
    db = Database(database_url)
    clock = FakeClock(datetime(2026, 12, 3, 1, 0, tzinfo=UTC))
    server = WebServer(file_routes(db, KEY, clock), "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.port}"
    stop = asyncio.Event()
    serving = asyncio.create_task(server.serve(stop))
    try:
        yield Served(db, clock, Publisher(db, KEY, base, clock, days=7), base)
    finally:
        stop.set()
        await asyncio.wait_for(serving, timeout=10)
        await db.dispose()


async def _get(url: str, method: str = "GET") -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.request(method, url)


async def test_a_published_export_is_served_with_its_type_and_vietnamese_name(
    served: Served,
) -> None:
    url = await served.publisher.publish(WORKBOOK, NAME)
    assert url.startswith(served.base + "/files/")

    answer = await _get(url)

    assert answer.status_code == 200 and answer.content == WORKBOOK
    assert answer.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert answer.headers["x-content-type-options"] == "nosniff"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Bao cao tien do De an 06.xlsx"; ')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == NAME
    assert (await _get(url, "HEAD")).status_code == 200


async def test_a_chart_is_a_picture_shown_inline(served: Served) -> None:
    answer = await _get(await served.publisher.publish(CHART, "photo.png"))
    assert answer.status_code == 200 and answer.content == CHART
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["content-disposition"].startswith('inline; filename="photo.png"')


async def test_a_forged_changed_or_expired_link_and_an_unknown_file_all_get_a_bare_404(
    served: Served,
) -> None:
    url = await served.publisher.publish(WORKBOOK, NAME)
    file_id, expires, signed = url.rsplit("/", 3)[1:]
    later = int(expires) + 86400
    wrong = [
        f"{served.base}/files/{file_id}/{expires}/{signed[:-2]}AA",  # forged signature
        f"{served.base}/files/{file_id}/{later}/{signed}",  # a longer life asked for
        f"{served.base}/files/{int(file_id) + 1}/{expires}/{signed}",  # another file
        f"{served.base}/files/999/{expires}/{files.sign(KEY, 999, int(expires))}",  # unknown
        f"{served.base}/files/{file_id}/{expires}",
        f"{served.base}/files/x1/{expires}/{signed}",
        f"{served.base}/files/{file_id}/{'9' * 40}/{signed}",
    ]
    answers = [await _get(address) for address in wrong]
    assert [a.status_code for a in answers] == [404] * len(wrong)
    assert {a.text for a in answers[:4]} == {"not found"}  # the same answer, whatever the cause
    assert all("content-disposition" not in a.headers for a in answers)

    served.clock.advance(days=7)
    assert (await _get(url)).status_code == 404  # the link has expired


async def test_a_purged_file_is_gone_even_for_a_link_still_valid(served: Served) -> None:
    url = await served.publisher.publish(CHART, "photo.png")
    file_id = url.rsplit("/", 3)[1]
    async with served.db.transaction() as session:
        stored = await files.fetch(session, int(file_id), served.clock())
        assert stored is not None
        stored.expires_at = served.clock() - timedelta(seconds=1)
    async with served.db.transaction() as session:
        assert await files.purge(session, served.clock()) == 1
    assert (await _get(url)).status_code == 404


def test_the_ascii_name_drops_vietnamese_marks_and_quotes() -> None:
    assert ascii_name('Đợt 2 "khẩn"; ảnh.jpg') == "Dot 2 _khan__ anh.jpg"
