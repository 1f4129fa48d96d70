"""Deadline extensions: a unit asks for a later deadline, the standing office decides once."""

from __future__ import annotations

from bot.services.extensions.dates import (
    check_new_deadline,
    latest_allowed,
    one_year_after,
    read_new_deadline,
)
from bot.services.extensions.decisions import decide
from bot.services.extensions.requests import submit, target
from bot.services.extensions.rules import (
    APPROVED,
    ExtensionRejected,
    Refusal,
    RequestView,
    find_request,
    may_decide,
    may_request,
)

__all__ = [
    "APPROVED",
    "ExtensionRejected",
    "Refusal",
    "RequestView",
    "check_new_deadline",
    "decide",
    "find_request",
    "latest_allowed",
    "may_decide",
    "may_request",
    "one_year_after",
    "read_new_deadline",
    "submit",
    "target",
]
