"""/giahan (/extend): ask the standing office for a later deadline; it approves or refuses.

Requester (focal officer or head): pick an open assignment (or `/giahan NV-01`, or the
reminder's "Ask for an extension" button) → new date → reason → review → confirm. Every
standing officer then gets the request with one-tap "Approve" / "Refuse"; refusing asks
for a reason. The unit is told the decision. Every button is checked again on the server.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.channels.base import Choice, Outbound
from bot.i18n import Translator, translator_for
from bot.services import assignments, extensions
from bot.services.extensions import DateProblem, ExtensionRejected, Refusal, RequestView
from bot.services.timing import Timing
from handlers import cards
from handlers.answers import MAX_TEXT, read_text
from handlers.flow import Steps
from handlers.payloads import Payload
from handlers.turn import Turn

FLOW = "g"
NAME = "extension"
STEPS = Steps(FLOW, NAME)
PICK_PAGE = 8
QUOTE = 900


def _refuse_role(turn: Turn, what: str, *, deciding: bool) -> None:
    """The wrong role: a clear answer and an audit entry, nothing else."""
    assert turn.identity is not None
    extensions.refuse(turn.session, turn.identity, now=turn.now, who=turn.who, what=what)
    t = turn.t
    message = (
        t._("Only the standing office can decide deadline extensions.")
        if deciding
        else t._("Only focal officers and heads of units can ask for a deadline extension.")
    )
    if turn.inbound.is_button:
        turn.button_notice = message
    turn.say(message)


# --- asking -------------------------------------------------------------------------------


async def begin(turn: Turn, argument: str = "") -> None:
    """Start a request: straight to the date when a task code is given, else a list to pick."""
    assert turn.identity is not None
    if not extensions.may_request(turn.identity):
        _refuse_role(turn, "/giahan", deciding=False)
        return
    if argument:
        views, _ = await assignments.list_for_unit(
            turn.session, turn.identity.unit.id or 0, turn.today, limit=1000
        )
        match = next((v for v in views if v.task_code.lower() == argument.lower()), None)
        if match is not None:
            await _open_target(turn, match.id)
            return
        turn.say(
            turn.t._("Your unit has no task with the code {code}.", code=argument[:32]),
        )
    await _show_pick(turn, 0, in_place=not argument)


async def _show_pick(turn: Turn, page: int, *, in_place: bool = True) -> None:
    assert turn.identity is not None
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
    rows = [(STEPS.button(turn, _label(t, v), "pick", str(v.id)),) for v in views]
    nav = []
    if page > 0:
        nav.append(STEPS.button(turn, t._("◀ Previous"), "pp", str(page - 1)))
    if (page + 1) * PICK_PAGE < total:
        nav.append(STEPS.button(turn, t._("Next ▶"), "pp", str(page + 1)))
    rows += [tuple(nav)] if nav else []
    rows.append((STEPS.button(turn, t._("Cancel"), "x"),))
    render(t._("Which task needs a later deadline? Choose one below."), tuple(rows))


def _label(t: Translator, view: assignments.AssignmentView) -> str:
    mark = "🔴 " if view.timing is Timing.OVERDUE else ""
    title = view.title if len(view.title) <= 30 else view.title[:29] + "…"
    return f"{mark}{view.task_code} · {t.short_date(view.deadline)} · {title}"


def _example(t: Translator, deadline: date, today: date) -> str:
    return t.short_date(max(deadline, today) + timedelta(days=14))


async def _open_target(turn: Turn, assignment_id: int) -> None:
    """Check the assignment can be extended by this person, then ask for the new date."""
    assert turn.identity is not None
    t = turn.t
    try:
        target = await extensions.target(turn.session, turn.identity, assignment_id)
    except ExtensionRejected as refused:
        if refused.why is Refusal.ROLE:
            _refuse_role(turn, f"assignment {assignment_id}", deciding=False)
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
            example=_example(t, target.deadline, turn.today),
        ),
        ((STEPS.button(turn, t._("Cancel"), "x"),),),
    )


def _date_problem(t: Translator, problem: DateProblem, current: date, today: date) -> str:
    example = _example(t, current, today)
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
        limit=t.short_date(extensions.latest_allowed(current, today)),
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


async def _submit(turn: Turn) -> None:
    assert turn.identity is not None
    draft, t = STEPS.draft(turn), turn.t
    try:
        result = await extensions.submit(
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
            _refuse_role(turn, "submit", deciding=False)
        elif refused.why is Refusal.OPEN_REQUEST:
            turn.show(
                t._(
                    "Another request for [{code}] is already waiting for the standing office. "
                    "Nothing was recorded.",
                    code=draft["code"],
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
                Choice(pt._("✅ Approve"), Payload(FLOW, 0, "ap", str(request.id)).encode()),
                Choice(pt._("❌ Refuse"), Payload(FLOW, 0, "rf", str(request.id)).encode()),
            ),
        )
        turn.tell(
            person.account,
            Outbound(_request_text(pt, request), buttons),
            f"ext:{request.id}:ask:{person.account.id}",
        )


def _request_text(t: Translator, request: RequestView) -> str:
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


# --- deciding -----------------------------------------------------------------------------


def _decided_line(t: Translator, request: RequestView) -> str:
    if request.decision == extensions.APPROVED:
        return t._(
            "✅ Approved by {name}: the new deadline is {deadline}.",
            name=request.decided_by or "—",
            deadline=t.short_date(request.requested_deadline),
        )
    return t._(
        "❌ Refused by {name}. Reason: {reason}",
        name=request.decided_by or "—",
        reason=cards.shorten(request.decision_note or "—", QUOTE),
    )


def _already(turn: Turn, request: RequestView) -> None:
    t = turn.t
    turn.button_notice = t._("Already decided.") if turn.inbound.is_button else None
    turn.say(
        t._("This request has already been decided. Nothing was changed.")
        + "\n"
        + _decided_line(t, request)
    )


async def _decision_button(turn: Turn, payload: Payload) -> None:
    """Approve or Refuse on a request sent to the standing office (stateless, version 0)."""
    assert turn.identity is not None
    if not extensions.may_decide(turn.identity):
        _refuse_role(turn, f"button {payload.encode()}", deciding=True)
        return
    request_id = payload.int_argument()
    request = await extensions.find_request(turn.session, request_id or 0)
    if request is None:
        turn.refuse_button("unknown extension request")
        return
    if request.decision is not None:
        _already(turn, request)
        return
    t = turn.t
    if payload.action == "rf":
        STEPS.go(turn, "refuse_reason", {"request_id": request.id, "code": request.task_code})
        turn.say(
            t._(
                "Why is the request for [{code}] refused? Write the reason; the unit will "
                "see it (at most {limit} characters).",
                code=request.task_code,
                limit=t.number(MAX_TEXT),
            ),
            ((STEPS.button(turn, t._("Cancel"), "x"),),),
        )
        return
    await _decide(turn, request.id, approve=True, note=None)


async def _decide(turn: Turn, request_id: int, *, approve: bool, note: str | None) -> None:
    assert turn.identity is not None
    result = await extensions.decide(
        turn.session,
        turn.identity,
        request_id,
        approve=approve,
        note=note,
        now=turn.now,
        who=turn.who,
    )
    if not result.decided:
        _already(turn, result.request)
        return
    t, request = turn.t, result.request
    if approve:
        turn.show(_request_text(t, request) + "\n\n" + _decided_line(t, request))
    else:
        turn.say(
            t._(
                "❌ Refused. The unit has been told your reason; the deadline of [{code}] "
                "stays {deadline}.",
                code=request.task_code,
                deadline=t.short_date(request.current_deadline),
            )
        )
    for person in result.recipients:
        pt = translator_for(person.locale, turn.settings.locale, turn.settings.zone)
        if approve:
            text = pt._(
                "✅ The standing office approved the extension of [{code}] {title}: the new "
                "deadline is {new} (it was {old}).",
                code=request.task_code,
                title=request.title,
                new=pt.date(request.requested_deadline),
                old=pt.short_date(request.current_deadline),
            )
        else:
            text = pt._(
                "❌ The standing office refused the extension of [{code}] {title}; the deadline "
                "stays {deadline}.\nReason: {reason}",
                code=request.task_code,
                title=request.title,
                deadline=pt.date(request.current_deadline),
                reason=cards.shorten(request.decision_note or "—", QUOTE * 2),
            )
        turn.tell(person.account, Outbound(text), f"ext:{request.id}:decided:{person.account.id}")


# --- buttons and answers ------------------------------------------------------------------


async def on_button(turn: Turn, payload: Payload) -> None:
    """A button of the extension flow, re-checked against the role and the current step."""
    assert turn.identity is not None and turn.conversation is not None
    # Entry and decision buttons are stateless (version 0); the server re-checks everything.
    if payload.version == 0 and payload.action == "ext":
        assignment_id = payload.int_argument()
        if assignment_id is None:
            turn.refuse_button("malformed extension button")
        elif not extensions.may_request(turn.identity):
            _refuse_role(turn, f"button {payload.encode()}", deciding=False)
        else:
            await _open_target(turn, assignment_id)
        return
    if payload.version == 0 and payload.action in ("ap", "rf"):
        await _decision_button(turn, payload)
        return
    conversation = turn.conversation
    if conversation.flow != NAME or payload.version != conversation.version:
        turn.refuse_button("stale extension button")
        return
    step, action, argument = conversation.step, payload.action, payload.int_argument()
    if action == "x":
        STEPS.finish(turn)
        turn.show(turn.t._("Cancelled. Nothing was recorded."))
    elif step == "pick" and action == "pick" and argument is not None:
        await _open_target(turn, argument)
    elif step == "pick" and action == "pp" and argument is not None:
        await _show_pick(turn, argument)
    elif step == "confirm" and action == "ok":
        await _submit(turn)
    else:
        turn.refuse_button("extension button does not fit the step")


def _read_reason(turn: Turn) -> str | None:
    """The typed reason, or None after explaining what is wrong with it."""
    t, inbound = turn.t, turn.inbound
    if inbound.attachments:
        turn.say(t._("This step needs text, not a file. Please type your answer."))
        return None
    answer = read_text(inbound.text)
    if answer.problem == "too_long":
        turn.say(
            t._(
                "That is {length} characters; please keep it within {limit}.",
                length=t.number(len((inbound.text or "").strip())),
                limit=t.number(MAX_TEXT),
            )
        )
        return None
    if answer.problem is not None:
        turn.say(t._("Please describe it in words (letters or numbers)."))
        return None
    return answer.value


async def on_answer(turn: Turn) -> None:
    """Typed answers: the new date, the reason, or the standing office's refusal reason."""
    assert turn.conversation is not None and turn.identity is not None
    step, t = turn.conversation.step, turn.t
    if step == "date":
        if turn.inbound.attachments:
            turn.say(t._("This step needs text, not a file. Please type your answer."))
            return
        draft = STEPS.draft(turn)
        current = date.fromisoformat(draft["deadline"])
        parsed = extensions.parse_date(turn.inbound.text, turn.today)
        problem = (
            parsed
            if isinstance(parsed, DateProblem)
            else extensions.check_new_deadline(parsed, current, turn.today)
        )
        if problem is not None:
            turn.say(_date_problem(t, problem, current, turn.today))
            return
        assert isinstance(parsed, date)
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
        return
    if step == "reason":
        reason = _read_reason(turn)
        if reason is not None:
            _review(turn, STEPS.draft(turn) | {"reason": reason})
        return
    if step == "refuse_reason":
        if not extensions.may_decide(turn.identity):
            STEPS.finish(turn)
            _refuse_role(turn, "refusal reason", deciding=True)
            return
        reason = _read_reason(turn)
        if reason is not None:
            request_id = int(STEPS.draft(turn)["request_id"])
            STEPS.finish(turn)
            await _decide(turn, request_id, approve=False, note=reason)
        return
    turn.say(t._("Please choose one of the buttons above, or send /huy to cancel."))
