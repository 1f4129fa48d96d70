"""The requester's side of /giahan (/extend): choose the task, the new date and the reason.

A focal officer or head picks an open assignment of their unit (or gives its code, or taps
the reminder's "Ask for an extension"), types the new deadline and the reason, reviews and
confirms; the request is stored and sent to every standing officer with one-tap "Approve" /
"Refuse" buttons. A task that is done, or already has a waiting request, is not asked again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.channels.base import Choice, Outbound
from bot.i18n import Translator, translator_for
from bot.messages import cards
from bot.messages.payloads import STATELESS, Payload
from bot.services.dates.reading import DateProblem
from bot.services.dates.timing import Timing
from bot.services.extensions import dates as extension_dates
from bot.services.extensions import requests as extension_requests
from bot.services.extensions import rules as extensions
from bot.services.extensions.rules import ExtensionRejected, Refusal
from bot.services.tasks import assignments
from handlers.answers import MAX_TEXT
from handlers.choices import count_pages, page_through
from handlers.extensions.wording import (
    FLOW,
    QUOTE,
    STEPS,
    date_problem,
    example_date,
    read_reason,
    refuse_role,
    request_text,
)
from handlers.turn import Turn

PICK_PAGE = 8


async def begin(turn: Turn, argument: str = "") -> None:
    """Start a request: straight to the date when a task code is given, else a list to pick."""
    if not extensions.may_request(turn.identity):
        refuse_role(turn, "command", deciding=False)
        return
    if argument:
        views, _ = await assignments.list_for_unit(
            turn.session, turn.identity.unit.id or 0, turn.today, limit=1000
        )
        match = next((v for v in views if v.task_code.lower() == argument.lower()), None)
        if match is not None:
            await open_target(turn, match.id)
            return
        turn.say(
            turn.t._("Your unit has no task with the code {code}.", code=argument[:32]),
        )
    await show_pick(turn, 0, in_place=not argument)


async def show_pick(turn: Turn, page: int, *, in_place: bool = True) -> None:
    """One page of the unit's open assignments to pick from."""
    views, total = await assignments.list_for_unit(
        turn.session,
        turn.identity.unit.id or 0,
        turn.today,
        offset=page * PICK_PAGE,
        limit=PICK_PAGE,
        open_only=True,
    )
    t = turn.t
    render = turn.show if in_place else turn.say
    if total == 0:
        STEPS.finish(turn)
        render(t._("Your unit has no open assignments whose deadline could be extended."))
        return
    if not views:
        turn.refuse_button("page out of range")
        return
    STEPS.go(turn, "pick", {"page": page})
    waiting = await extension_requests.waiting_assignments(turn.session, turn.identity.unit.id or 0)
    rows: list[tuple[Choice, ...]] = [
        (STEPS.button(turn, _label(t, v, v.id in waiting), "pick", str(v.id)),) for v in views
    ]
    rows += page_through(t, page, count_pages(total, PICK_PAGE), STEPS.press(turn, "pp"))
    rows.append((STEPS.button(turn, t._("Cancel"), "x"),))
    question = t._("Which task needs a later deadline? Choose one below.")
    if any(v.id in waiting for v in views):
        question += "\n" + t._(
            "⏳ marks a task whose request is already waiting for the standing office; "
            "choose it to see since when."
        )
    render(question, tuple(rows))


def _label(t: Translator, view: assignments.AssignmentView, waiting: bool) -> str:
    mark = "⏳ " if waiting else "🔴 " if view.timing is Timing.OVERDUE else ""
    title = view.title if len(view.title) <= 30 else view.title[:29] + "…"
    return f"{mark}{view.task_code} · {t.short_date(view.deadline)} · {title}"


async def open_target(turn: Turn, assignment_id: int) -> None:
    """Check the assignment can be extended by this person, then ask for the new date."""
    t = turn.t
    try:
        target = await extension_requests.target(turn.session, turn.identity, assignment_id)
    except ExtensionRejected as refused:
        if refused.why is Refusal.ROLE:
            refuse_role(turn, f"assignment {assignment_id}", deciding=False)
        elif refused.why is Refusal.CLOSED:
            STEPS.finish(turn)
            turn.say(t._("This task is already reported done; its deadline needs no extension."))
        else:
            turn.refuse_button("extension for another unit")
        return
    if target.open_request is not None:
        STEPS.finish(turn)
        pending = target.open_request
        turn.say(
            t._(
                "A request to move the deadline of [{code}] to {requested} is already waiting "
                "for the standing office (sent {when} by {name}). You will be told the decision.",
                code=target.task_code,
                requested=t.short_date(pending.requested_deadline),
                when=t.moment(pending.created_at),
                name=pending.requester,
            )
        )
        return
    draft = {
        "assignment_id": assignment_id,
        "code": target.task_code,
        "title": target.title,
        "deadline": target.deadline.isoformat(),
    }
    STEPS.go(turn, "date", draft)
    turn.say(
        t._(
            "[{code}] {title}\nCurrent deadline: {deadline}.\n\n"
            "What new deadline do you ask for? Send the date as day/month/year, e.g. {example}.",
            code=target.task_code,
            title=target.title,
            deadline=t.date(target.deadline),
            example=example_date(t, target.deadline, turn.today),
        ),
        ((STEPS.button(turn, t._("Cancel"), "x"),),),
    )


