"""Progress reports: submitting one, and the standing office confirming or returning results."""

from __future__ import annotations

from bot.services.reports.empty_answers import means_none
from bot.services.reports.review import (
    Claim,
    ReviewRejected,
    Verdict,
    claim_at,
    confirm,
    find_claim,
    may_review,
    return_result,
    standing_recipients,
    unit_recipients,
)
from bot.services.reports.submission import Recipient, ReportRejected, submit

__all__ = [
    "Claim",
    "Recipient",
    "ReportRejected",
    "ReviewRejected",
    "Verdict",
    "claim_at",
    "confirm",
    "find_claim",
    "may_review",
    "means_none",
    "return_result",
    "standing_recipients",
    "submit",
    "unit_recipients",
]
