"""What the bot remembers: the tables.

Times are aware UTC instants (see `UTCDateTime`); deadlines are calendar dates in the
province's time zone. Status is stored, timing (on time / overdue) is always derived.

Primary keys are typed `int` although a new row has `None` until it is flushed: the
database assigns them, and no code reads one before the flush.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime


class Role(StrEnum):
    """What an official does in the working group."""

    FOCAL = "focal"
    HEAD = "head"
    STANDING = "standing"
    LEADER = "leader"
    ADMIN = "admin"


class UnitKind(StrEnum):
    """Kinds of unit: the leaders' UBND, the standing office, sở/ngành, UBND xã/phường."""

    LEADERSHIP = "leadership"
    STANDING = "standing"
    DEPARTMENT = "department"
    COMMUNE = "commune"


class TaskKind(StrEnum):
    """A task of the plan or a pilot model (mô hình điểm)."""

    TASK = "task"
    PILOT_MODEL = "pilot_model"


class AssignmentRole(StrEnum):
    """Lead (chủ trì) or cooperating (phối hợp) unit."""

    LEAD = "lead"
    SUPPORT = "support"


class Status(StrEnum):
    """Stored status of an assignment."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    MAINTAINED = "maintained"


class Review(StrEnum):
    """The standing office's verdict on a result reported done."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    RETURNED = "returned"


class IndicatorKind(StrEnum):
    """Ratio (numerator ≤ denominator), count, or yes/no."""

    RATIO = "ratio"
    COUNT = "count"
    YES_NO = "yes_no"


class OutboxState(StrEnum):
    """Life of an outgoing message."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DEAD = "dead"


def _instant() -> Any:
    return Field(sa_type=UTCDateTime)


def _optional_instant() -> Any:
    return Field(default=None, sa_type=UTCDateTime)


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


class ChatAccount(SQLModel, table=True):
    """An official's account on one channel (Telegram, console, …)."""

    __table_args__ = (UniqueConstraint("channel", "user_key"),)

    id: int = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    user_key: str = Field(max_length=64)
    chat_key: str = Field(max_length=64)
    official_id: int = Field(foreign_key="official.id", index=True)
    bound_at: datetime = _instant()
    unreachable_at: datetime | None = _optional_instant()


class Invitation(SQLModel, table=True):
    """A one-time invitation code, stored only as its hash."""

    id: int = Field(default=None, primary_key=True)
    official_id: int = Field(foreign_key="official.id", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _instant()
    expires_at: datetime = _instant()
    used_at: datetime | None = _optional_instant()
    used_by_account_id: int | None = Field(default=None, foreign_key="chataccount.id")


class InvitationFailure(SQLModel, table=True):
    """A wrong or expired code tried by one account; counted to refuse guessing."""

    __table_args__ = (Index("ix_invitationfailure_who_at", "channel", "user_key", "at"),)

    id: int = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    user_key: str = Field(max_length=64)
    at: datetime = _instant()


class Plan(SQLModel, table=True):
    """A plan (kế hoạch) of the working group."""

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    title: str = Field(max_length=300)


class TaskGroup(SQLModel, table=True):
    """A group of tasks (nhóm nhiệm vụ) in a plan."""

    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str = Field(max_length=32)
    title: str = Field(max_length=300)


class Task(SQLModel, table=True):
    """A task or pilot model with its deliverable (sản phẩm)."""

    id: int = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="taskgroup.id", index=True)
    code: str = Field(max_length=32, unique=True)
    title: str = Field(max_length=500)
    kind: str = Field(default=TaskKind.TASK, max_length=16)
    deliverable: str = Field(default="", max_length=1000)


class Assignment(SQLModel, table=True):
    """A task given to one unit, as lead or support, with its deadline and status."""

    __table_args__ = (
        UniqueConstraint("task_id", "unit_id"),
        Index("ix_assignment_unit_deadline", "unit_id", "deadline"),
    )

    id: int = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id")
    unit_id: int = Field(foreign_key="unit.id")
    role: str = Field(default=AssignmentRole.LEAD, max_length=8)
    focal_official_id: int | None = Field(default=None, foreign_key="official.id")
    deadline: date
    original_deadline: date
    status: str = Field(default=Status.NOT_STARTED, max_length=16)
    progress: int = 0
    done_on: date | None = None
    last_report_at: datetime | None = _optional_instant()
    # A `done` report is a claim until the standing office confirms it (see Review).
    review: str | None = Field(default=None, max_length=10)
    reviewed_by: int | None = Field(default=None, foreign_key="official.id")
    reviewed_at: datetime | None = _optional_instant()
    review_note: str | None = Field(default=None, sa_type=Text)


class ProgressReport(SQLModel, table=True):
    """One progress report; never updated or deleted."""

    __table_args__ = (Index("ix_progressreport_assignment_at", "assignment_id", "created_at"),)

    id: int = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id")
    official_id: int = Field(foreign_key="official.id")
    status: str = Field(max_length=16)
    progress: int
    done_text: str = Field(sa_type=Text)
    difficulty: str | None = Field(default=None, sa_type=Text)
    proposal: str | None = Field(default=None, sa_type=Text)
    evidence_kind: str | None = Field(default=None, max_length=16)
    evidence_file_id: str | None = Field(default=None, max_length=256)
    evidence_name: str | None = Field(default=None, max_length=256)
    channel: str = Field(max_length=16)
    created_at: datetime = _instant()


