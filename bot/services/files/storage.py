"""Files roviec keeps itself: stored once per content, purged once they expire."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.engine import rowcount
from db.models import StoredFile

MAX_NAME = 256
OCTET_STREAM = "application/octet-stream"
# Magic numbers of the pictures Zalo and Telegram carry: a photo's type is read from its bytes.
_PICTURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_DOCUMENTS = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


@dataclass(frozen=True)
class FileInfo:
    """A stored file without its bytes: what a link and a log need."""

    id: int
    kind: str
    name: str
    content_type: str
    size: int
    expires_at: datetime | None


def detect_content_type(data: bytes, name: str) -> str:
    """The MIME type: a picture's from its bytes, a document's from its name's extension."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, picture in _PICTURES:
        if data.startswith(magic):
            return picture
    extension = "." + name.rpartition(".")[2].lower() if "." in name else ""
    return _DOCUMENTS.get(extension) or mimetypes.guess_type(name)[0] or OCTET_STREAM


def kind_of(content_type: str) -> str:
    """ "photo" for a picture, "document" for anything else (as Attachment.kind)."""
    return "photo" if content_type.startswith("image/") else "document"


async def store(
    session: AsyncSession,
    data: bytes,
    name: str,
    now: datetime,
    expires_at: datetime | None,
) -> FileInfo:
    """Keep the bytes once: the same content again is the same file, kept the longer of both."""
    digest = hashlib.sha256(data).hexdigest()
    query = select(StoredFile).where(col(StoredFile.sha256) == digest).order_by(col(StoredFile.id))
    row = (await session.scalars(query.limit(1))).first()
    if row is None:
        content_type = detect_content_type(data, name)
        row = StoredFile(
            sha256=digest,
            kind=kind_of(content_type),
            name=name[:MAX_NAME] or "file",
            content_type=content_type,
            size=len(data),
            data=data,
            created_at=now,
            expires_at=expires_at,
        )
        session.add(row)
        await session.flush()
    elif row.expires_at is not None and (expires_at is None or expires_at > row.expires_at):
        row.expires_at = expires_at
    return _info(row)


async def fetch(session: AsyncSession, file_id: int, now: datetime) -> StoredFile | None:
    """The file with its bytes, unless it is unknown or has expired."""
    row = await session.get(StoredFile, file_id)
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    return row


async def purge(session: AsyncSession, now: datetime) -> int:
    """Delete the files whose time is up (charts, exports); kept ones stay; how many went."""
    result = await session.execute(
        delete(StoredFile).where(
            col(StoredFile.expires_at).is_not(None), col(StoredFile.expires_at) <= now
        )
    )
    return rowcount(result)


def _info(row: StoredFile) -> FileInfo:
    """The row without its bytes."""
    return FileInfo(row.id, row.kind, row.name, row.content_type, row.size, row.expires_at)
