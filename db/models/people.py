"""Units, officials and the chat accounts and invitations that bind them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.columns import instant, optional_instant


class Unit(SQLModel, table=True):
    """A sở, ngành, UBND xã/phường, the standing office or the UBND tỉnh."""

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="unit.id")


class Official(SQLModel, table=True):
    """A person of the working group."""

    id: int = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    title: str = Field(default="", max_length=120)
    role: str = Field(max_length=16)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    locale: str | None = Field(default=None, max_length=8)
    active: bool = True
    # The channel notices go to; None means the account the official wrote from last.
    notify_channel: str | None = Field(default=None, max_length=16)


class ChatAccount(SQLModel, table=True):
    """An official's account on one channel (Telegram, console, …)."""

    __table_args__ = (UniqueConstraint("channel", "user_key"),)

    id: int = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    user_key: str = Field(max_length=64)
    chat_key: str = Field(max_length=64)
    official_id: int = Field(foreign_key="official.id", index=True)
    bound_at: datetime = instant()
    unreachable_at: datetime | None = optional_instant()
    last_seen_at: datetime | None = optional_instant()  # when the official last wrote here


class Invitation(SQLModel, table=True):
    """A one-time invitation code, stored only as its hash."""

    id: int = Field(default=None, primary_key=True)
    official_id: int = Field(foreign_key="official.id", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = instant()
    expires_at: datetime = instant()
    used_at: datetime | None = optional_instant()
    used_by_account_id: int | None = Field(default=None, foreign_key="chataccount.id")


class InvitationFailure(SQLModel, table=True):
    """A wrong or expired code tried by one account; counted to refuse guessing."""

    __table_args__ = (Index("ix_invitationfailure_who_at", "channel", "user_key", "at"),)

    id: int = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    user_key: str = Field(max_length=64)
    at: datetime = instant()


class StandIn(SQLModel, table=True):
    """Someone who receives an official's notices for a period (nghỉ phép, đi công tác).

    The period is kept as the province's calendar days and as the instants they span
    (`starts_at` the first day's local midnight, `ends_at` the midnight after the last day),
    which is what the notice rule compares `now` with; ending early moves `ends_at`.
    """

    __table_args__ = (Index("ix_standin_official_period", "official_id", "starts_at", "ends_at"),)

    id: int = Field(default=None, primary_key=True)
    official_id: int = Field(foreign_key="official.id")
    stand_in_id: int = Field(foreign_key="official.id")
    first_day: date
    last_day: date
    starts_at: datetime = instant()
    ends_at: datetime = instant()
    created_at: datetime = instant()
