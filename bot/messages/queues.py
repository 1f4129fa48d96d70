"""How what waits on the standing office reads: a result awaiting confirmation and an
extension request awaiting a decision, as the /xacnhan and /xetgiahan lists and the
`queues` job's recall show them."""

from __future__ import annotations

from bot.i18n import Translator
from bot.messages.cards import shorten
from bot.services.waiting import WaitingClaim, WaitingRequest


def waited(t: Translator, working_days: int) -> str:
    """How long something has waited, in working days."""
    if working_days == 0:
        return t._("since today")
    return t.n_("waiting {count} working day", "waiting {count} working days", working_days)


def claim_line(t: Translator, index: int, claim: WaitingClaim) -> str:
    """One numbered result awaiting confirmation."""
    return t._(
        "{index}. {unit} · [{code}] {title}\n    Reported done {date} by {name}, {waited}.",
        index=index,
        unit=shorten(claim.unit_name, 80),
        code=claim.task_code,
        title=shorten(claim.title, 100),
        date=t.short_date(claim.since),
        name=claim.reporter,
        waited=waited(t, claim.working_days),
    )


def request_line(t: Translator, index: int, waiting: WaitingRequest, quote: int = 200) -> str:
    """One numbered extension request awaiting a decision."""
    request = waiting.request
    return t._(
        "{index}. {unit} · [{code}] {title}\n    Deadline {current} → {requested}; asked "
        "{date} by {name}, {waited}.\n    «{reason}»",
        index=index,
        unit=shorten(request.unit_name, 80),
        code=request.task_code,
        title=shorten(request.title, 100),
        current=t.short_date(request.current_deadline),
        requested=t.short_date(request.requested_deadline),
        date=t.short_date(waiting.since),
        name=request.requester,
        waited=waited(t, waiting.working_days),
        reason=shorten(request.reason, quote),
    )
