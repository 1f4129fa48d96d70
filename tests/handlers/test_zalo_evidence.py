"""A photo sent on Zalo as evidence is fetched at once and kept: Zalo's URL may stop working,
and the standing office still opens the very picture, even on Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from db.models import ProgressReport, StoredFile
from tests.conftest import test_settings
from tests.fakes.zalo_bot_people import ZaloBotPerson
from tests.fakes.zalo_http import FileHost
from tests.harness import BotUnderTest, FakeClock, running_bot

PHOTO = b"\xff\xd8\xff\xe0 bien ban nghiem thu"


@pytest.fixture
async def both(database_url: str, clock: FakeClock) -> AsyncIterator[BotUnderTest]:
    """roviec serving the fake Telegram and the fake Zalo bot in one process."""
    async with running_bot(test_settings(database_url), clock, with_zalo=True) as running:
        yield running


@pytest.fixture
async def cdn() -> AsyncIterator[FileHost]:
    """Zalo's CDN, where a picture someone sent can be fetched for a while."""
    async with FileHost() as host:
        yield host


async def _says(bot: BotUnderTest, person: ZaloBotPerson, text: str | None = None) -> str:
    """The person writes (or has just sent something); the bot's answer."""
    assert bot.zalo is not None
    before = len(person.messages)
    if text is not None:
        await person.send(text)
    await bot.zalo.wait_until(lambda: len(person.messages) > before, timeout=10)
    return person.messages[-1].text or ""


def _number(text: str, label: str) -> str:
    """The number before the choice whose label contains `label`."""
    for line in text.splitlines():
        number, _, rest = line.strip().partition(". ")
        if number.isdecimal() and label in rest:
            return number
    raise AssertionError(f"no choice {label!r} in:\n{text}")


async def test_evidence_sent_on_zalo_is_kept_and_opened_on_telegram_after_zalos_url_died(
    both: BotUnderTest, cdn: FileHost
) -> None:
    assert both.zalo is not None
    viet = await both.registered(both.province.standing, 603)
    lan = both.zalo.person("Lan")
    await _says(both, lan, await both.invite(both.province.health_focal))
    pick = await _says(both, lan, "/baocao")
    status = await _says(both, lan, _number(pick, "NV-02"))
    asked = await _says(both, lan, _number(status, "Hoàn thành"))
    while "minh chứng" not in asked.lower():  # done_text, then difficulty and proposal skipped
        asked = await _says(both, lan, "Đã cấp 1.200 sổ" if "kết quả" in asked else "Bỏ qua")
    before = len(lan.messages)
    await lan.send_photo(await cdn.publish(PHOTO, "anh.jpg"))
    review = await _says(both, lan)
    assert len(lan.messages) == before + 1 and "Xác nhận" in review
    cdn.files.clear()  # Zalo's link has expired
    await _says(both, lan, _number(review, "Xác nhận"))
    await both.settled()

    async with both.app.db.read() as session:
        report = await session.scalar(select(ProgressReport))
        [stored] = (await session.scalars(select(StoredFile))).all()
    assert report is not None and report.evidence_file_id == f"stored:{stored.id}"
    assert stored.data == PHOTO and stored.expires_at is None  # evidence is kept for good
    assert (stored.kind, stored.content_type) == ("photo", "image/jpeg")

    await both.say(viet, "/xacnhan")  # the queue, then its first result
    [card] = await both.tap(viet, "🔎 Xem 1")
    assert "NV-02" in card.text and "📎 Xem minh chứng" in card.button_texts
    [evidence] = await both.tap(viet, "📎 Xem minh chứng")
    assert evidence.kind == "photo" and evidence.upload is not None
    assert evidence.upload.data == PHOTO  # the very picture, though Zalo no longer has it