def _review(turn: Turn, draft: dict[str, Any]) -> None:
    STEPS.go(turn, "confirm", draft)
    t = turn.t
    text = t._(
        "Please check your request:\n"
        "• Task: [{code}] {title}\n• Current deadline: {current}\n"
        "• New deadline asked: {requested}\n• Reason: {reason}\n\n"
        "Confirm to send it to the standing office.",
        code=draft["code"],
        title=draft["title"],
        current=t.short_date(date.fromisoformat(draft["deadline"])),
        requested=t.short_date(date.fromisoformat(draft["requested"])),
        reason=cards.shorten(draft["reason"], QUOTE * 2),
    )
    rows = (
        (STEPS.button(turn, t._("✅ Confirm"), "ok"),),
        (STEPS.button(turn, t._("Cancel"), "x"),),
    )
    turn.say(text, rows)


async def submit(turn: Turn) -> None:
    """Store the confirmed request and send it to every standing officer."""
    draft, t = STEPS.draft(turn), turn.t
    try:
        result = await extension_requests.submit(
            turn.session,
            turn.identity,
            int(draft["assignment_id"]),
            date.fromisoformat(draft["requested"]),
            draft["reason"],
            now=turn.now,
            today=turn.today,
            who=turn.who,
        )
    except ExtensionRejected as refused:
        STEPS.finish(turn)
        if refused.why is Refusal.ROLE:
            refuse_role(turn, "submit", deciding=False)
        elif refused.why is Refusal.OPEN_REQUEST and refused.request is not None:
            pending = refused.request
            turn.show(
                t._(
                    "Another request for [{code}] (to {requested}) has been waiting for the "
                    "standing office since {when}, sent by {name}. Nothing was recorded; you "
                    "will be told the decision.",
                    code=draft["code"],
                    requested=t.short_date(pending.requested_deadline),
                    when=t.moment(pending.created_at),
                    name=pending.requester,
                )
            )
        elif refused.why in (Refusal.DATE, Refusal.CLOSED):
            turn.show(
                t._(
                    "[{code}] has changed since you started (its deadline or status). "
                    "Nothing was recorded; please send /giahan to start again.",
                    code=draft["code"],
                )
            )
        else:
            turn.refuse_button("extension request no longer valid")
        return
    STEPS.finish(turn)
    request = result.request
    turn.show(
        t._(
            "Your request to move the deadline of [{code}] to {requested} has been sent to "
            "the standing office. You will be told the decision.",
            code=request.task_code,
            requested=t.short_date(request.requested_deadline),
        )
    )
    if not result.deciders:
        turn.say(
            t._(
                "No standing officer can be reached through the bot at the moment; please "
                "also contact the standing office directly."
            )
        )
    for person in result.deciders:
        pt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        buttons = (
            (
                Payload(FLOW, STATELESS, "ap", str(request.id)).choice(pt._("✅ Approve")),
                Payload(FLOW, STATELESS, "rf", str(request.id)).choice(pt._("❌ Refuse")),
            ),
        )
        turn.tell(
            person.account,
            Outbound(request_text(pt, request), buttons),
            f"ext:{request.id}:ask:{person.account.id}",
        )


async def answer_date(turn: Turn) -> None:
    """The typed new date: checked, then the reason is asked."""
    t = turn.t
    if turn.inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return
    draft = STEPS.draft(turn)
    current = date.fromisoformat(draft["deadline"])
    parsed = extension_dates.read_new_deadline(turn.inbound.text, current, turn.today)
    if isinstance(parsed, DateProblem):
        turn.say(date_problem(t, parsed, current, turn.today))
        return
    STEPS.go(turn, "reason", draft | {"requested": parsed.isoformat()})
    turn.say(
        t._(
            "New deadline asked: {requested}. Why is more time needed? Write the reason "
            "for the standing office (at most {limit} characters).",
            requested=t.date(parsed),
            limit=t.number(MAX_TEXT),
        ),
        ((STEPS.button(turn, t._("Cancel"), "x"),),),
    )


def answer_reason(turn: Turn) -> None:
    """The typed reason: checked, then the request is shown for review."""
    reason = read_reason(turn)
    if reason is not None:
        _review(turn, STEPS.draft(turn) | {"reason": reason})
