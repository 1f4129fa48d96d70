"""Files people send where the platform's link expires (Zalo): fetched at once, kept here.

Zalo hands the bot a CDN URL for a picture, and the URL stops working after a while. So
before an update from such a channel is handled, its pictures are downloaded and stored,
and the attachment then refers to the stored file (``stored:12``) wherever it goes: a
report's evidence, a directive's attachment. A received file lasts as long as what people
sent (the inbox retention); evidence and directive attachments are kept for good (`keep`).
Before a message goes out, a stored reference becomes the file's bytes (`resolve`), so any
channel can send it.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.channels.base import Attachment, Inbound, Outbound
from bot.services.files import storage
from db.engine import Database
from db.models import InboxUpdate, StoredFile

log = logging.getLogger(__name__)
STORED = "stored:"
MAX_DOWNLOAD = 20_000_000  # bytes; Zalo's own cap on a picture is far below
DOWNLOAD_SECONDS = 20.0


class Parser(Protocol):
    """A channel that reads its stored updates (the processor's channels)."""

    def parse(self, payload: dict[str, Any]) -> Inbound | None:
        """The stored update as an Inbound."""
        ...


def make_reference(file_id: int) -> str:
    """How an attachment refers to a stored file."""
    return f"{STORED}{file_id}"


def stored_id(file_id: str | None) -> int | None:
    """The stored file an attachment refers to, or None for a platform's own reference."""
    if file_id is None or not file_id.startswith(STORED):
        return None
    number = file_id.removeprefix(STORED)
    return int(number) if number.isdecimal() and number.isascii() else None


def is_stored(file_id: str | None) -> bool:
    """Whether an attachment refers to a file roviec keeps (any channel can send it)."""
    return stored_id(file_id) is not None


async def keep(session: AsyncSession, file_id: str | None) -> None:
    """Keep a stored file for good (a report's evidence); a platform's reference is left."""
    number = stored_id(file_id)
    if number is not None:
        await session.execute(
            update(StoredFile).where(col(StoredFile.id) == number).values(expires_at=None)
        )


def swap(inbound: Inbound | None, kept: Mapping[str, str]) -> Inbound | None:
    """The Inbound with each fetched attachment referring to its stored copy."""
    if inbound is None or not kept:
        return inbound
    attachments = tuple(
        replace(a, file_id=kept[a.file_id]) if a.file_id in kept else a for a in inbound.attachments
    )
    return replace(inbound, attachments=attachments)


async def resolve(db: Database, message: Outbound) -> Outbound:
    """The message with a stored file's bytes in place of its reference (unchanged if none)."""
    number = stored_id(message.file.file_id if message.file is not None else None)
    if message.file is None or number is None:
        return message
    async with db.read() as session:
        row = await session.get(StoredFile, number)
    if row is None:
        return message
    if message.file.kind == "photo":
        return replace(message, file=None, photo=row.data)
    name = message.file.name or row.name
    return replace(message, file=None, document=row.data, document_name=name)


class Fetcher:
    """Downloads the pictures of updates from `names` channels before they are handled."""

    def __init__(
        self,
        db: Database,
        channels: Mapping[str, Parser],
        names: Collection[str],
        clock: Callable[[], datetime],
        lifetime: timedelta,
    ) -> None:
        self.db, self.channels, self.names = db, channels, frozenset(names)
        self.clock, self.lifetime = clock, lifetime

    async def fetch(self, inbox_id: int) -> dict[str, str]:
        """URL → stored reference for every picture of the update that could be fetched."""
        if not self.names & self.channels.keys():
            return {}  # no such channel in this process: nothing to read
        async with self.db.read() as session:
            row = await session.get(InboxUpdate, inbox_id)
        if row is None or row.channel not in self.names or row.channel not in self.channels:
            return {}
        inbound = self.channels[row.channel].parse(row.payload)
        kept: dict[str, str] = {}
        for attachment in inbound.attachments if inbound is not None else ():
            if attachment.file_id.startswith(("https://", "http://")):
                stored = await self._store(attachment)
                if stored is not None:
                    kept[attachment.file_id] = stored
        return kept

    async def _store(self, attachment: Attachment) -> str | None:
        """Download and store one file; None (and a warning) if it cannot be fetched."""
        try:
            data = await download(attachment.file_id)
        except (httpx.HTTPError, TooLarge) as error:
            # The type only: the URL may carry the platform's access token.
            log.warning(
                "a received %s could not be fetched (%s)", attachment.kind, type(error).__name__
            )
            return None
        now = self.clock()
        content_type = storage.detect_content_type(data, attachment.name or "")
        name = attachment.name or "anh" + (mimetypes.guess_extension(content_type) or "")
        async with self.db.transaction() as session:
            stored = await storage.store(session, data, name, now, now + self.lifetime)
        log.info("received file %d (%s, %d bytes) kept", stored.id, stored.kind, stored.size)
        return make_reference(stored.id)


class TooLarge(Exception):
    """The download is over MAX_DOWNLOAD bytes."""


async def download(url: str, limit: int = MAX_DOWNLOAD) -> bytes:
    """The bytes at `url`, refused past `limit`."""
    async with (
        httpx.AsyncClient(timeout=DOWNLOAD_SECONDS, follow_redirects=True) as http,
        http.stream("GET", url) as answer,
    ):
        answer.raise_for_status()
        chunks, size = [], 0
        async for chunk in answer.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise TooLarge(size)
            chunks.append(chunk)
    return b"".join(chunks)
