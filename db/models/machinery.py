"""What keeps the bot running: conversations, the inbox and outbox, the audit log, job
runs, channel state and the numbered choices each chat was shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models.columns import instant, optional_instant
from db.models.enums import (
    OutboxState,
)


class Conversation(SQLModel, table=True):
    """Where one chat account is in a guided flow, with the draft so far."""

    __table_args__ = (UniqueConstraint("channel", "user_key"),)

    id: int = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    user_key: str = Field(max_length=64)
    flow: str | None = Field(default=None, max_length=32)
    step: str | None = Field(default=None, max_length=32)
    draft: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    version: int = 0
    updated_at: datetime = instant()


class InboxUpdate(SQLModel, table=True):
    """An update as received, committed before it is acknowledged to the platform."""

    __table_args__ = (
        UniqueConstraint("channel", "update_key"),
        Index("ix_inboxupdate_pending", "processed_at", "id"),
    )

    id: int = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    update_key: int = Field(sa_type=BigInteger)
    chat_key: str = Field(max_length=64)
    payload: dict[str, Any] = Field(sa_type=JSON)
    received_at: datetime = instant()
    processed_at: datetime | None = optional_instant()
    attempts: int = 0
    error: str | None = Field(default=None, sa_type=Text)


class OutboxMessage(SQLModel, table=True):
    """One message to one chat, written in the transaction that decided to send it."""

    __table_args__ = (Index("ix_outboxmessage_due", "state", "not_before"),)

    id: int = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    channel: str = Field(max_length=16)
    chat_key: str = Field(max_length=64)
    payload: dict[str, Any] = Field(sa_type=JSON)
    state: str = Field(default=OutboxState.PENDING, max_length=8)
    attempts: int = 0
    not_before: datetime = instant()
    created_at: datetime = instant()
    sent_at: datetime | None = optional_instant()
    sent_message_id: int | None = Field(default=None, sa_type=BigInteger)
    claimed_at: datetime | None = optional_instant()  # renewed while a dispatcher holds it
    last_error: str | None = Field(default=None, sa_type=Text)


class AuditLog(SQLModel, table=True):
    """Who did what to which entity, when, with the state before and after."""

    # An entity's history (an assignment's review decisions on the dashboard).
    __table_args__ = (Index("ix_auditlog_entity", "entity", "entity_id"),)

    id: int = Field(default=None, primary_key=True)
    at: datetime = instant()
    actor_official_id: int | None = Field(default=None, foreign_key="official.id")
    actor_account: str = Field(default="", max_length=96)
    action: str = Field(max_length=64, index=True)
    entity: str = Field(default="", max_length=32)
    entity_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    detail: str | None = Field(default=None, sa_type=Text)


class JobRun(SQLModel, table=True):
    """One firing of a scheduled job; unique so that two instances never run it twice."""

    __table_args__ = (UniqueConstraint("job", "fire_time"),)

    id: int = Field(default=None, primary_key=True)
    job: str = Field(max_length=32)
    fire_time: datetime = instant()
    started_at: datetime = instant()
    finished_at: datetime | None = optional_instant()
    catch_up: bool = False
    queued: int = 0
    note: str | None = Field(default=None, sa_type=Text)


class ChannelState(SQLModel, table=True):
    """What a channel must keep across restarts and share between instances, by name.

    A webhook's secret (so every instance checks the same one), an OA's current tokens
    (its refresh token is single-use: the new one must be stored the moment it arrives).
    """

    name: str = Field(primary_key=True, max_length=64)
    value: dict[str, Any] = Field(sa_type=JSON)
    updated_at: datetime = instant()


class ChoiceMenu(SQLModel, table=True):
    """The numbered choices a chat without buttons was last shown, so "2" maps back.

    Kept in the database, so a restart, a second instance or a late answer maps it right.
    """

    channel: str = Field(primary_key=True, max_length=16)
    chat_key: str = Field(primary_key=True, max_length=64)
    labels: list[str] = Field(sa_type=JSON)
    payloads: list[str] = Field(sa_type=JSON)
    shown_at: datetime = instant()


class CommandMenu(SQLModel, table=True):
    """The command menu a chat shows on its platform, and whether it must be set again.

    `shown` names the menu last set for the chat ("" for the platform's default menu, which
    a stranger sees); a staff change, a registration or a language chosen marks the chat
    `due`, and the menu keeper sets it, trying a refused one again after `retry_at`.
    """

    __table_args__ = (Index("ix_commandmenu_due", "channel", "due"),)

    channel: str = Field(primary_key=True, max_length=16)
    chat_key: str = Field(primary_key=True, max_length=64)
    shown: str = Field(default="", max_length=64)
    due: bool = True
    attempts: int = 0
    retry_at: datetime | None = optional_instant()
    updated_at: datetime = instant()
