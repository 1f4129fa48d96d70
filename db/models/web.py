"""The dashboard's sign-in: one-time links sent by the bot, and the browser sessions they open."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from db.models.columns import instant, optional_instant


class WebLink(SQLModel, table=True):
    """A one-time link to the dashboard (`/web`), stored only as the hash of its token."""

    id: int = Field(default=None, primary_key=True)
    official_id: int = Field(foreign_key="official.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = instant()
    expires_at: datetime = instant()
    used_at: datetime | None = optional_instant()


class WebSession(SQLModel, table=True):
    """A browser signed in to the dashboard, by the hash of its cookie's session id."""

    id: int = Field(default=None, primary_key=True)
    official_id: int = Field(foreign_key="official.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    link_id: int = Field(foreign_key="weblink.id")
    created_at: datetime = instant()
    expires_at: datetime = instant()
    ended_at: datetime | None = optional_instant()
