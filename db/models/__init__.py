"""What the bot remembers: the tables.

Times are aware UTC instants (see `UTCDateTime`); deadlines are calendar dates in the
province's time zone. Status is stored, timing (on time / overdue) is always derived.

Primary keys are typed `int` although a new row has `None` until it is flushed: the
database assigns them, and no code reads one before the flush.
"""

from __future__ import annotations

from db.models.enums import (
    AssignmentRole,
    IndicatorKind,
    OutboxState,
    Review,
    Role,
    Status,
    TaskKind,
    UnitKind,
)
from db.models.files import StoredFile
from db.models.machinery import (
    AuditLog,
    ChannelState,
    ChoiceMenu,
    CommandMenu,
    Conversation,
    InboxUpdate,
    JobRun,
    OutboxMessage,
)
from db.models.people import ChatAccount, Invitation, InvitationFailure, Official, StandIn, Unit
from db.models.web import WebLink, WebSession
from db.models.work import (
    Assignment,
    Blocker,
    Directive,
    DirectiveReceipt,
    DirectiveReply,
    ExtensionRequest,
    Indicator,
    IndicatorValue,
    Plan,
    ProgressReport,
    Proposal,
    Task,
    TaskGroup,
)

__all__ = [
    "Assignment",
    "AssignmentRole",
    "AuditLog",
    "Blocker",
    "ChannelState",
    "ChatAccount",
    "ChoiceMenu",
    "CommandMenu",
    "Conversation",
    "Directive",
    "DirectiveReceipt",
    "DirectiveReply",
    "ExtensionRequest",
    "InboxUpdate",
    "Indicator",
    "IndicatorKind",
    "IndicatorValue",
    "Invitation",
    "InvitationFailure",
    "JobRun",
    "Official",
    "OutboxMessage",
    "OutboxState",
    "Plan",
    "ProgressReport",
    "Proposal",
    "Review",
    "Role",
    "StandIn",
    "Status",
    "StoredFile",
    "Task",
    "TaskGroup",
    "TaskKind",
    "Unit",
    "UnitKind",
    "WebLink",
    "WebSession",
]