class Blocker(SQLModel, table=True):
    """A difficulty (khó khăn, vướng mắc, điểm nghẽn) raised in a report."""

    id: int = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    report_id: int = Field(foreign_key="progressreport.id")
    text: str = Field(sa_type=Text)
    opened_at: datetime = _instant()
    resolved_at: datetime | None = _optional_instant()
    resolution: str | None = Field(default=None, sa_type=Text)
    resolved_by: int | None = Field(default=None, foreign_key="official.id")
    forwarded_to: int | None = Field(default=None, foreign_key="official.id")
    forwarded_at: datetime | None = _optional_instant()


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
    updated_at: datetime = _instant()


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
    received_at: datetime = _instant()
    processed_at: datetime | None = _optional_instant()
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
    not_before: datetime = _instant()
    created_at: datetime = _instant()
    sent_at: datetime | None = _optional_instant()
    sent_message_id: int | None = Field(default=None, sa_type=BigInteger)
    claimed_at: datetime | None = _optional_instant()  # renewed while a dispatcher holds it
    last_error: str | None = Field(default=None, sa_type=Text)


class AuditLog(SQLModel, table=True):
    """Who did what to which entity, when, with the state before and after."""

    id: int = Field(default=None, primary_key=True)
    at: datetime = _instant()
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
    fire_time: datetime = _instant()
    started_at: datetime = _instant()
    finished_at: datetime | None = _optional_instant()
    catch_up: bool = False
    queued: int = 0
    note: str | None = Field(default=None, sa_type=Text)


class ExtensionRequest(SQLModel, table=True):
    """A request to move a deadline, and the standing office's decision on it."""

    # One open request per assignment: the database holds the line even under a race.
    __table_args__ = (
        Index(
            "uq_extensionrequest_open",
            "assignment_id",
            unique=True,
            sqlite_where=text("decision IS NULL"),
            postgresql_where=text("decision IS NULL"),
        ),
    )

    id: int = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    requested_by: int = Field(foreign_key="official.id")
    current_deadline: date
    requested_deadline: date
    reason: str = Field(sa_type=Text)
    created_at: datetime = _instant()
    decision: str | None = Field(default=None, max_length=10)  # approved | refused
    decided_by: int | None = Field(default=None, foreign_key="official.id")
    decided_at: datetime | None = _optional_instant()
    decision_note: str | None = Field(default=None, sa_type=Text)


class Directive(SQLModel, table=True):
    """A directive (văn bản chỉ đạo) broadcast to units, with a stable code like CĐ-2026-015."""

    __table_args__ = (UniqueConstraint("year", "number"),)

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    year: int
    number: int
    sender_id: int = Field(foreign_key="official.id")
    text: str = Field(sa_type=Text)
    attachment_kind: str | None = Field(default=None, max_length=16)
    attachment_file_id: str | None = Field(default=None, max_length=256)
    attachment_name: str | None = Field(default=None, max_length=256)
    target_kind: str = Field(max_length=8)  # all | kind | units
    target_value: str | None = Field(default=None, sa_type=Text)
    response_deadline: date | None = None
    created_at: datetime = _instant()
    # The sender's live status message, edited as delivery and acknowledgements progress.
    status_channel: str | None = Field(default=None, max_length=16)
    status_chat_key: str | None = Field(default=None, max_length=64)
    status_message_id: int | None = Field(default=None, sa_type=BigInteger)


class DirectiveReceipt(SQLModel, table=True):
    """One recipient of a directive: delivered, acknowledged ("Đã nhận"), reminded."""

    __table_args__ = (UniqueConstraint("directive_id", "official_id"),)

    id: int = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    official_id: int = Field(foreign_key="official.id")
    unit_id: int = Field(foreign_key="unit.id")
    delivered_at: datetime | None = _optional_instant()
    acknowledged_at: datetime | None = _optional_instant()
    reminded_at: datetime | None = _optional_instant()


class Indicator(SQLModel, table=True):
    """A quantitative indicator (chỉ tiêu) a unit reports each period against a target."""

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    title: str = Field(max_length=300)
    kind: str = Field(max_length=8)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    target: float
    direction: str = Field(default=">=", max_length=2)  # >= or <=
    plan_id: int | None = Field(default=None, foreign_key="plan.id")


class IndicatorValue(SQLModel, table=True):
    """One reported value for a period; append-only, the newest per period counts."""

    __table_args__ = (Index("ix_indicatorvalue_period", "indicator_id", "period_key", "id"),)

    id: int = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    period_key: str = Field(max_length=16)
    value: float
    numerator: float | None = None
    denominator: float | None = None
    reason: str | None = Field(default=None, sa_type=Text)
    official_id: int = Field(foreign_key="official.id")
    created_at: datetime = _instant()


class ChannelState(SQLModel, table=True):
    """What a channel must keep across restarts and share between instances, by name.

    A webhook's secret (so every instance checks the same one), an OA's current tokens
    (its refresh token is single-use: the new one must be stored the moment it arrives).
    """

    name: str = Field(primary_key=True, max_length=64)
    value: dict[str, Any] = Field(sa_type=JSON)
    updated_at: datetime = _instant()


class ChoiceMenu(SQLModel, table=True):
    """The numbered choices a chat without buttons was last shown, so "2" maps back.

    Kept in the database, so a restart, a second instance or a late answer maps it right.
    """

    channel: str = Field(primary_key=True, max_length=16)
    chat_key: str = Field(primary_key=True, max_length=64)
    labels: list[str] = Field(sa_type=JSON)
    payloads: list[str] = Field(sa_type=JSON)
    shown_at: datetime = _instant()
