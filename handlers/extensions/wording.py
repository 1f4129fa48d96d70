"""What the /giahan (extension) flow says on both sides, and the flow's letter and name.

The request as the standing office reads it (the requester's summary and the decision
repeat it), why a typed date cannot be the new deadline, the answer to someone whose role
may not ask or decide, and reading a typed reason. The requester's side is in
`handlers.extensions.request`, the standing office's in `handlers.extensions.decision`.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.i18n import Translator
from bot.messages import cards
from bot.messages.payloads import Flow
from bot.services.dates.reading import DateProblem
from bot.services.extensions import dates as extension_dates
from bot.services.extensions.rules import RequestView
from handlers.answers import MAX_TEXT, take_text
from handlers.flow import Steps
from handlers.turn import Turn

FLOW = Flow.EXTENSION
NAME = "extension"
STEPS = Steps(FLOW, NAME)
QUOTE = 900


def refuse_role(turn: Turn, what: str, *, deciding: bool) -> None:
    """The wrong role: a clear answer and an audit entry, nothing else."""
    t = turn.t
    message = (
        t._("Only the standing office can decide deadline extensions.")
        if deciding
        else t._("Only focal officers and heads of units can ask for a deadline extension.")
    )
    turn.refuse_role("extension.refused", what, message, notice=message)


def example_date(t: Translator, deadline: date, today: date) -> str:
    """A sample new deadline: two weeks after the current deadline or today, if later."""
    return t.short_date(max(deadline, today) + timedelta(days=14))


def date_problem(t: Translator, problem: DateProblem, current: date, today: date) -> str:
    """Why the typed date cannot be the new deadline, and what to send instead."""
    example = example_date(t, current, today)
    if problem is DateProblem.FORMAT:
        return t._(
            "That is not a date I can read. Please send it as day/month/year, e.g. {example} "
            "(also accepted: {short} or {iso}).",
            example=example,
            short=example[:5],
            iso=(max(current, today) + timedelta(days=14)).isoformat(),
        )
    if problem is DateProblem.NO_SUCH_DAY:
        return t._("That day does not exist in the calendar. Please check the day and the month.")
    if problem is DateProblem.PAST:
        return t._(
            "That date has already passed. The new deadline must be today ({today}) or later.",
            today=t.short_date(today),
        )
    if problem is DateProblem.NOT_LATER:
        return t._(
            "The new deadline must be later than the current deadline, {deadline}.",
            deadline=t.short_date(current),
        )
    return t._(
        "An extension can be at most one year: please choose a date no later than {limit}.",
        limit=t.short_date(extension_dates.latest_allowed(current, today)),
    )


def request_text(t: Translator, request: RequestView) -> str:
    """The request as the standing office reads it."""
    days = (request.requested_deadline - request.current_deadline).days
    return t._(
        "📅 Deadline extension request no. {id}\n"
        "{unit}: [{code}] {title}\n"
        "Asked by {name} at {when}\n"
        "Current deadline: {current}\n"
        "New deadline asked: {requested} ({later})\n"
        "Reason: {reason}",
        id=request.id,
        unit=request.unit_name,
        code=request.task_code,
        title=request.title,
        name=request.requester,
        when=t.moment(request.created_at),
        current=t.short_date(request.current_deadline),
        requested=t.short_date(request.requested_deadline),
        later=t.n_("{count} day later", "{count} days later", days),
        reason=cards.shorten(request.reason, QUOTE * 2),
    )


def read_reason(turn: Turn) -> str | None:
    """The typed reason, or None after explaining what is wrong with it."""
    t, inbound = turn.t, turn.inbound
    if inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return None
    return take_text(turn, MAX_TEXT, t._("Please describe it in words (letters or numbers)."))
