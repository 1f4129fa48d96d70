"""Stored files: the same bytes kept once, charts and exports purged, links signed alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.services import files
from db.engine import Database
from db.models import StoredFile

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
CHART = b"\x89PNG\r\n\x1a\n the week"
WORKBOOK = b"PK\x03\x04 the tracking table"
KEY = b"k" * 32


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The migrated database."""
    database = Database(database_url)
    yield database
    await database.dispose()


async def _count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(StoredFile)) or 0)


async def test_the_same_bytes_are_stored_once_and_kept_the_longer(db: Database) -> None:
    week = NOW + timedelta(days=7)
    async with db.transaction() as session:
        first = await files.store(session, CHART, "chart.png", NOW, week)
    async with db.transaction() as session:
        again = await files.store(session, CHART, "other.png", NOW, NOW + timedelta(days=1))
    assert again.id == first.id and again.expires_at == week  # never shortened
    async with db.transaction() as session:
        evidence = await files.store(session, CHART, "bien_ban.png", NOW, None)
    assert evidence.id == first.id and evidence.expires_at is None  # now kept for good
    assert (first.kind, first.content_type, first.name, first.size) == (
        "photo",
        "image/png",
        "chart.png",
        len(CHART),
    )
    assert await _count(db) == 1


async def test_expired_charts_and_exports_are_purged_and_evidence_stays(db: Database) -> None:
    async with db.transaction() as session:
        chart = await files.store(session, CHART, "chart.png", NOW, NOW + timedelta(days=7))
        export = await files.store(session, WORKBOOK, "bao-cao.xlsx", NOW, NOW + timedelta(days=1))
        evidence = await files.store(session, b"\xff\xd8\xff photo", "anh.jpg", NOW, None)
    assert export.kind == "document"
    assert export.content_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    later = NOW + timedelta(days=2)
    async with db.transaction() as session:
        assert await files.fetch(session, export.id, later) is None  # expired: not served
        assert await files.purge(session, later) == 1
    async with db.read() as session:
        assert await files.fetch(session, chart.id, later) is not None
        kept = await files.fetch(session, evidence.id, later + timedelta(days=3650))
    assert kept is not None and kept.data == b"\xff\xd8\xff photo"
    assert await _count(db) == 2


def test_a_link_is_valid_until_it_expires_and_only_as_signed() -> None:
    expires = int((NOW + timedelta(days=7)).timestamp())
    signed = files.sign(KEY, 12, expires)
    assert files.verify(KEY, 12, expires, signed, NOW)
    assert not files.verify(KEY, 12, expires, signed, NOW + timedelta(days=7))
    assert not files.verify(KEY, 13, expires, signed, NOW)  # another file
    assert not files.verify(KEY, 12, expires + 86400, signed, NOW)  # a longer life
    assert not files.verify(b"other" * 8, 12, expires, signed, NOW)
    assert not files.verify(KEY, 12, expires, signed[:-1] + "ü", NOW)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg", "image/jpeg"),  # the bytes, not the name
        ("x", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (
            "bao-cao.xlsx",
            b"PK\x03\x04",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("van-ban.pdf", b"%PDF-1.7", "application/pdf"),
        ("tep", b"\x00\x01", "application/octet-stream"),
    ],
)
def test_the_content_type_comes_from_a_pictures_bytes_else_the_name(
    name: str, data: bytes, expected: str
) -> None:
    assert files.detect_content_type(data, name) == expected


async def test_every_instance_signs_with_the_key_made_once_unless_one_is_configured(
    db: Database,
) -> None:
    async with db.transaction() as session:
        first = await files.load_signing_key(session, None, NOW)
    async with db.transaction() as session:
        second = await files.load_signing_key(session, None, NOW + timedelta(hours=1))
        configured = await files.load_signing_key(session, SecretStr("operator's secret"), NOW)
    assert first == second and len(first) >= 32
    assert configured == b"operator's secret"
