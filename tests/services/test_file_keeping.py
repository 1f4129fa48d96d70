"""Files people send where the link expires: fetched and kept, then sent as their bytes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.base import Attachment, Inbound, Outbound
from bot.services import files, inbox
from bot.services.files.keeping import TooLarge, download, swap
from bot.services.inbox import Received
from db.engine import Database
from db.models import InboxUpdate, StoredFile
from tests.fakes.zalo_http import FileHost

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
PHOTO = b"\xff\xd8\xff\xe0 anh hien truong"


class Reader:
    """Reads a stored update as a Zalo-like Inbound with the pictures it names."""

    def __init__(self) -> None:
        self.parsed: list[dict[str, Any]] = []

    def parse(self, payload: dict[str, Any]) -> Inbound | None:
        """One attachment per URL in the payload."""
        self.parsed.append(payload)
        urls = payload.get("urls", [])
        return Inbound(
            "zalo_bot", "c1", "u1", 1, attachments=tuple(Attachment("photo", u) for u in urls)
        )


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The migrated database."""
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
async def cdn() -> AsyncIterator[FileHost]:
    """Where the platform serves what people sent, for a while."""
    async with FileHost() as host:
        yield host


async def _update(db: Database, channel: str, urls: list[str]) -> int:
    async with db.transaction() as session:
        await inbox.store(session, channel, [Received(1, "c1", {"urls": urls})], NOW)
    async with db.read() as session:
        return int(await session.scalar(select(InboxUpdate.id)) or 0)


def _fetcher(db: Database, reader: Reader, channel: str = "zalo_bot") -> files.Fetcher:
    return files.Fetcher(db, {channel: reader}, ("zalo_bot",), lambda: NOW, timedelta(days=30))


async def test_a_picture_is_fetched_and_kept_for_the_inbox_retention(
    db: Database, cdn: FileHost, caplog: pytest.LogCaptureFixture
) -> None:
    good = await cdn.publish(PHOTO, "anh.jpg")
    gone = cdn.missing("het-han.jpg?token=secret")
    inbox_id = await _update(db, "zalo_bot", [good, gone])

    with caplog.at_level(logging.INFO):
        kept = await _fetcher(db, Reader()).fetch(inbox_id)

    async with db.read() as session:
        [stored] = (await session.scalars(select(StoredFile))).all()
    assert kept == {good: f"stored:{stored.id}"}  # the dead link stays as it was
    assert stored.data == PHOTO and stored.expires_at == NOW + timedelta(days=30)
    assert stored.name == "anh.jpg"
    ours = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("bot."))
    assert "could not be fetched" in ours  # said, without the URL (it may carry a token)
    assert "secret" not in ours and "het-han" not in ours
    received = Inbound("zalo_bot", "c1", "u1", 1, attachments=(Attachment("photo", good),))
    swapped = swap(received, kept)
    assert swapped is not None and swapped.attachments[0].file_id == f"stored:{stored.id}"


async def test_updates_of_other_channels_are_not_read(db: Database, cdn: FileHost) -> None:
    reader = Reader()
    inbox_id = await _update(db, "telegram", [await cdn.publish(PHOTO, "anh.jpg")])
    assert await _fetcher(db, reader, channel="telegram").fetch(inbox_id) == {}
    assert reader.parsed == [] and cdn.downloads == []


async def test_a_download_over_the_cap_is_refused(cdn: FileHost) -> None:
    url = await cdn.publish(PHOTO, "anh.jpg")
    assert await download(url) == PHOTO
    with pytest.raises(TooLarge):
        await download(url, limit=len(PHOTO) - 1)


async def test_evidence_is_kept_for_good_and_goes_out_as_its_bytes(db: Database) -> None:
    async with db.transaction() as session:
        stored = await files.store(session, PHOTO, "anh.jpg", NOW, NOW + timedelta(days=30))
        await files.keep(session, files.make_reference(stored.id))
        await files.keep(session, "AgACAgIAAxkBAAI")  # a platform's own reference: left alone
    async with db.read() as session:
        row = await session.get(StoredFile, stored.id)
    assert row is not None and row.expires_at is None

    photo = await files.resolve(
        db, Outbound("Minh chứng", file=Attachment("photo", f"stored:{stored.id}"))
    )
    assert (photo.photo, photo.file) == (PHOTO, None)
    document = await files.resolve(
        db, Outbound("Văn bản", file=Attachment("document", f"stored:{stored.id}", "cv.pdf"))
    )
    assert (document.document, document.document_name) == (PHOTO, "cv.pdf")
    missing = Outbound("Cũ", file=Attachment("photo", "stored:999"))
    assert await files.resolve(db, missing) == missing
    by_platform = Outbound("Ảnh", file=Attachment("photo", "AgACAgIAAxkBAAI"))
    assert await files.resolve(db, by_platform) == by_platform


@pytest.mark.parametrize(
    ("file_id", "expected"),
    [
        ("stored:12", 12),
        ("stored:", None),
        ("stored:1x", None),
        ("stored:١٢", None),
        ("https://cdn.zalo/x.jpg", None),
        (None, None),
    ],
)
def test_only_a_stored_reference_names_a_stored_file(
    file_id: str | None, expected: int | None
) -> None:
    assert files.stored_id(file_id) == expected
