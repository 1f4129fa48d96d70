"""Files roviec holds itself, so that channels without file ids can reach them by link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from db.models.columns import instant, optional_instant


class StoredFile(SQLModel, table=True):
    """A chart, an exported workbook, a directive's attachment or a photo sent as evidence.

    Served under the public URL by signed, expiring links from any instance. `expires_at`
    is when the bytes may be purged (a chart or an export); None keeps them (evidence).
    """

    id: int = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16)  # "photo" or "document", as Attachment.kind
    name: str = Field(max_length=256)
    content_type: str = Field(max_length=100)
    size: int
    data: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = instant()
    expires_at: datetime | None = optional_instant()
