"""The closed vocabularies stored in the tables: roles, kinds, statuses, states."""

from __future__ import annotations

from enum import StrEnum


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
