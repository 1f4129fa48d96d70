"""Directives (chỉ đạo): issuing one to units, tracking delivery, and acknowledgements."""

from __future__ import annotations

from bot.services.directives.acknowledgement import AckOutcome, acknowledge, not_acknowledged
from bot.services.directives.issuing import (
    MAX_TEXT,
    DirectiveRejected,
    audience,
    issue,
    may_issue,
    parse_unit_ids,
    read_deadline,
)
from bot.services.directives.tracking import (
    Status,
    due_reminders,
    learn_status_messages,
    mark_delivered,
    mark_reminded,
    status,
    tracked_statuses,
    unqueued,
)
from bot.services.directives.views import Addressee, DirectiveView, find

__all__ = [
    "MAX_TEXT",
    "AckOutcome",
    "Addressee",
    "DirectiveRejected",
    "DirectiveView",
    "Status",
    "acknowledge",
    "audience",
    "due_reminders",
    "find",
    "issue",
    "learn_status_messages",
    "mark_delivered",
    "mark_reminded",
    "may_issue",
    "not_acknowledged",
    "parse_unit_ids",
    "read_deadline",
    "status",
    "tracked_statuses",
    "unqueued",
]
