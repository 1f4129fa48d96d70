"""Tasks and their unit assignments: listing them, and assigning new work in the bot."""

from __future__ import annotations

from bot.services.tasks.assigning import (
    MAX_DELIVERABLE,
    MAX_SUPPORT,
    MAX_TITLE,
    MAX_YEARS_AHEAD,
    Created,
    TaskRejected,
    create,
    find_group,
    group_page,
    may_assign,
    read_deadline,
    unit_names,
)
from bot.services.tasks.assignments import (
    AssignmentView,
    LastReport,
    find,
    last_report,
    list_for_unit,
)

__all__ = [
    "MAX_DELIVERABLE",
    "MAX_SUPPORT",
    "MAX_TITLE",
    "MAX_YEARS_AHEAD",
    "AssignmentView",
    "Created",
    "LastReport",
    "TaskRejected",
    "create",
    "find",
    "find_group",
    "group_page",
    "last_report",
    "list_for_unit",
    "may_assign",
    "read_deadline",
    "unit_names",
]
