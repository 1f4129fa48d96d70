"""How a result reported done reads while it waits for the standing office's decision."""

from __future__ import annotations

from datetime import date

from bot.i18n import Translator
from bot.messages import cards
from bot.services.dates.timing import Timing, derive_timing
from bot.services.reports.review import Claim
from db.models import Status

QUOTE = 900  # three quoted answers still read as one message


def timing_name(t: Translator, timing: Timing) -> str:
    """Done on time or done late, in words."""
    return t._("done on time") if timing is Timing.DONE_ON_TIME else t._("done late")


def _evidence(t: Translator, claim: Claim) -> str:
    if claim.evidence_kind == "photo":
        return t._("photo {name}", name=claim.evidence_name or "").strip()
    if claim.evidence_kind:
        return t._("document {name}", name=claim.evidence_name or "").strip()
    return t._("(none)")


def claim_card(t: Translator, claim: Claim, index: int, total: int, today: date) -> str:
    """The claim at `index` of `total` with its report and evidence, as /xacnhan shows it."""
    none = t._("(none)")
    timing = derive_timing(Status.DONE, claim.deadline, claim.done_on, today)
    return t._(
        "Result {index} of {total} waiting for confirmation\n\n"
        "[{code}] {title}\n"
        "Unit: {unit}\n"
        "Reported done by {name} at {when}; deadline {deadline} ({timing})\n"
        "• Done: {done}\n• Difficulties: {difficulty}\n• Proposal: {proposal}\n"
        "• Evidence: {evidence}",
        index=index + 1,
        total=total,
        code=claim.task_code,
        title=claim.title,
        unit=claim.unit_name,
        name=claim.reporter,
        when=t.moment(claim.reported_at),
        deadline=t.short_date(claim.deadline),
        timing=timing_name(t, timing),
        done=cards.shorten(claim.done_text, QUOTE),
        difficulty=cards.shorten(claim.difficulty or none, QUOTE),
        proposal=cards.shorten(claim.proposal or none, QUOTE),
        evidence=_evidence(t, claim),
    )
