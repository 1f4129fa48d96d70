"""The plan and its work: groups, tasks, unit assignments, reports, blockers, extensions,
directives and indicators."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from db.models.columns import instant, optional_instant
from db.models.enums import (
    AssignmentRole,
    Status,
    TaskKind,
)


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
    last_report_at: datetime | None = optional_instant()
    # A `done` report is a claim until the standing office confirms it (see Review).
    review: str | None = Field(default=None, max_length=10)
    reviewed_by: int | None = Field(default=None, foreign_key="official.id")
    reviewed_at: datetime | None = optional_instant()
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
    created_at: datetime = instant()


class Blocker(SQLModel, table=True):
    """A difficulty (khó khăn, vướng mắc, điểm nghẽn) raised in a report."""

    id: int = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    report_id: int = Field(foreign_key="progressreport.id")
    text: str = Field(sa_type=Text)
    opened_at: datetime = instant()
    resolved_at: datetime | None = optional_instant()
    resolution: str | None = Field(default=None, sa_type=Text)
    resolved_by: int | None = Field(default=None, foreign_key="official.id")
    forwarded_to: int | None = Field(default=None, foreign_key="official.id")
    forwarded_at: datetime | None = optional_instant()


class Proposal(SQLModel, table=True):
    """A proposal (đề xuất, kiến nghị) raised in a report, tracked until the standing office
    answers it."""

    id: int = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    report_id: int = Field(foreign_key="progressreport.id")
    proposed_by: int = Field(foreign_key="official.id")
    text: str = Field(sa_type=Text)
    opened_at: datetime = instant()
    answered_at: datetime | None = optional_instant()
    answer: str | None = Field(default=None, sa_type=Text)
    answered_by: int | None = Field(default=None, foreign_key="official.id")


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
    created_at: datetime = instant()
    decision: str | None = Field(default=None, max_length=10)  # approved | refused
    decided_by: int | None = Field(default=None, foreign_key="official.id")
    decided_at: datetime | None = optional_instant()
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
    created_at: datetime = instant()
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
    delivered_at: datetime | None = optional_instant()
    acknowledged_at: datetime | None = optional_instant()
    reminded_at: datetime | None = optional_instant()


class DirectiveReply(SQLModel, table=True):
    """What a recipient answered to a directive (phản hồi): text, a file, or both."""

    id: int = Field(default=None, primary_key=True)
    directive_id: int = Field(foreign_key="directive.id", index=True)
    receipt_id: int = Field(foreign_key="directivereceipt.id")
    official_id: int = Field(foreign_key="official.id")
    unit_id: int = Field(foreign_key="unit.id")
    text: str | None = Field(default=None, sa_type=Text)
    attachment_kind: str | None = Field(default=None, max_length=16)
    attachment_file_id: str | None = Field(default=None, max_length=256)
    attachment_name: str | None = Field(default=None, max_length=256)
    created_at: datetime = instant()


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
    created_at: datetime = instant()
